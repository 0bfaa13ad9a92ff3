"""Overdue reports are reminded by e-mail once per interval, and projects are seen only by those they concern."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from applications import services, tasks
from applications.models import Project, ReminderSent
from applications.permissions import (
    allowed_project_actions,
    get_change_for_user,
    get_payment_for_user,
    get_project_for_user,
    get_report_for_user,
    projects_visible_to,
)
from applications.tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date
FIRST_DUE = D(2026, 7, 1)  # the first progress report of the approved project (start 1 January 2026, every 6 months)


@pytest.fixture
def project(approved) -> Project:
    return factories.project_of(approved)


@pytest.fixture
def people(coordinator_a, coordinator_b, officer, decider):
    """Everyone of Nord-Trøndelag, so that the tests see who is mailed and who is not."""
    return {"coordinator_a": coordinator_a, "coordinator_b": coordinator_b, "officer": officer, "decider": decider}


def remind(today: datetime.date, capture) -> tuple[int, list]:
    with capture(execute=True) as callbacks:
        sent = services.reminders_send(today=today)
    return sent, callbacks


# Reminders


def test_an_overdue_report_is_reminded_to_the_lead_coordinators_and_the_countys_officers(
    project, people, mailoutbox, django_capture_on_commit_callbacks
):
    sent, _callbacks = remind(FIRST_DUE + datetime.timedelta(days=1), django_capture_on_commit_callbacks)

    assert sent == 1
    assert sorted(tuple(message.to) for message in mailoutbox) == [
        ("coord.steinkjer@test.example",),
        ("officer.nt@test.example",),
    ]
    assert all(project.title in message.subject for message in mailoutbox)
    assert all(f"/{project.pk}/" in message.body for message in mailoutbox)
    assert list(ReminderSent.objects.values_list("deadline__due_on", "interval")) == [(FIRST_DUE, 0)]


def test_a_report_not_yet_due_is_not_reminded(project, people, mailoutbox, django_capture_on_commit_callbacks):
    sent, _callbacks = remind(FIRST_DUE, django_capture_on_commit_callbacks)

    assert sent == 0
    assert mailoutbox == []
    assert not ReminderSent.objects.exists()


def test_every_overdue_deadline_gets_its_own_reminder(project, people, mailoutbox, django_capture_on_commit_callbacks):
    sent, _callbacks = remind(D(2027, 1, 5), django_capture_on_commit_callbacks)

    assert sent == 2
    assert len(mailoutbox) == 4
    assert sorted(ReminderSent.objects.values_list("deadline__due_on", flat=True)) == [FIRST_DUE, D(2027, 1, 1)]


@pytest.mark.parametrize("days_later", [0, 1, 5])
def test_the_same_week_brings_no_second_reminder(
    project, people, mailoutbox, django_capture_on_commit_callbacks, days_later
):
    first_run = FIRST_DUE + datetime.timedelta(days=1)
    remind(first_run, django_capture_on_commit_callbacks)
    mailoutbox.clear()

    sent, callbacks = remind(first_run + datetime.timedelta(days=days_later), django_capture_on_commit_callbacks)

    assert (sent, callbacks, mailoutbox) == (0, [], [])
    assert ReminderSent.objects.count() == 1


def test_a_week_later_the_report_is_reminded_again(project, people, mailoutbox, django_capture_on_commit_callbacks):
    first_run = FIRST_DUE + datetime.timedelta(days=1)
    remind(first_run, django_capture_on_commit_callbacks)
    mailoutbox.clear()

    sent, _callbacks = remind(first_run + datetime.timedelta(days=7), django_capture_on_commit_callbacks)

    assert sent == 1
    assert len(mailoutbox) == 2
    assert sorted(ReminderSent.objects.values_list("interval", flat=True)) == [0, 1]


def test_a_deadline_answered_by_a_submitted_report_is_not_reminded(
    project, people, coordinator_a, mailoutbox, django_capture_on_commit_callbacks
):
    report = factories.report_submitted(project, by=coordinator_a)
    assert report.deadline.due_on == FIRST_DUE
    mailoutbox.clear()

    sent, _callbacks = remind(FIRST_DUE + datetime.timedelta(days=1), django_capture_on_commit_callbacks)

    assert (sent, mailoutbox) == (0, [])
    assert not ReminderSent.objects.exists()


def test_a_draft_report_does_not_stop_the_reminder(project, people, coordinator_a, django_capture_on_commit_callbacks):
    services.report_create(project=project, by=coordinator_a)

    sent, _callbacks = remind(FIRST_DUE + datetime.timedelta(days=1), django_capture_on_commit_callbacks)

    assert sent == 1


@pytest.mark.parametrize("end", ["cancel", "close"])
def test_a_closed_or_cancelled_project_gets_no_reminders(
    project, people, coordinator_a, officer, mailoutbox, django_capture_on_commit_callbacks, end
):
    if end == "cancel":
        services.project_cancel(project=project, by=officer, reasons="Kommunen trekte seg.")
    else:
        factories.report_approved(project, coordinator=coordinator_a, officer=officer, final=True)
        services.project_close(project=project, by=officer)
    project.refresh_from_db()
    assert project.status != Project.Status.ACTIVE
    mailoutbox.clear()

    sent, _callbacks = remind(D(2028, 6, 1), django_capture_on_commit_callbacks)

    assert (sent, mailoutbox) == (0, [])
    assert not ReminderSent.objects.exists()


def test_setting_the_schedule_again_does_not_remind_an_unchanged_deadline_twice_in_a_week(
    project, people, officer, mailoutbox, django_capture_on_commit_callbacks
):
    remind(FIRST_DUE + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    mailoutbox.clear()

    services.schedule_set(project=project, by=officer, every_months=6, final_due=D(2028, 4, 30))
    sent, _callbacks = remind(FIRST_DUE + datetime.timedelta(days=2), django_capture_on_commit_callbacks)

    assert (sent, mailoutbox) == (0, [])
    assert ReminderSent.objects.count() == 1


def test_the_celery_task_sends_the_reminders(project, people, officer, mailoutbox, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    services.schedule_set(
        project=project,
        by=officer,
        fixed_dates=[today - datetime.timedelta(days=3)],
        final_due=today + datetime.timedelta(days=400),
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.report_reminders.delay()

    assert result.get() == 1
    assert len(mailoutbox) == 2
    assert ReminderSent.objects.get().deadline.due_on == today - datetime.timedelta(days=3)


# Who sees a project


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("coordinator_a", True),  # the lead kommune
        ("coordinator_b", True),  # a partner kommune
        ("officer", True),
        ("decider", True),
        ("ministry", True),
        ("coordinator_other_county", False),
        ("officer_other_county", False),
        ("decider_other_county", False),
        ("nobody", False),
    ],
)
def test_projects_are_visible_to_the_kommunar_they_concern_their_county_and_the_ministry(request, project, role, sees):
    visible = projects_visible_to(request.getfixturevalue(role))

    assert list(visible.values_list("pk", flat=True)) == ([project.pk] if sees else [])


@pytest.mark.parametrize("role", ["officer_other_county", "coordinator_other_county", "nobody"])
def test_another_countys_project_answers_404(request, project, role):
    with pytest.raises(Http404):
        get_project_for_user(request.getfixturevalue(role), project.pk)


def test_a_project_id_that_is_not_a_number_answers_404(officer):
    with pytest.raises(Http404):
        get_project_for_user(officer, "x")


def test_the_coordinator_may_see_the_project_but_not_set_its_schedule(project, coordinator_a, officer):
    assert get_project_for_user(coordinator_a, project.pk) == project
    with pytest.raises(PermissionDenied):
        get_project_for_user(coordinator_a, project.pk, action="schedule")

    assert get_project_for_user(officer, project.pk, action="schedule") == project


def test_a_partner_kommune_reads_but_does_not_report(project, coordinator_b):
    assert get_project_for_user(coordinator_b, project.pk) == project
    with pytest.raises(PermissionDenied):
        get_project_for_user(coordinator_b, project.pk, action="report")


@pytest.mark.parametrize(
    ("role", "actions"),
    [
        ("coordinator_a", {"plan", "report", "payment", "change"}),
        ("officer", {"plan", "schedule", "close"}),
        ("decider", {"close"}),
        ("coordinator_b", set()),
        ("ministry", set()),
    ],
)
def test_each_role_is_offered_only_its_own_steps(request, project, role, actions):
    assert allowed_project_actions(request.getfixturevalue(role), project) == actions


def test_a_closed_project_offers_no_steps_to_anyone(project, coordinator_a, officer):
    services.project_cancel(project=project, by=officer, reasons="Kommunen trekte seg.")
    project.refresh_from_db()

    assert allowed_project_actions(coordinator_a, project) == set()
    assert allowed_project_actions(officer, project) == set()
    with pytest.raises(PermissionDenied):
        get_project_for_user(officer, project.pk, action="schedule")


def test_another_countys_reports_payments_and_change_requests_answer_404(
    project, coordinator_a, officer, officer_other_county
):
    report = factories.report_submitted(project, by=coordinator_a)
    payment = services.payment_request(project=project, by=coordinator_a, amount=50_000, report=report)
    change = services.change_request_create(
        project=project, by=coordinator_a, kind="extend", reasons="Treng tid.", new_period_end=D(2028, 6, 30)
    )

    with pytest.raises(Http404):
        get_report_for_user(officer_other_county, report.pk)
    with pytest.raises(Http404):
        get_payment_for_user(officer_other_county, payment.pk)
    with pytest.raises(Http404):
        get_change_for_user(officer_other_county, change.pk)
    assert get_report_for_user(officer, report.pk, action="review") == report
    assert get_payment_for_user(officer, payment.pk, decide=True) == payment
    assert get_change_for_user(officer, change.pk, decide=True) == change
    with pytest.raises(PermissionDenied):
        get_payment_for_user(coordinator_a, payment.pk, decide=True)
    with pytest.raises(PermissionDenied):
        get_report_for_user(coordinator_a, report.pk, action="review")
