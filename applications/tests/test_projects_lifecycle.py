"""The project an approved application becomes: its report schedule and plan, each step by the right role
only and on the project's timeline."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from applications import services
from applications.models import (
    CaseEvent,
    Indicator,
    Milestone,
    Project,
)
from applications.tests.projects_data import (
    END,
    START,
    D,
    deadlines,
    indicator_row,
    last_event,
)
from luk_portal.errors import LukError, NotAllowed

pytestmark = pytest.mark.django_db


# The project an approval makes


def test_an_approval_makes_one_project_with_the_granted_amount_and_the_applications_period(approved):
    projects = Project.objects.filter(application=approved)

    assert projects.count() == 1
    project = projects.get()
    assert (project.granted_amount, project.paid_amount, project.released_amount) == (250_000, 0, 0)
    assert (project.period_start, project.period_end) == (START, END)
    assert (project.status, project.county.number, project.lead_municipality.number) == ("active", "17", "1702")
    assert project.title == approved.title


def test_the_new_project_has_a_progress_report_every_six_months_and_one_final_report(project):
    assert project.report_every_months == 6
    assert deadlines(project) == [
        (D(2026, 7, 1), False),
        (D(2027, 1, 1), False),
        (D(2027, 7, 1), False),
        (D(2028, 3, 31), True),
    ]
    assert project.final_report_due == D(2028, 3, 31)


def test_the_project_start_is_on_its_timeline(project, decider):
    event = last_event(project)

    assert (event.action, event.actor, event.comment) == ("project_created", decider, "250\u00a0000\u00a0kr")


def test_a_rejection_makes_no_project(recommended, decider):
    services.decision_make(application=recommended, by=decider, outcome="reject", reasons="Svarar ikkje på måla.")

    assert not Project.objects.filter(application=recommended).exists()


# The report schedule


def test_the_officer_sets_a_report_every_four_months_and_the_final_date(project, officer):
    services.schedule_set(project=project, by=officer, every_months=4, final_due=D(2028, 2, 1))

    project.refresh_from_db()
    assert (project.report_every_months, project.final_report_due) == (4, D(2028, 2, 1))
    assert deadlines(project) == [
        (D(2026, 5, 1), False),
        (D(2026, 9, 1), False),
        (D(2027, 1, 1), False),
        (D(2027, 5, 1), False),
        (D(2027, 9, 1), False),
        (D(2028, 2, 1), True),
    ]
    event = last_event(project)
    assert (event.action, event.actor) == ("schedule", officer)
    assert "01.02.2028" in event.comment


def test_the_officer_sets_fixed_report_dates(project, officer):
    services.schedule_set(
        project=project, by=officer, fixed_dates=[D(2027, 6, 15), D(2026, 10, 1)], final_due=D(2028, 1, 31)
    )

    project.refresh_from_db()
    assert project.report_every_months is None
    assert deadlines(project) == [(D(2026, 10, 1), False), (D(2027, 6, 15), False), (D(2028, 1, 31), True)]


def test_a_new_schedule_keeps_the_deadline_a_report_answers(project, officer, coordinator_a):
    report = services.report_create(project=project, by=coordinator_a)
    answered = report.deadline
    assert answered.due_on == D(2026, 7, 1)

    services.schedule_set(project=project, by=officer, fixed_dates=[D(2026, 9, 1)], final_due=D(2028, 1, 31))

    assert deadlines(project) == [(D(2026, 7, 1), False), (D(2026, 9, 1), False), (D(2028, 1, 31), True)]
    report.refresh_from_db()
    assert report.deadline_id == answered.pk


def test_a_schedule_needs_an_interval_or_dates_and_a_final_date_after_the_start(project, officer):
    before = deadlines(project)

    with pytest.raises(ValidationError) as raised:
        services.schedule_set(project=project, by=officer, final_due=D(2028, 1, 31))
    assert "every_months" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        services.schedule_set(project=project, by=officer, every_months=3, final_due=D(2025, 12, 31))
    assert "final_due" in raised.value.message_dict

    project.refresh_from_db()
    assert (project.report_every_months, project.final_report_due) == (6, D(2028, 3, 31))
    assert deadlines(project) == before


@pytest.mark.parametrize("role", ["coordinator_a", "decider", "officer_other_county", "ministry"])
def test_only_the_countys_case_officer_sets_the_schedule(request, project, role):
    before = deadlines(project)

    with pytest.raises(NotAllowed):
        services.schedule_set(
            project=project, by=request.getfixturevalue(role), every_months=3, final_due=D(2028, 1, 31)
        )

    project.refresh_from_db()
    assert project.report_every_months == 6
    assert deadlines(project) == before
    assert not CaseEvent.objects.filter(project=project, action="schedule").exists()


# The project plan


@pytest.mark.parametrize("role", ["coordinator_a", "officer"])
def test_the_lead_coordinator_and_the_officer_save_milestones_and_indicators(request, project, role):
    user = request.getfixturevalue(role)

    services.project_plan_save(
        project=project,
        by=user,
        milestones=[{"name": "Stadanalyse ferdig", "due_date": D(2026, 6, 1), "status": "planned"}],
        indicators=[indicator_row()],
    )

    milestone = Milestone.objects.get(project=project)
    assert (milestone.name, milestone.due_date, milestone.status) == ("Stadanalyse ferdig", D(2026, 6, 1), "planned")
    indicator = Indicator.objects.get(project=project)
    assert (indicator.result_goal.number, indicator.baseline, indicator.target) == (1, 10, 30)
    event = last_event(project)
    assert (event.action, event.actor) == ("plan", user)


def test_the_plan_changes_and_removes_rows(project, coordinator_a):
    services.project_plan_save(
        project=project,
        by=coordinator_a,
        milestones=[
            {"name": "Analyse", "due_date": D(2026, 6, 1), "status": "planned"},
            {"name": "Verkstad", "due_date": D(2026, 9, 1), "status": "planned"},
        ],
        indicators=[],
    )
    analyse, verkstad = Milestone.objects.filter(project=project).order_by("due_date")

    services.project_plan_save(
        project=project,
        by=coordinator_a,
        milestones=[
            {"pk": analyse.pk, "name": "Analyse", "due_date": D(2026, 7, 1), "status": "started"},
            {"pk": verkstad.pk, "delete": True},
        ],
        indicators=[],
    )

    assert list(Milestone.objects.filter(project=project).values_list("name", "due_date", "status")) == [
        ("Analyse", D(2026, 7, 1), "started")
    ]


def test_an_indicator_must_belong_to_a_result_goal_the_application_addresses(project, coordinator_a):
    assert list(project.application.result_goals.values_list("number", flat=True)) == [1]

    with pytest.raises(ValidationError) as raised:
        services.project_plan_save(project=project, by=coordinator_a, milestones=[], indicators=[indicator_row(2)])

    assert "result goal" in raised.value.message_dict["indicators"][0]
    assert not Indicator.objects.filter(project=project).exists()
    assert not CaseEvent.objects.filter(project=project, action="plan").exists()


def test_an_indicator_with_reported_values_cannot_be_removed_but_one_without_can(planned, coordinator_a):
    reported = planned.indicators.get()
    services.project_plan_save(
        project=planned, by=coordinator_a, milestones=[], indicators=[indicator_row(name="Nye bustader")]
    )
    unreported = planned.indicators.get(name="Nye bustader")
    report = services.report_create(project=planned, by=coordinator_a)
    services.report_save_draft(report=report, by=coordinator_a, fields={}, indicator_values={reported.pk: 12})

    with pytest.raises(ValidationError) as raised:
        services.project_plan_save(
            project=planned, by=coordinator_a, milestones=[], indicators=[{"pk": reported.pk, "delete": True}]
        )
    assert "cannot be removed" in raised.value.message_dict["indicators"][0]
    assert Indicator.objects.filter(pk=reported.pk).exists()

    services.project_plan_save(
        project=planned, by=coordinator_a, milestones=[], indicators=[{"pk": unreported.pk, "delete": True}]
    )
    assert list(Indicator.objects.filter(project=planned).values_list("pk", flat=True)) == [reported.pk]


def test_removing_a_row_someone_else_removed_already_says_the_list_has_changed(project, coordinator_a, officer):
    services.project_plan_save(
        project=project,
        by=coordinator_a,
        indicators=[],
        milestones=[{"name": "Analyse", "due_date": D(2026, 6, 1), "status": "planned"}],
    )
    milestone = Milestone.objects.get(project=project)
    services.project_plan_save(
        project=project, by=officer, indicators=[], milestones=[{"pk": milestone.pk, "delete": True}]
    )

    with pytest.raises(LukError) as raised:
        services.project_plan_save(
            project=project, by=coordinator_a, indicators=[], milestones=[{"pk": milestone.pk, "delete": True}]
        )

    assert "changed" in str(raised.value)
    assert not Milestone.objects.filter(project=project).exists()


@pytest.mark.parametrize(
    "role", ["coordinator_b", "decider", "officer_other_county", "coordinator_other_county", "ministry"]
)
def test_others_cannot_change_the_project_plan(request, project, role):
    with pytest.raises(NotAllowed):
        services.project_plan_save(
            project=project,
            by=request.getfixturevalue(role),
            milestones=[{"name": "Analyse", "due_date": D(2026, 6, 1), "status": "planned"}],
            indicators=[indicator_row()],
        )

    assert not Milestone.objects.filter(project=project).exists()
    assert not Indicator.objects.filter(project=project).exists()
