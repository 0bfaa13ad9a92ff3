"""A project's change requests (a longer period, money moved between budget lines): asked for by the lead
coordinator, decided by the county's case officer, each step on the project's timeline."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from applications import services
from applications.models import (
    BudgetLine,
    ChangeRequest,
)
from applications.tests.projects_data import (
    END,
    D,
    deadlines,
    last_event,
    refusal_needs_text,
)
from luk_portal.errors import LukError, NotAllowed

pytestmark = pytest.mark.django_db


# Change requests: extending the period


def test_an_approved_extension_moves_the_end_and_the_final_deadline(project, coordinator_a, officer):
    change = services.change_request_create(
        project=project,
        by=coordinator_a,
        kind="extend",
        reasons="Verkstadene tok lengre tid.",
        new_period_end=D(2028, 6, 30),
    )
    change.refresh_from_db()
    assert (change.status, change.period_end_before, change.new_period_end) == ("requested", END, D(2028, 6, 30))
    event = last_event(project)
    assert (event.action, event.actor) == ("change_request", coordinator_a)

    services.change_request_decide(change_request=change, by=officer, approve=True)

    project.refresh_from_db()
    change.refresh_from_db()
    assert (change.status, change.decided_by) == ("approved", officer)
    assert project.period_end == D(2028, 6, 30)
    assert project.final_report_due > project.period_end
    assert project.final_report_due - D(2028, 3, 31) == D(2028, 6, 30) - END
    assert deadlines(project) == [
        (D(2026, 7, 1), False),
        (D(2027, 1, 1), False),
        (D(2027, 7, 1), False),
        (D(2028, 1, 1), False),
        (project.final_report_due, True),
    ]
    event = last_event(project)
    assert (event.action, event.actor) == ("change_approve", officer)


def test_an_approved_extension_keeps_the_fixed_report_dates_the_officer_set(project, coordinator_a, officer):
    services.schedule_set(
        project=project, by=officer, fixed_dates=[D(2026, 10, 1), D(2027, 6, 15)], final_due=D(2028, 1, 31)
    )
    change = services.change_request_create(
        project=project, by=coordinator_a, kind="extend", reasons="Forseinka.", new_period_end=D(2028, 3, 31)
    )

    services.change_request_decide(change_request=change, by=officer, approve=True)

    project.refresh_from_db()
    assert project.period_end == D(2028, 3, 31)
    assert deadlines(project) == [(D(2026, 10, 1), False), (D(2027, 6, 15), False), (project.final_report_due, True)]


@pytest.mark.parametrize("new_end", [END, D(2027, 6, 30), None])
def test_an_extension_needs_a_new_end_after_the_present_one(project, coordinator_a, new_end):
    with pytest.raises(ValidationError) as raised:
        services.change_request_create(
            project=project, by=coordinator_a, kind="extend", reasons="Treng tid.", new_period_end=new_end
        )

    assert "31.12.2027" in raised.value.message_dict["new_period_end"][0]
    assert not ChangeRequest.objects.filter(project=project).exists()


def test_a_change_request_needs_reasons_and_a_known_kind(project, coordinator_a):
    with pytest.raises(ValidationError) as raised:
        services.change_request_create(project=project, by=coordinator_a, kind="rename", reasons=" ")

    assert set(raised.value.message_dict) == {"reasons", "kind"}
    assert not ChangeRequest.objects.filter(project=project).exists()


# Change requests: moving money between budget lines


def budget_move(project, *, by, reasons: str, after: dict[int, int]) -> ChangeRequest:
    """`by` asks to move money between the project's budget lines: `after`, each line's new amount by its id."""
    return services.change_request_create(project=project, by=by, kind="budget", reasons=reasons, budget_after=after)


def test_an_approved_budget_move_changes_the_lines_and_the_history_keeps_the_old_amounts(
    two_lines, coordinator_a, officer
):
    personnel, events = two_lines.application.budget_lines.order_by("pk")
    change = budget_move(
        two_lines, by=coordinator_a, reasons="Fleire verkstader.", after={personnel.pk: 250_000, events.pk: 150_000}
    )
    change.refresh_from_db()
    assert [line["amount"] for line in change.budget_before] == [300_000, 100_000]
    assert [line["amount"] for line in change.budget_after] == [250_000, 150_000]
    personnel.refresh_from_db()
    assert personnel.amount == 300_000  # nothing moves before the county decides

    services.change_request_decide(change_request=change, by=officer, approve=True, comment="Greitt.")

    personnel.refresh_from_db()
    events.refresh_from_db()
    assert (personnel.amount, events.amount) == (250_000, 150_000)
    history = list(BudgetLine.history.filter(id=personnel.pk).order_by("history_date").values_list("amount", flat=True))
    assert history[-2:] == [300_000, 250_000]
    assert BudgetLine.history.filter(id=personnel.pk).latest("history_date").history_user == officer
    change.refresh_from_db()
    assert (change.status, change.decision_comment) == ("approved", "Greitt.")
    assert [line["amount"] for line in change.budget_before] == [300_000, 100_000]


@pytest.mark.parametrize(
    "after", [{"personnel": 250_000, "events": 100_000}, {"personnel": 300_000, "events": 100_000}]
)
def test_a_budget_move_keeps_the_total_and_changes_something(two_lines, coordinator_a, after):
    lines = {line.category: line.pk for line in two_lines.application.budget_lines.all()}

    with pytest.raises(ValidationError) as raised:
        budget_move(
            two_lines, by=coordinator_a, reasons="Flytt.", after={lines[name]: amount for name, amount in after.items()}
        )

    assert "budget" in raised.value.message_dict
    assert not ChangeRequest.objects.filter(project=two_lines).exists()


def test_a_refusal_needs_a_comment_and_changes_nothing(project, coordinator_a, officer):
    change = services.change_request_create(
        project=project, by=coordinator_a, kind="extend", reasons="Treng tid.", new_period_end=D(2028, 6, 30)
    )

    def refuse(comment: str) -> None:
        services.change_request_decide(change_request=change, by=officer, approve=False, comment=comment)

    refusal_needs_text(change, "comment", status="requested", refuse=refuse, blank="", text="Ikkje grunngjeve.")

    change.refresh_from_db()
    project.refresh_from_db()
    assert (change.status, change.decided_by, change.decision_comment) == ("refused", officer, "Ikkje grunngjeve.")
    assert (project.period_end, project.final_report_due) == (END, D(2028, 3, 31))
    event = last_event(project)
    assert (event.action, event.actor) == ("change_refuse", officer)


def test_a_decided_change_request_cannot_be_decided_again(project, coordinator_a, officer):
    change = services.change_request_create(
        project=project, by=coordinator_a, kind="extend", reasons="Treng tid.", new_period_end=D(2028, 6, 30)
    )
    services.change_request_decide(change_request=change, by=officer, approve=False, comment="Nei.")

    with pytest.raises(LukError):
        services.change_request_decide(change_request=change, by=officer, approve=True)

    project.refresh_from_db()
    change.refresh_from_db()
    assert (project.period_end, change.status) == (END, "refused")


def test_an_extension_asked_for_before_another_was_approved_cannot_shorten_the_period(project, coordinator_a, officer):
    longer = services.change_request_create(
        project=project, by=coordinator_a, kind="extend", reasons="Eit år.", new_period_end=D(2028, 12, 31)
    )
    shorter = services.change_request_create(
        project=project, by=coordinator_a, kind="extend", reasons="Eit halvår.", new_period_end=D(2028, 6, 30)
    )
    services.change_request_decide(change_request=longer, by=officer, approve=True)
    project.refresh_from_db()
    final_due = project.final_report_due

    with pytest.raises(LukError):
        services.change_request_decide(change_request=shorter, by=officer, approve=True)

    project.refresh_from_db()
    shorter.refresh_from_db()
    assert (project.period_end, project.final_report_due, shorter.status) == (D(2028, 12, 31), final_due, "requested")
    assert deadlines(project)[-1] == (final_due, True)


def test_a_budget_move_asked_for_before_another_was_approved_is_not_applied(two_lines, coordinator_a, officer):
    personnel, events = two_lines.application.budget_lines.order_by("pk")
    first = budget_move(
        two_lines, by=coordinator_a, reasons="Flytt.", after={personnel.pk: 250_000, events.pk: 150_000}
    )
    second = budget_move(
        two_lines, by=coordinator_a, reasons="Flytt meir.", after={personnel.pk: 200_000, events.pk: 200_000}
    )
    services.change_request_decide(change_request=first, by=officer, approve=True)

    with pytest.raises(LukError):
        services.change_request_decide(change_request=second, by=officer, approve=True)

    personnel.refresh_from_db()
    events.refresh_from_db()
    second.refresh_from_db()
    assert (personnel.amount, events.amount, second.status) == (250_000, 150_000, "requested")


@pytest.mark.parametrize("role", ["officer", "decider", "coordinator_b", "coordinator_other_county", "ministry"])
def test_only_the_lead_coordinator_requests_changes(request, project, role):
    with pytest.raises(NotAllowed):
        services.change_request_create(
            project=project,
            by=request.getfixturevalue(role),
            kind="extend",
            reasons="Treng tid.",
            new_period_end=D(2028, 6, 30),
        )

    assert not ChangeRequest.objects.filter(project=project).exists()


@pytest.mark.parametrize("role", ["coordinator_a", "decider", "officer_other_county", "ministry"])
def test_only_the_countys_case_officer_decides_change_requests(request, project, coordinator_a, role):
    change = services.change_request_create(
        project=project, by=coordinator_a, kind="extend", reasons="Treng tid.", new_period_end=D(2028, 6, 30)
    )
    user = request.getfixturevalue(role)

    with pytest.raises(NotAllowed):
        services.change_request_decide(change_request=change, by=user, approve=True)
    with pytest.raises(NotAllowed):
        services.change_request_decide(change_request=change, by=user, approve=False, comment="Nei.")

    change.refresh_from_db()
    project.refresh_from_db()
    assert (change.status, project.period_end) == ("requested", END)
