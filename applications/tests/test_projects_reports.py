"""A project's progress and final reports: written, submitted, approved or returned, each step by the right role
only and on the project's timeline."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services
from applications.models import (
    CaseEvent,
    ProgressReport,
    ReportAttachment,
)
from applications.tests import factories
from applications.tests.projects_data import (
    END,
    PDF,
    START,
    STEP,
    D,
    last_event_says,
    refusal_needs_text,
)
from luk_portal.errors import LukError, NotAllowed

pytestmark = pytest.mark.django_db


# Reports


def test_the_coordinator_starts_a_report_for_the_next_deadline(project, coordinator_a):
    report = services.report_create(project=project, by=coordinator_a)

    report.refresh_from_db()
    assert (report.status, report.final, report.created_by) == ("draft", False, coordinator_a)
    assert (report.deadline.due_on, report.period_from, report.period_to) == (D(2026, 7, 1), START, D(2026, 7, 1))
    assert last_event_says(project, "action", "actor", "comment") == (
        "report_created",
        coordinator_a,
        "Progress report",
    )


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
    assert last_event_says(planned, *STEP) == ("report_submit", coordinator_a, "draft", "submitted")


@pytest.mark.parametrize("role", ["officer", "coordinator_b", "decider"])
def test_only_the_lead_coordinator_saves_and_submits_the_report(request, planned, coordinator_a, role):
    report = services.report_create(project=planned, by=coordinator_a)
    factories.report_complete(report, by=coordinator_a)
    user = request.getfixturevalue(role)

    factories.neither_saved_nor_submitted(
        services.report_save_draft, services.report_submit, by=user, fields={"activities": "Kapra."}, report=report
    )

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
    assert last_event_says(planned, *STEP) == ("report_approve", officer, "submitted", "approved")


def test_a_returned_report_needs_a_message_and_can_be_changed_and_submitted_again(planned, coordinator_a, officer):
    report = factories.report_submitted(planned, by=coordinator_a)

    def refuse(message: str) -> None:
        services.report_decide(report=report, by=officer, approve=False, message=message)

    refusal_needs_text(
        report, "message", status="submitted", refuse=refuse, blank="  ", text="Skriv meir om kostnadene."
    )
    report.refresh_from_db()
    assert report.status == "returned"
    returned = ("report_return", officer, "returned", "Skriv meir om kostnadene.")
    assert last_event_says(planned, "action", "actor", "to_status", "comment") == returned

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
