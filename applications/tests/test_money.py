"""Money: approvals take from the county's free frame and never more than it holds, even at the same moment;
county plans approved by the ministry add frames."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F

from applications import services
from applications.models import Application, CaseEvent, CountyPlan, Decision
from applications.tests import factories
from conftest import IN_CI, county, kommune, require
from luk_portal.errors import InvalidTransition, NotAllowed
from programmes.models import CountyAccount, CountyFrame, Theme
from programmes.services import account_for
from programmes.tests.factories import MunicipalRoundFactory

REASONS = "Prosjektet svarar godt på resultatmåla."

pytestmark = pytest.mark.django_db

# Decided when the tests are collected, so that on SQLite the transactional test is skipped before it loads and
# then empties the database; under CI it runs (and fails on SQLite), as the root conftest asks.
NOT_ON_POSTGRES = connection.vendor != "postgresql" and not IN_CI


def nt_account() -> CountyAccount:
    return account_for(county=county("17"), programme=factories.luk())


# Approvals and the county's frame


def test_an_approval_reserves_the_amount_from_the_countys_frame(recommended, decider):
    before = nt_account()
    assert (before.framed, before.granted, before.free) == (1_000_000, 0, 1_000_000)

    services.decision_make(application=recommended, by=decider, outcome="approve", amount=250_000, reasons=REASONS)

    after = nt_account()
    assert (after.framed, after.granted, after.free) == (1_000_000, 250_000, 750_000)


def test_a_rejection_reserves_nothing(recommended, decider):
    services.decision_make(application=recommended, by=decider, outcome="reject", reasons="Svarar ikkje på måla.")

    assert nt_account().granted == 0


def test_the_other_countys_frame_is_untouched_by_an_approval(recommended, decider):
    services.decision_make(application=recommended, by=decider, outcome="approve", amount=250_000, reasons=REASONS)

    assert account_for(county=county("15"), programme=factories.luk()).granted == 0


def test_an_amount_above_the_free_frame_is_refused_and_nothing_changes(
    approved, coordinator_a, officer, decider, nt_round
):
    second = factories.make_draft(
        by=coordinator_a, municipality=kommune("1702"), funding_round=nt_round, budget=1_000_000
    )
    factories.recommend(second, coordinator=coordinator_a, officer=officer, amount=900_000)

    with pytest.raises(ValidationError) as raised:
        services.decision_make(application=second, by=decider, outcome="approve", amount=900_000, reasons=REASONS)

    message = raised.value.message_dict["amount"][0]
    assert "free frame" in message
    assert "750\u00a0000\u00a0kr" in message
    second.refresh_from_db()
    assert second.status == Application.Status.RECOMMENDED
    assert not Decision.objects.filter(application=second).exists()
    assert not CaseEvent.objects.filter(application=second, action="approve").exists()
    account = nt_account()
    assert (account.framed, account.granted) == (1_000_000, 250_000)


def test_the_whole_free_frame_can_be_granted(coordinator_a, officer, decider, nt_round):
    application = factories.make_draft(
        by=coordinator_a, municipality=kommune("1702"), funding_round=nt_round, budget=1_100_000
    )

    factories.approve(application, coordinator=coordinator_a, officer=officer, decider=decider, amount=1_000_000)

    account = nt_account()
    assert (account.granted, account.free) == (1_000_000, 0)


def test_the_database_refuses_more_granted_than_the_frames_hold():
    account = nt_account()

    factories.account_sum_refused(account, "granted", account.framed + 1)

    assert nt_account().granted == 0


@pytest.mark.postgres
@pytest.mark.skipif(NOT_ON_POSTGRES, reason="needs PostgreSQL (set DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_two_decisions_at_the_same_moment_cannot_grant_more_than_the_frame(reference_data_put_back, refdata):
    require(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    coordinator, officer, decider = factories.nt_staff()
    funding_round = MunicipalRoundFactory(county=county("17"))
    applications = []
    for _number in range(2):
        application = factories.make_draft(
            by=coordinator, municipality=kommune("1702"), funding_round=funding_round, budget=800_000
        )
        factories.recommend(application, coordinator=coordinator, officer=officer, amount=700_000)
        applications.append(application)
    account = account_for(county=county("17"), programme=refdata)
    assert (account.framed, account.free) == (1_000_000, 1_000_000)

    def decide(application: Application) -> object:
        return services.decision_make(
            application=application, by=decider, outcome="approve", amount=700_000, reasons=REASONS
        )

    results = factories.at_the_same_moment(decide, applications)

    decisions = [r for r in results.values() if isinstance(r, Decision)]
    refusals = [r for r in results.values() if isinstance(r, ValidationError)]
    assert len(decisions) == 1, results
    assert len(refusals) == 1, results
    assert "free frame" in refusals[0].message_dict["amount"][0]
    assert "300\u00a0000\u00a0kr" in refusals[0].message_dict["amount"][0]
    account.refresh_from_db()
    assert (account.framed, account.granted) == (1_000_000, 700_000)
    assert not CountyAccount.history.filter(pk=account.pk, granted__gt=F("framed")).exists()
    statuses = sorted(Application.objects.filter(pk__in=[a.pk for a in applications]).values_list("status", flat=True))
    assert statuses == [Application.Status.APPROVED, Application.Status.RECOMMENDED]
    assert Decision.objects.count() == 1


# County plans


def complete_plan(*, by, requested: int = 2_000_000) -> CountyPlan:
    plan = services.plan_create(by=by, county=county("17"), programme=factories.luk(), title="LUK i Nord-Trøndelag")
    return services.plan_save_draft(
        plan=plan,
        by=by,
        fields={
            "requested_amount": requested,
            "period_start": datetime.date(2010, 1, 1),
            "period_end": datetime.date(2012, 12, 31),
            "activities": "Kompetanse og nettverk.",
            "budget": "Prosjektleiing 1 MNOK, kurs 1 MNOK.",
        },
        themes=list(Theme.objects.filter(programme=factories.luk())[:2]),
        municipalities=[kommune("1702"), kommune("1719")],
    )


@pytest.fixture
def submitted_plan(officer):
    plan = complete_plan(by=officer)
    return services.plan_submit(plan=plan, by=officer)


def test_a_county_plan_approved_by_the_ministry_adds_a_frame(submitted_plan, ministry):
    frames_before = CountyFrame.objects.filter(county=county("17")).count()

    services.plan_approve(plan=submitted_plan, by=ministry, amount=1_500_000, comment="Godt arbeid.")

    submitted_plan.refresh_from_db()
    assert submitted_plan.status == CountyPlan.Status.APPROVED
    assert submitted_plan.approved_amount == 1_500_000
    frames = CountyFrame.objects.filter(county=county("17")).order_by("pk")
    assert frames.count() == frames_before + 1
    assert frames.last().amount == 1_500_000
    account = nt_account()
    assert (account.framed, account.free) == (2_500_000, 2_500_000)
    event = CaseEvent.objects.filter(county_plan=submitted_plan).order_by("-pk").first()
    assert (event.actor, event.action, event.from_status, event.to_status) == (
        ministry,
        "approve",
        "submitted",
        "approved",
    )


def test_the_approved_plan_amount_cannot_exceed_what_was_applied_for(submitted_plan, ministry):
    with pytest.raises(ValidationError) as raised:
        services.plan_approve(plan=submitted_plan, by=ministry, amount=2_000_001)

    assert "more than applied for" in raised.value.message_dict["amount"][0]
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == CountyPlan.Status.SUBMITTED
    assert nt_account().framed == 1_000_000


def test_the_approved_plan_amount_must_be_given(submitted_plan, ministry):
    with pytest.raises(ValidationError) as raised:
        services.plan_approve(plan=submitted_plan, by=ministry, amount=0)

    assert "amount" in raised.value.message_dict
    assert nt_account().framed == 1_000_000


@pytest.mark.parametrize("role", ["officer", "decider", "coordinator_a", "officer_other_county"])
def test_only_the_ministry_approves_or_returns_a_county_plan(request, submitted_plan, role):
    user = request.getfixturevalue(role)

    with pytest.raises(NotAllowed):
        services.plan_approve(plan=submitted_plan, by=user, amount=1_000_000)
    with pytest.raises(NotAllowed):
        services.plan_return(plan=submitted_plan, by=user, message="Endra.")

    submitted_plan.refresh_from_db()
    assert submitted_plan.status == CountyPlan.Status.SUBMITTED
    assert nt_account().framed == 1_000_000


def test_a_returned_plan_needs_a_message_and_can_be_changed_and_submitted_again(submitted_plan, ministry, officer):
    with pytest.raises(ValidationError) as raised:
        services.plan_return(plan=submitted_plan, by=ministry, message="  ")
    assert "message" in raised.value.message_dict
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == CountyPlan.Status.SUBMITTED

    services.plan_return(plan=submitted_plan, by=ministry, message="Skriv meir om budsjettet.")
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == CountyPlan.Status.RETURNED
    event = CaseEvent.objects.filter(county_plan=submitted_plan).order_by("-pk").first()
    assert (event.action, event.comment) == ("return", "Skriv meir om budsjettet.")

    services.plan_save_draft(plan=submitted_plan, by=officer, fields={"budget": "Prosjektleiing 1,2 MNOK."})
    services.plan_submit(plan=submitted_plan, by=officer)
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == CountyPlan.Status.SUBMITTED
    assert submitted_plan.budget == "Prosjektleiing 1,2 MNOK."


def test_a_plan_in_draft_cannot_be_approved(officer, ministry):
    plan = complete_plan(by=officer)

    with pytest.raises(InvalidTransition):
        services.plan_approve(plan=plan, by=ministry, amount=1_000_000)

    plan.refresh_from_db()
    assert plan.status == CountyPlan.Status.DRAFT
    assert nt_account().framed == 1_000_000


@pytest.mark.parametrize("role", ["coordinator_a", "ministry", "officer_other_county", "nobody"])
def test_only_the_countys_staff_write_its_plan(request, role):
    with pytest.raises(NotAllowed):
        services.plan_create(
            by=request.getfixturevalue(role), county=county("17"), programme=factories.luk(), title="Plan"
        )

    assert not CountyPlan.objects.filter(county=county("17")).exists()


@pytest.mark.parametrize("role", ["officer", "decider"])
def test_the_countys_officers_and_decision_makers_write_and_submit_its_plan(request, role):
    user = request.getfixturevalue(role)
    plan = complete_plan(by=user)

    services.plan_submit(plan=plan, by=user)

    plan.refresh_from_db()
    assert plan.status == CountyPlan.Status.SUBMITTED
    assert plan.submitted_at is not None


@pytest.mark.parametrize("role", ["coordinator_a", "ministry", "officer_other_county"])
def test_only_the_countys_staff_change_and_submit_its_plan(request, officer, role):
    plan = complete_plan(by=officer)
    user = request.getfixturevalue(role)

    factories.neither_saved_nor_submitted(
        services.plan_save_draft, services.plan_submit, by=user, fields={"title": "Kapra"}, plan=plan
    )

    plan.refresh_from_db()
    assert (plan.title, plan.status) == ("LUK i Nord-Trøndelag", CountyPlan.Status.DRAFT)


def test_a_plan_with_missing_parts_cannot_be_submitted_and_says_what_is_missing(officer):
    plan = services.plan_create(by=officer, county=county("17"), programme=factories.luk(), title="Utkast")

    with pytest.raises(ValidationError) as raised:
        services.plan_submit(plan=plan, by=officer)

    assert set(raised.value.message_dict) == {
        "activities",
        "budget",
        "requested_amount",
        "period_start",
        "period_end",
        "themes",
        "municipalities",
    }
    plan.refresh_from_db()
    assert plan.status == CountyPlan.Status.DRAFT


def test_a_plan_that_ends_before_it_starts_cannot_be_submitted(officer):
    plan = complete_plan(by=officer)
    services.plan_save_draft(plan=plan, by=officer, fields={"period_end": datetime.date(2009, 1, 1)})

    with pytest.raises(ValidationError) as raised:
        services.plan_submit(plan=plan, by=officer)

    assert "cannot end before it starts" in raised.value.message_dict["period_end"][0]
    plan.refresh_from_db()
    assert plan.status == CountyPlan.Status.DRAFT


def test_a_plan_names_only_kommunar_of_its_own_county(officer):
    plan = complete_plan(by=officer)

    services.plan_save_draft(plan=plan, by=officer, fields={}, municipalities=[kommune("1702"), kommune("1504")])

    assert list(plan.municipalities.values_list("number", flat=True)) == ["1702"]
