"""Every step of an application's way, by role: who may take it, from which states, and what it leaves behind."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from applications import permissions, services
from applications.models import Application, ApplicationVersion, CaseEvent, Decision, Recommendation
from applications.tests import factories
from conftest import Role, county, kommune, person
from luk_portal.errors import InvalidTransition, LukError, NotAllowed

S = Application.Status
REASONS = "Prosjektet svarar godt på resultatmåla."

pytestmark = pytest.mark.django_db


def last_event(application: Application) -> CaseEvent:
    return CaseEvent.objects.filter(application=application).order_by("-at", "-pk").first()


def last_step(application: Application, *more: str) -> tuple:
    """The application's last event: who, which step, from and to what status, and the event's fields `more`."""
    event = last_event(application)
    return (event.actor, event.action, event.from_status, event.to_status, *(getattr(event, name) for name in more))


def status_of(application: Application) -> str:
    application.refresh_from_db()
    return application.status


# Submit


def test_the_lead_coordinator_submits_a_complete_draft(draft, coordinator_a):
    services.application_submit(application=draft, by=coordinator_a)

    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED
    assert draft.version == 1
    assert draft.submitted_at is not None
    assert draft.case_number.endswith(f"/17-{draft.pk:05d}")
    assert last_step(draft) == (coordinator_a, "submit", S.DRAFT, S.SUBMITTED)


@pytest.mark.parametrize("role", ["coordinator_b", "officer", "decider", "ministry", "coordinator_other_county"])
def test_nobody_but_the_lead_coordinator_can_submit(request, draft, role):
    with pytest.raises(NotAllowed):
        services.application_submit(application=draft, by=request.getfixturevalue(role))

    assert status_of(draft) == S.DRAFT
    assert not ApplicationVersion.objects.filter(application=draft).exists()


@pytest.mark.parametrize("state", ["submitted", "in_review"])
def test_a_case_already_with_the_county_cannot_be_submitted_again(request, coordinator_a, state):
    application = request.getfixturevalue(state)

    with pytest.raises(InvalidTransition):
        services.application_submit(application=application, by=coordinator_a)

    assert status_of(application) == state
    assert ApplicationVersion.objects.filter(application=application).count() == 1


# Take


def test_the_county_officer_takes_a_submitted_case(submitted, officer):
    services.application_take(application=submitted, by=officer)

    submitted.refresh_from_db()
    assert submitted.status == S.IN_REVIEW
    assert submitted.officer == officer
    assert last_step(submitted) == (officer, "take", S.SUBMITTED, S.IN_REVIEW)


@pytest.mark.parametrize("role", ["decider", "officer_other_county", "coordinator_a", "ministry"])
def test_only_a_case_officer_of_the_county_can_take_the_case(request, submitted, role):
    with pytest.raises(NotAllowed):
        services.application_take(application=submitted, by=request.getfixturevalue(role))

    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    assert submitted.officer is None


def test_a_draft_cannot_be_taken(draft, officer):
    with pytest.raises(InvalidTransition):
        services.application_take(application=draft, by=officer)

    assert status_of(draft) == S.DRAFT


def test_a_case_in_review_cannot_be_taken_again(in_review, officer):
    with pytest.raises(InvalidTransition):
        services.application_take(application=in_review, by=officer)

    assert status_of(in_review) == S.IN_REVIEW


# Return


def test_a_return_needs_a_message(in_review, officer):
    with pytest.raises(LukError) as raised:
        services.application_return(application=in_review, by=officer, message="   ")

    assert raised.value.field == "message"
    assert status_of(in_review) == S.IN_REVIEW


@pytest.mark.parametrize("role", ["decider", "officer_other_county", "coordinator_a"])
def test_only_a_case_officer_of_the_county_can_return_the_case(request, in_review, role):
    with pytest.raises(NotAllowed):
        services.application_return(application=in_review, by=request.getfixturevalue(role), message="Endra")

    assert status_of(in_review) == S.IN_REVIEW


def test_a_submitted_case_must_be_taken_before_it_is_returned(submitted, officer):
    with pytest.raises(InvalidTransition):
        services.application_return(application=submitted, by=officer, message="Endra budsjettet.")

    assert status_of(submitted) == S.SUBMITTED


def test_a_returned_application_is_edited_and_submitted_again_with_both_versions_kept(
    in_review, officer, coordinator_a
):
    services.application_return(application=in_review, by=officer, message="Skriv meir om aktivitetane.")
    in_review.refresh_from_db()
    assert in_review.status == S.RETURNED
    assert last_step(in_review, "comment") == (
        officer,
        "return",
        S.IN_REVIEW,
        S.RETURNED,
        "Skriv meir om aktivitetane.",
    )
    assert permissions.can_edit(coordinator_a, in_review)

    services.application_save_draft(
        application=in_review, by=coordinator_a, fields={"activities": "Møte, verkstader, stadanalyse og ein festival."}
    )
    services.application_submit(application=in_review, by=coordinator_a)

    in_review.refresh_from_db()
    assert in_review.status == S.SUBMITTED
    assert in_review.version == 2
    versions = list(ApplicationVersion.objects.filter(application=in_review).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].content["activities"] == "Møte, verkstader og ein stadanalyse."
    assert versions[1].content["activities"] == "Møte, verkstader, stadanalyse og ein festival."
    assert versions[0].content["budget_lines"][0]["amount"] == factories.BUDGET
    event = last_event(in_review)
    assert (event.action, event.from_status, event.to_status) == ("submit", S.RETURNED, S.SUBMITTED)


def test_the_coordinator_cannot_edit_a_case_the_county_has(in_review, coordinator_a):
    with pytest.raises(NotAllowed):
        services.application_save_draft(application=in_review, by=coordinator_a, fields={"title": "Nytt namn"})

    in_review.refresh_from_db()
    assert in_review.title == "Attraktive Steinkjer"
    assert not permissions.can_edit(coordinator_a, in_review)


# Recommend


def test_the_officer_recommends_approval_with_an_amount(in_review, officer):
    recommendation = services.recommendation_make(
        application=in_review, by=officer, outcome="approve", amount=250_000, reasons=REASONS, conditions="Rapport."
    )

    in_review.refresh_from_db()
    assert in_review.status == S.RECOMMENDED
    recommendation.refresh_from_db()
    assert (recommendation.author, recommendation.amount, recommendation.reasons) == (officer, 250_000, REASONS)
    *step, comment = last_step(in_review, "comment")
    assert step == [officer, "recommend", S.IN_REVIEW, S.RECOMMENDED]
    assert "250" not in comment  # the recommendation stays internal until the decision


@pytest.mark.parametrize(
    ("case", "who", "make", "made"),
    [
        (S.IN_REVIEW, "officer", services.recommendation_make, Recommendation),  # recommending
        (S.RECOMMENDED, "decider", services.decision_make, Decision),  # granting
    ],
)
def test_an_amount_above_what_was_applied_for_is_refused_with_a_message_on_amount(request, case, who, make, made):
    application = request.getfixturevalue(case)  # the fixtures are named as the statuses
    with pytest.raises(ValidationError) as raised:
        make(
            application=application,
            by=request.getfixturevalue(who),
            outcome="approve",
            amount=factories.REQUESTED + 1,
            reasons=REASONS,
        )

    assert "more than applied for" in raised.value.message_dict["amount"][0]
    assert status_of(application) == case
    assert not made.objects.filter(application=application).exists()


def test_a_recommendation_to_reject_needs_reasons(in_review, officer):
    with pytest.raises(ValidationError) as raised:
        services.recommendation_make(application=in_review, by=officer, outcome="reject", reasons=" ")

    assert "reasons" in raised.value.message_dict
    assert status_of(in_review) == S.IN_REVIEW


def test_a_recommendation_to_reject_has_no_amount(in_review, officer):
    recommendation = services.recommendation_make(
        application=in_review, by=officer, outcome="reject", amount=100_000, reasons="Svarar ikkje på måla."
    )

    recommendation.refresh_from_db()
    assert recommendation.amount is None
    assert status_of(in_review) == S.RECOMMENDED


@pytest.mark.parametrize("role", ["decider", "officer_other_county", "coordinator_a", "ministry"])
def test_only_a_case_officer_of_the_county_can_recommend(request, in_review, role):
    with pytest.raises(NotAllowed):
        services.recommendation_make(
            application=in_review, by=request.getfixturevalue(role), outcome="approve", amount=100_000, reasons=REASONS
        )

    assert status_of(in_review) == S.IN_REVIEW


def test_a_case_not_yet_taken_cannot_be_recommended(submitted, officer):
    with pytest.raises(InvalidTransition):
        services.recommendation_make(
            application=submitted, by=officer, outcome="approve", amount=100_000, reasons=REASONS
        )

    assert status_of(submitted) == S.SUBMITTED


# Decide


def test_the_decision_maker_approves_the_recommended_case(recommended, decider, officer):
    decision = services.decision_make(
        application=recommended, by=decider, outcome="approve", amount=250_000, reasons=REASONS
    )

    recommended.refresh_from_db()
    assert recommended.status == S.APPROVED
    decision.refresh_from_db()
    assert (decision.outcome, decision.amount, decision.decided_by, decision.recommended_by) == (
        Decision.Outcome.APPROVED,
        250_000,
        decider,
        officer,
    )
    assert last_step(recommended, "comment") == (
        decider,
        "approve",
        S.RECOMMENDED,
        S.APPROVED,
        "Approved: 250\u00a0000\u00a0kr",
    )


def test_the_decision_maker_rejects_with_reasons(recommended, decider):
    decision = services.decision_make(
        application=recommended, by=decider, outcome="reject", reasons="Ramma er brukt opp."
    )

    recommended.refresh_from_db()
    assert recommended.status == S.REJECTED
    decision.refresh_from_db()
    assert (decision.outcome, decision.amount) == (Decision.Outcome.REJECTED, None)
    event = last_event(recommended)
    assert (event.action, event.from_status, event.to_status) == ("reject", S.RECOMMENDED, S.REJECTED)


def test_a_rejection_needs_reasons(recommended, decider):
    with pytest.raises(ValidationError) as raised:
        services.decision_make(application=recommended, by=decider, outcome="reject", reasons="")

    assert "reasons" in raised.value.message_dict
    assert status_of(recommended) == S.RECOMMENDED
    assert not Decision.objects.filter(application=recommended).exists()


def test_send_back_returns_the_case_to_the_officer(recommended, decider):
    result = services.decision_make(
        application=recommended, by=decider, outcome="send_back", reasons="Sjå på budsjettet igjen."
    )

    assert result is None
    assert status_of(recommended) == S.IN_REVIEW
    assert not Decision.objects.filter(application=recommended).exists()
    assert last_step(recommended, "comment") == (
        decider,
        "send_back",
        S.RECOMMENDED,
        S.IN_REVIEW,
        "Sjå på budsjettet igjen.",
    )


def test_an_unknown_outcome_is_refused(recommended, decider):
    with pytest.raises(LukError) as raised:
        services.decision_make(application=recommended, by=decider, outcome="maybe", reasons=REASONS)

    assert raised.value.field == "outcome"
    assert status_of(recommended) == S.RECOMMENDED


@pytest.mark.parametrize("role", ["officer", "decider_other_county", "coordinator_a", "ministry"])
def test_only_a_decision_maker_of_the_county_can_decide(request, recommended, role):
    with pytest.raises(NotAllowed):
        services.decision_make(
            application=recommended,
            by=request.getfixturevalue(role),
            outcome="approve",
            amount=250_000,
            reasons=REASONS,
        )

    assert status_of(recommended) == S.RECOMMENDED
    assert not Decision.objects.filter(application=recommended).exists()


def test_a_case_in_review_cannot_be_decided(in_review, decider):
    with pytest.raises(InvalidTransition):
        services.decision_make(application=in_review, by=decider, outcome="approve", amount=100_000, reasons=REASONS)

    assert status_of(in_review) == S.IN_REVIEW


def test_a_decided_case_cannot_be_decided_again(approved, decider):
    with pytest.raises(InvalidTransition):
        services.decision_make(application=approved, by=decider, outcome="reject", reasons=REASONS)

    assert status_of(approved) == S.APPROVED
    assert Decision.objects.get(application=approved).outcome == Decision.Outcome.APPROVED


# Four eyes


@pytest.fixture
def officer_and_decider(db):
    """One person who is both case officer and decision-maker of Nord-Trøndelag."""
    user = person("both.nt", Role.CASE_OFFICER, county("17"))
    person("both.nt", Role.DECISION_MAKER, county("17"))
    return user


def test_a_person_cannot_decide_on_their_own_recommendation(draft, coordinator_a, officer_and_decider):
    factories.recommend(draft, coordinator=coordinator_a, officer=officer_and_decider, amount=250_000)
    draft.refresh_from_db()

    assert not permissions.can_decide(officer_and_decider, draft)
    with pytest.raises(NotAllowed):
        services.decision_make(
            application=draft, by=officer_and_decider, outcome="approve", amount=250_000, reasons=REASONS
        )

    assert status_of(draft) == S.RECOMMENDED
    assert not Decision.objects.filter(application=draft).exists()


def test_a_colleague_decides_on_the_recommendation_the_other_wrote(draft, coordinator_a, officer_and_decider, decider):
    factories.recommend(draft, coordinator=coordinator_a, officer=officer_and_decider, amount=250_000)
    draft.refresh_from_db()

    assert permissions.can_decide(decider, draft)
    services.decision_make(application=draft, by=decider, outcome="approve", amount=250_000, reasons=REASONS)

    assert status_of(draft) == S.APPROVED
    decision = Decision.objects.get(application=draft)
    assert (decision.recommended_by, decision.decided_by) == (officer_and_decider, decider)


def test_the_database_refuses_a_decision_by_the_author_of_the_recommendation(recommended, officer):
    recommendation = Recommendation.objects.get(application=recommended)

    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            application=recommended,
            recommendation=recommendation,
            recommended_by=officer,
            decided_by=officer,
            outcome=Decision.Outcome.REJECTED,
            reasons=REASONS,
            decided_at=timezone.now(),
        )

    assert not Decision.objects.filter(application=recommended).exists()


# The timeline


def test_every_step_of_the_way_is_on_the_timeline(recommended, decider, coordinator_a, officer):
    services.decision_make(application=recommended, by=decider, outcome="approve", amount=250_000, reasons=REASONS)

    steps = list(
        CaseEvent.objects.filter(application=recommended)
        .order_by("at", "pk")
        .values_list("actor__username", "action", "from_status", "to_status")
    )
    assert steps == [
        (coordinator_a.username, "created", "", S.DRAFT),
        (coordinator_a.username, "submit", S.DRAFT, S.SUBMITTED),
        (officer.username, "take", S.SUBMITTED, S.IN_REVIEW),
        (officer.username, "recommend", S.IN_REVIEW, S.RECOMMENDED),
        (decider.username, "approve", S.RECOMMENDED, S.APPROVED),
    ]


# A partner kommune's coordinator


def test_a_partner_kommunes_coordinator_sees_the_case_but_cannot_edit_or_submit_it(draft, coordinator_b):
    assert draft.partner_municipalities.filter(number="1719").exists()
    assert permissions.applications_visible_to(coordinator_b).filter(pk=draft.pk).exists()
    assert permissions.get_application_for_user(coordinator_b, draft.pk) == draft
    assert not permissions.can_edit(coordinator_b, draft)
    assert not permissions.can_submit(coordinator_b, draft)
    with pytest.raises(PermissionDenied):
        permissions.get_application_for_user(coordinator_b, draft.pk, action="edit")
    with pytest.raises(NotAllowed):
        services.application_save_draft(application=draft, by=coordinator_b, fields={"title": "Kapra"})

    draft.refresh_from_db()
    assert draft.title == "Attraktive Steinkjer"


def test_a_coordinator_of_an_unrelated_kommune_does_not_see_the_case(draft, coordinator_a, coordinator_other_county):
    unrelated = person("coord.verdal", Role.COORDINATOR, kommune("1721"))

    assert not permissions.applications_visible_to(unrelated).filter(pk=draft.pk).exists()
    with pytest.raises(Http404):
        permissions.get_application_for_user(unrelated, draft.pk)
    with pytest.raises(Http404):
        permissions.get_application_for_user(coordinator_other_county, draft.pk)


# What the views are told


def test_another_countys_officer_gets_404(submitted, officer_other_county):
    with pytest.raises(Http404):
        permissions.get_application_for_user(officer_other_county, submitted.pk)
    with pytest.raises(Http404):
        permissions.get_application_for_user(officer_other_county, submitted.pk, action="take")


def test_the_decider_may_see_but_not_take_the_case(submitted, decider):
    assert permissions.get_application_for_user(decider, submitted.pk) == submitted
    with pytest.raises(PermissionDenied):
        permissions.get_application_for_user(decider, submitted.pk, action="take")


def test_the_officer_is_offered_exactly_the_steps_that_apply(in_review, officer, decider, coordinator_a):
    assert permissions.allowed_actions(officer, in_review) == {"return", "recommend"}
    assert permissions.allowed_actions(decider, in_review) == set()
    assert permissions.allowed_actions(coordinator_a, in_review) == set()


def test_the_coordinator_is_offered_edit_and_submit_on_a_draft(draft, coordinator_a, officer):
    assert permissions.allowed_actions(coordinator_a, draft) == {"edit", "submit"}
    assert permissions.allowed_actions(officer, draft) == set()
