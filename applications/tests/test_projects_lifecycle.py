"""The project an approved application becomes: its report schedule, plan, progress and final reports and change
requests, each step by the right role only and on the project's timeline."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services
from applications.models import (
    BudgetLine,
    CaseEvent,
    ChangeRequest,
    Indicator,
    Milestone,
    ProgressReport,
    Project,
    ReportAttachment,
    ReportDeadline,
)
from applications.tests import factories
from conftest import kommune
from luk_portal.errors import LukError, NotAllowed
from programmes.models import ResultGoal

pytestmark = pytest.mark.django_db

D = datetime.date
START, END = D(2026, 1, 1), D(2027, 12, 31)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def deadlines(project: Project) -> list[tuple[datetime.date, bool]]:
    return list(
        ReportDeadline.objects.filter(project=project).order_by("due_on", "final").values_list("due_on", "final")
    )


def last_event(project: Project) -> CaseEvent:
    return CaseEvent.objects.filter(project=project).order_by("-pk").first()


def goal(number: int) -> ResultGoal:
    return ResultGoal.objects.get(programme=factories.luk(), number=number)


def indicator_row(number: int = 1, **overrides) -> dict:
    return {
        "result_goal": goal(number),
        "name": "Unge som flyttar heim",
        "unit": "personar",
        "baseline": 10,
        "target": 30,
        **overrides,
    }


@pytest.fixture
def project(approved) -> Project:
    return factories.project_of(approved)


@pytest.fixture
def planned(project, coordinator_a) -> Project:
    """The project with an indicator for its one result goal."""
    factories.indicators_add(project, by=coordinator_a)
    return project


@pytest.fixture
def two_lines(coordinator_a, officer, decider, nt_round) -> Project:
    """A project whose budget has two lines: personnel 300 000 and events 100 000."""
    application = factories.make_draft(by=coordinator_a, municipality=kommune("1702"), funding_round=nt_round)
    services.application_save_draft(
        application=application,
        by=coordinator_a,
        fields={},
        budget_lines=[
            {
                "pk": application.budget_lines.get().pk,
                "category": "personnel",
                "description": "Prosjektleiar",
                "amount": 300_000,
            },
            {"category": "events", "description": "Verkstader", "amount": 100_000},
        ],
    )
    factories.approve(application, coordinator=coordinator_a, officer=officer, decider=decider)
    return factories.project_of(application)


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


# Reports


def test_the_coordinator_starts_a_report_for_the_next_deadline(project, coordinator_a):
    report = services.report_create(project=project, by=coordinator_a)

    report.refresh_from_db()
    assert (report.status, report.final, report.created_by) == ("draft", False, coordinator_a)
    assert (report.deadline.due_on, report.period_from, report.period_to) == (D(2026, 7, 1), START, D(2026, 7, 1))
    event = last_event(project)
    assert (event.action, event.actor, event.comment) == ("report_created", coordinator_a, "Progress report")


def test_the_next_report_starts_where_the_approved_one_ended(planned, coordinator_a, officer):
    factories.report_approved(planned, coordinator=coordinator_a, officer=officer)

    report = services.report_create(project=planned, by=coordinator_a)

    assert (report.deadline.due_on, report.period_from, report.period_to) == (
        D(2027, 1, 1),
        D(2026, 7, 2),
        D(2027, 1, 1),
    )


def test_a_project_has_one_final_report(project, coordinator_a):
    final = services.report_create(project=project, by=coordinator_a, final=True)
    assert (final.final, final.deadline.final, final.period_to) == (True, True, END)

    with pytest.raises(LukError):
        services.report_create(project=project, by=coordinator_a, final=True)

    assert ProgressReport.objects.filter(project=project, final=True).count() == 1


@pytest.mark.parametrize("role", ["officer", "decider", "coordinator_b", "coordinator_other_county", "ministry"])
def test_only_the_lead_kommunes_coordinator_writes_reports(request, project, role):
    with pytest.raises(NotAllowed):
        services.report_create(project=project, by=request.getfixturevalue(role))

    assert not ProgressReport.objects.filter(project=project).exists()


def test_a_draft_saves_anything_and_loses_nothing(planned, coordinator_a):
    report = services.report_create(project=planned, by=coordinator_a)
    line = planned.application.budget_lines.get()
    indicator = planned.indicators.get()

    services.report_save_draft(
        report=report,
        by=coordinator_a,
        fields={"activities": "Berre byrja."},
        costs={line.pk: 5_000, 999_999: 1},
        indicator_values={indicator.pk: 11},
    )
    services.report_save_draft(report=report, by=coordinator_a, fields={"went_well": "", "period_to": None})

    report.refresh_from_db()
    assert (report.status, report.activities, report.went_well, report.period_to) == ("draft", "Berre byrja.", "", None)
    assert list(report.costs.values_list("budget_line_id", "amount")) == [(line.pk, 5_000)]
    assert list(report.indicator_values.values_list("indicator_id", "value")) == [(indicator.pk, 11)]


def test_an_empty_report_cannot_be_submitted_and_says_what_is_missing_by_field(project, coordinator_a):
    report = services.report_create(project=project, by=coordinator_a)

    with pytest.raises(ValidationError) as raised:
        services.report_submit(report=report, by=coordinator_a)

    errors = raised.value.message_dict
    assert set(errors) == {"activities", "went_well", "challenges", "next_steps", "indicators", "costs"}
    assert "result goal 1" in errors["indicators"][0]
    report.refresh_from_db()
    assert (report.status, report.submitted_at) == ("draft", None)
    assert not CaseEvent.objects.filter(project=project, action="report_submit").exists()


def test_every_indicator_needs_a_value_and_every_budget_line_its_costs(two_lines, coordinator_a):
    factories.indicators_add(two_lines, by=coordinator_a)
    report = services.report_create(project=two_lines, by=coordinator_a)
    factories.report_complete(report, by=coordinator_a)
    personnel, _events = two_lines.application.budget_lines.order_by("pk")
    services.report_save_draft(
        report=report, by=coordinator_a, fields={}, costs={personnel.pk: 80_000}, indicator_values={}
    )

    with pytest.raises(ValidationError) as raised:
        services.report_submit(report=report, by=coordinator_a)

    assert raised.value.message_dict == {
        "indicators": ["Give a value for every indicator."],
        "costs": ["Give the costs so far for every budget line (0 where there are none)."],
    }
    report.refresh_from_db()
    assert report.status == "draft"


def test_a_final_report_needs_results_and_lessons(planned, coordinator_a):
    report = services.report_create(project=planned, by=coordinator_a, final=True)
    factories.report_complete(report, by=coordinator_a)
    services.report_save_draft(
        report=report, by=coordinator_a, fields={"results": " ", "lessons": "", "next_steps": ""}
    )

    with pytest.raises(ValidationError) as raised:
        services.report_submit(report=report, by=coordinator_a)

    assert set(raised.value.message_dict) == {"results", "lessons"}
    report.refresh_from_db()
    assert report.status == "draft"


def test_a_complete_report_is_submitted_and_moves_the_milestones(planned, coordinator_a):
    services.project_plan_save(
        project=planned,
        by=coordinator_a,
        indicators=[],
        milestones=[{"name": "Analyse", "due_date": D(2026, 6, 1), "status": "planned"}],
    )
    milestone = planned.milestones.get()
    report = services.report_create(project=planned, by=coordinator_a)
    factories.report_complete(report, by=coordinator_a)
    services.report_save_draft(report=report, by=coordinator_a, fields={}, milestone_statuses={milestone.pk: "done"})

    services.report_submit(report=report, by=coordinator_a)

    report.refresh_from_db()
    milestone.refresh_from_db()
    assert report.status == "submitted"
    assert report.submitted_at is not None
    assert milestone.status == "done"
    event = last_event(planned)
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "report_submit",
        coordinator_a,
        "draft",
        "submitted",
    )


@pytest.mark.parametrize("role", ["officer", "coordinator_b", "decider"])
def test_only_the_lead_coordinator_saves_and_submits_the_report(request, planned, coordinator_a, role):
    report = services.report_create(project=planned, by=coordinator_a)
    factories.report_complete(report, by=coordinator_a)
    user = request.getfixturevalue(role)

    with pytest.raises(NotAllowed):
        services.report_save_draft(report=report, by=user, fields={"activities": "Kapra."})
    with pytest.raises(NotAllowed):
        services.report_submit(report=report, by=user)

    report.refresh_from_db()
    assert (report.status, report.activities) == ("draft", "Tre verkstader og ein stadanalyse.")


def test_a_submitted_report_can_no_longer_be_changed_by_the_coordinator(planned, coordinator_a):
    report = factories.report_submitted(planned, by=coordinator_a)

    with pytest.raises(NotAllowed):
        services.report_save_draft(report=report, by=coordinator_a, fields={"activities": "Endra etterpå."})
    with pytest.raises(LukError):
        services.report_submit(report=report, by=coordinator_a)

    report.refresh_from_db()
    assert (report.status, report.activities) == ("submitted", "Tre verkstader og ein stadanalyse.")


def test_the_officer_approves_a_submitted_report(planned, coordinator_a, officer):
    report = factories.report_submitted(planned, by=coordinator_a)

    services.report_decide(report=report, by=officer, approve=True)

    report.refresh_from_db()
    assert report.status == "approved"
    assert report.decided_at is not None
    event = last_event(planned)
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "report_approve",
        officer,
        "submitted",
        "approved",
    )


def test_a_returned_report_needs_a_message_and_can_be_changed_and_submitted_again(planned, coordinator_a, officer):
    report = factories.report_submitted(planned, by=coordinator_a)

    with pytest.raises(ValidationError) as raised:
        services.report_decide(report=report, by=officer, approve=False, message="  ")
    assert "message" in raised.value.message_dict
    report.refresh_from_db()
    assert report.status == "submitted"

    services.report_decide(report=report, by=officer, approve=False, message="Skriv meir om kostnadene.")
    report.refresh_from_db()
    assert report.status == "returned"
    event = last_event(planned)
    assert (event.action, event.actor, event.to_status, event.comment) == (
        "report_return",
        officer,
        "returned",
        "Skriv meir om kostnadene.",
    )

    services.report_save_draft(report=report, by=coordinator_a, fields={"challenges": "Kostnadene auka."})
    services.report_submit(report=report, by=coordinator_a)
    report.refresh_from_db()
    assert (report.status, report.challenges) == ("submitted", "Kostnadene auka.")


@pytest.mark.parametrize("role", ["coordinator_a", "decider", "officer_other_county", "ministry"])
def test_only_the_countys_case_officer_approves_or_returns_reports(request, planned, coordinator_a, role):
    report = factories.report_submitted(planned, by=coordinator_a)
    user = request.getfixturevalue(role)

    with pytest.raises(NotAllowed):
        services.report_decide(report=report, by=user, approve=True)
    with pytest.raises(NotAllowed):
        services.report_decide(report=report, by=user, approve=False, message="Nei.")

    report.refresh_from_db()
    assert (report.status, report.decided_at) == ("submitted", None)


def test_a_draft_or_an_approved_report_cannot_be_decided(planned, coordinator_a, officer):
    draft = services.report_create(project=planned, by=coordinator_a)
    with pytest.raises(LukError):
        services.report_decide(report=draft, by=officer, approve=True)
    draft.refresh_from_db()
    assert draft.status == "draft"

    services.report_decide(report=factories.report_submitted(planned, by=coordinator_a), by=officer, approve=True)
    approved = ProgressReport.objects.get(project=planned, status="approved")
    with pytest.raises(LukError):
        services.report_decide(report=approved, by=officer, approve=False, message="Likevel ikkje.")
    approved.refresh_from_db()
    assert approved.status == "approved"


def test_the_coordinator_attaches_a_file_to_a_draft_report_but_others_cannot(project, coordinator_a, officer):
    report = services.report_create(project=project, by=coordinator_a)

    attachment = services.report_attachment_add(
        report=report, by=coordinator_a, upload=SimpleUploadedFile("referat.pdf", PDF + b"\0" * 1024)
    )
    with pytest.raises(NotAllowed):
        services.report_attachment_add(report=report, by=officer, upload=SimpleUploadedFile("x.pdf", PDF))

    assert list(ReportAttachment.objects.filter(report=report).values_list("pk", "name", "content_type")) == [
        (attachment.pk, "referat.pdf", "application/pdf")
    ]


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


def test_an_approved_budget_move_changes_the_lines_and_the_history_keeps_the_old_amounts(
    two_lines, coordinator_a, officer
):
    personnel, events = two_lines.application.budget_lines.order_by("pk")
    change = services.change_request_create(
        project=two_lines,
        by=coordinator_a,
        kind="budget",
        reasons="Fleire verkstader.",
        budget_after={personnel.pk: 250_000, events.pk: 150_000},
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
        services.change_request_create(
            project=two_lines,
            by=coordinator_a,
            kind="budget",
            reasons="Flytt.",
            budget_after={lines[name]: amount for name, amount in after.items()},
        )

    assert "budget" in raised.value.message_dict
    assert not ChangeRequest.objects.filter(project=two_lines).exists()


def test_a_refusal_needs_a_comment_and_changes_nothing(project, coordinator_a, officer):
    change = services.change_request_create(
        project=project, by=coordinator_a, kind="extend", reasons="Treng tid.", new_period_end=D(2028, 6, 30)
    )

    with pytest.raises(ValidationError) as raised:
        services.change_request_decide(change_request=change, by=officer, approve=False, comment="")
    assert "comment" in raised.value.message_dict
    change.refresh_from_db()
    assert change.status == "requested"

    services.change_request_decide(change_request=change, by=officer, approve=False, comment="Ikkje grunngjeve.")

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
    first = services.change_request_create(
        project=two_lines,
        by=coordinator_a,
        kind="budget",
        reasons="Flytt.",
        budget_after={personnel.pk: 250_000, events.pk: 150_000},
    )
    second = services.change_request_create(
        project=two_lines,
        by=coordinator_a,
        kind="budget",
        reasons="Flytt meir.",
        budget_after={personnel.pk: 200_000, events.pk: 200_000},
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
