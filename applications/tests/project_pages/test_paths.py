"""The main paths through the project pages, from the report schedule and the plan to a report, a paid
payment and a change request."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from applications import services
from applications.models import ChangeRequest, Indicator, Milestone, Payment, ProgressReport, Project
from applications.tests.factories import english
from applications.tests.project_pages.pages import (
    complete_report,
    plan_data,
    status_for,
)
from programmes.models import ResultGoal

pytestmark = pytest.mark.django_db


# The schedule


def test_the_officer_sets_a_schedule_of_fixed_dates(client, project, officer):
    client.force_login(officer)
    response = client.post(
        reverse("applications:project_schedule", args=[project.pk]),
        {"mode": "fixed", "fixed_dates": "01.09.2027\n\n1.3.2027\n01.09.2027", "final_due": "2028-03-01"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.report_every_months is None
    assert list(project.deadlines.values_list("due_on", "final")) == [
        (datetime.date(2027, 3, 1), False),
        (datetime.date(2027, 9, 1), False),
        (datetime.date(2028, 3, 1), True),
    ]


def test_the_officer_sets_a_report_every_n_months(client, project, officer):
    client.force_login(officer)
    response = client.post(
        reverse("applications:project_schedule", args=[project.pk]),
        {"mode": "every", "every_months": "4", "fixed_dates": "ikkje brukt", "final_due": "2028-02-01"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.report_every_months == 4
    assert project.deadlines.filter(final=False).count() == 5
    assert project.deadlines.get(final=True).due_on == datetime.date(2028, 2, 1)


def test_wrong_dates_in_the_schedule_are_named_and_the_input_kept(client, project, officer):
    english(client, officer)
    typed = "31.02.2027\n01.09.2027\nneste vår"
    response = client.post(
        reverse("applications:project_schedule", args=[project.pk]),
        {"mode": "fixed", "fixed_dates": typed, "final_due": "2028-03-01"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["fixed_dates"]
    assert any("Line 1" in error for error in errors) and any("Line 3" in error for error in errors)
    assert response.context["form"]["fixed_dates"].value() == typed
    assert "Line 3" in response.content.decode()
    project.refresh_from_db()
    assert project.report_every_months == services.DEFAULT_REPORT_MONTHS


def schedule_refused(client, project, officer, **data: str) -> dict:
    """The officer (in English) sends the schedule form `data`: the page comes again; its form's errors."""
    english(client, officer)
    response = client.post(reverse("applications:project_schedule", args=[project.pk]), data)
    assert response.status_code == 200
    return response.context["form"].errors


def test_a_schedule_without_an_interval_says_so(client, project, officer):
    errors = schedule_refused(client, project, officer, mode="every", every_months="", final_due="2028-03-01")
    assert errors["every_months"]


def test_a_final_report_due_before_the_start_is_refused_beside_the_field(client, project, officer):
    errors = schedule_refused(client, project, officer, mode="every", every_months="6", final_due="2020-01-01")
    assert "before the project starts" in " ".join(errors["final_due"])


# The plan


def test_the_coordinator_adds_milestones_and_an_indicator_for_each_result_goal(client, project, coordinator_a, goal):
    client.force_login(coordinator_a)
    url = reverse("applications:project_plan", args=[project.pk])
    assert client.get(url).status_code == 200
    data = plan_data(
        milestones=[
            {"name": "Stadanalyse", "due_date": "2026-06-30", "status": "planned"},
            {"name": "", "due_date": "", "status": "planned"},
        ],
        indicators=[
            {"result_goal": goal.pk, "name": "Deltakarar", "unit": "personar", "baseline": "0", "target": "200"}
        ],
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(project.milestones.values_list("name", flat=True)) == ["Stadanalyse"]
    indicator = project.indicators.get()
    assert (indicator.result_goal, indicator.target) == (goal, 200)
    assert not services.missing_indicator_goals(project)


def test_the_plan_changes_and_removes_rows(client, planned, coordinator_a, goal):
    milestone, indicator = planned.milestones.get(), planned.indicators.get()
    client.force_login(coordinator_a)
    data = plan_data(
        milestones=[
            {"id": milestone.pk, "name": "Stadanalyse", "due_date": "2026-06-30", "status": "done", "DELETE": "on"}
        ],
        indicators=[
            {
                "id": indicator.pk,
                "result_goal": goal.pk,
                "name": "Deltakarar på møte",
                "unit": "personar",
                "baseline": "0",
                "target": "300",
            }
        ],
        initial_milestones=1,
        initial_indicators=1,
    )
    response = client.post(reverse("applications:project_plan", args=[planned.pk]), data)
    assert response.status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    indicator.refresh_from_db()
    assert (indicator.name, indicator.target) == ("Deltakarar på møte", 300)


def test_an_indicator_for_a_goal_the_project_does_not_address_is_refused(client, project, coordinator_a):
    other_goal = ResultGoal.objects.filter(programme=project.application.funding_round.programme, number=2).get()
    client.force_login(coordinator_a)
    data = plan_data(
        indicators=[{"result_goal": other_goal.pk, "name": "Bustader", "unit": "", "baseline": "0", "target": "5"}]
    )
    response = client.post(reverse("applications:project_plan", args=[project.pk]), data)
    assert response.status_code == 200
    assert response.context["indicators"].forms[0].errors["result_goal"]
    assert response.context["indicators"].forms[0]["name"].value() == "Bustader"
    assert not Indicator.objects.filter(project=project).exists()


def test_a_bad_plan_row_keeps_what_was_typed(client, project, coordinator_a):
    client.force_login(coordinator_a)
    data = plan_data(milestones=[{"name": "Kurs", "due_date": "i morgon", "status": "planned"}])
    response = client.post(reverse("applications:project_plan", args=[project.pk]), data)
    assert response.status_code == 200
    form = response.context["milestones"].forms[0]
    assert form.errors["due_date"] and form["name"].value() == "Kurs"
    assert not project.milestones.exists()


# Reports: write, submit, review


def report_data(report, **overrides):
    project = report.project
    data = {
        "period_from": "2026-01-01",
        "period_to": "2026-06-30",
        "activities": "Tre folkemøte og ein verkstad.",
        "went_well": "God oppslutnad.",
        "challenges": "Lite tid.",
        "next_steps": "Stadanalysen.",
    }
    for line in project.application.budget_lines.all():
        data[f"cost_{line.pk}"] = "120 000"
    for indicator in project.indicators.all():
        data[f"value_{indicator.pk}"] = "45"
    for milestone in project.milestones.all():
        data[f"milestone_{milestone.pk}"] = "done"
    data.update(overrides)
    return data


def test_the_coordinator_writes_and_submits_a_report(client, planned, coordinator_a):
    client.force_login(coordinator_a)
    response = client.post(reverse("applications:report_new", args=[planned.pk]), {"final": "0"})
    report = planned.reports.get()
    assert response.url == reverse("applications:report_edit", args=[report.pk])
    assert client.get(response.url).status_code == 200
    data = report_data(report, submit="1")
    response = client.post(reverse("applications:report_edit", args=[report.pk]), data)
    assert response.status_code == 302
    assert response.url == reverse("applications:report_detail", args=[report.pk])
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED
    assert list(report.costs.values_list("amount", flat=True)) == [120_000]
    assert list(report.indicator_values.values_list("value", flat=True)) == [45]
    assert planned.milestones.get().status == Milestone.Status.DONE
    english(client, coordinator_a)
    page = client.get(response.url).content.decode()
    assert "120\u00a0000\u00a0kr" in page and "Tre folkemøte" in page and "Deltakarar" in page


def test_saving_a_draft_report_keeps_it_a_draft(client, draft_report, coordinator_a):
    client.force_login(coordinator_a)
    data = report_data(draft_report, went_well="", save="1")
    response = client.post(reverse("applications:report_edit", args=[draft_report.pk]), data)
    assert response.url == reverse("applications:report_edit", args=[draft_report.pk])
    draft_report.refresh_from_db()
    assert draft_report.status == ProgressReport.Status.DRAFT
    assert draft_report.activities == "Tre folkemøte og ein verkstad."


def test_an_incomplete_report_is_saved_and_its_gaps_named_beside_the_fields(client, draft_report, coordinator_a):
    english(client, coordinator_a)
    data = report_data(draft_report, went_well="", submit="1")
    response = client.post(reverse("applications:report_edit", args=[draft_report.pk]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["went_well"]
    assert "indicator for result goal 1" in " ".join(response.context["section_errors"]["indicators"])
    assert form["activities"].value() == "Tre folkemøte og ein verkstad."
    page = response.content.decode()
    assert (
        "cannot be submitted yet" in page
        and reverse("applications:project_plan", args=[draft_report.project_id]) in page
    )
    draft_report.refresh_from_db()
    assert draft_report.status == ProgressReport.Status.DRAFT
    assert draft_report.activities == "Tre folkemøte og ein verkstad."


def test_costs_missing_from_a_report_are_named_in_their_section(client, planned, coordinator_a):
    report = services.report_create(project=planned, by=coordinator_a)
    english(client, coordinator_a)
    line = planned.application.budget_lines.get()
    data = report_data(report, submit="1", **{f"cost_{line.pk}": ""})
    response = client.post(reverse("applications:report_edit", args=[report.pk]), data)
    assert response.status_code == 200
    assert "costs so far for every budget line" in " ".join(response.context["section_errors"]["costs"])


def test_a_mistyped_cost_is_named_beside_its_field_and_nothing_is_saved(client, planned, coordinator_a):
    report = services.report_create(project=planned, by=coordinator_a)
    english(client, coordinator_a)
    line = planned.application.budget_lines.get()
    data = report_data(report, save="1", activities="Nytt", **{f"cost_{line.pk}": "mykje"})
    response = client.post(reverse("applications:report_edit", args=[report.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[f"cost_{line.pk}"]
    assert response.context["form"][f"cost_{line.pk}"].value() == "mykje"
    report.refresh_from_db()
    assert report.activities == ""


def test_the_final_report_asks_for_results_and_lessons(client, planned, coordinator_a):
    client.force_login(coordinator_a)
    response = client.post(reverse("applications:report_new", args=[planned.pk]), {"final": "1"})
    report = planned.reports.get()
    assert report.final
    form = client.get(response.url).context["form"]
    assert "results" in form.fields and "lessons" in form.fields
    data = report_data(report, submit="1", results="Måla er nådde.", lessons="")
    response = client.post(reverse("applications:report_edit", args=[report.pk]), data)
    assert response.status_code == 200 and response.context["form"].errors["lessons"]


def test_a_second_final_report_is_refused_with_a_message(client, planned, coordinator_a):
    services.report_create(project=planned, by=coordinator_a, final=True)
    english(client, coordinator_a)
    response = client.post(reverse("applications:report_new", args=[planned.pk]), {"final": "1"}, follow=True)
    assert "has its final report already" in response.content.decode()
    assert planned.reports.count() == 1


def test_the_officer_approves_a_report(client, submitted_report, officer):
    english(client, officer)
    url = reverse("applications:report_detail", args=[submitted_report.pk])
    page = client.get(url).content.decode()
    assert reverse("applications:report_decide", args=[submitted_report.pk]) in page
    response = client.post(reverse("applications:report_decide", args=[submitted_report.pk]), {"decision": "approve"})
    assert response.url == url
    submitted_report.refresh_from_db()
    assert submitted_report.status == ProgressReport.Status.APPROVED


def test_the_officer_returns_a_report_with_a_message_the_coordinator_sees(
    client, submitted_report, officer, coordinator_a
):
    english(client, officer)
    url = reverse("applications:report_decide", args=[submitted_report.pk])
    response = client.post(url, {"decision": "return", "message": ""})
    assert response.status_code == 400
    assert response.context["return_form"].errors["message"]
    response = client.post(url, {"decision": "return", "message": "Skriv meir om utfordringane."})
    assert response.status_code == 302
    submitted_report.refresh_from_db()
    assert submitted_report.status == ProgressReport.Status.RETURNED
    english(client, coordinator_a)
    page = client.get(reverse("applications:report_detail", args=[submitted_report.pk])).content.decode()
    assert "Skriv meir om utfordringane." in page
    assert reverse("applications:report_edit", args=[submitted_report.pk]) in page


# Payments


def test_the_coordinator_requests_a_payment_and_the_officer_approves_it(
    client, submitted_report, coordinator_a, officer
):
    project = submitted_report.project
    english(client, coordinator_a)
    url = reverse("applications:payment_new", args=[project.pk])
    page = client.get(url).content.decode()
    assert "Can be paid now" in page and "187\u00a0500\u00a0kr" in page
    response = client.post(url, {"amount": "100 000", "report": submitted_report.pk})
    assert response.url == reverse("applications:project_detail", args=[project.pk])
    payment = project.payments.get()
    assert (payment.amount, payment.status) == (100_000, Payment.Status.REQUESTED)
    english(client, officer)
    page = client.get(reverse("applications:project_detail", args=[project.pk])).content.decode()
    decide = reverse("applications:payment_decide", args=[payment.pk])
    assert decide in page
    assert client.get(decide).status_code == 200
    response = client.post(decide, {"decision": "approve", "reasons": ""})
    assert response.status_code == 302
    payment.refresh_from_db()
    project.refresh_from_db()
    assert payment.status == Payment.Status.APPROVED
    assert project.paid_amount == 100_000


def test_a_payment_above_the_75_percent_limit_is_refused_beside_the_amount(
    client, submitted_report, coordinator_a, officer
):
    project = submitted_report.project
    payment = services.payment_request(project=project, by=coordinator_a, amount=200_000, report=submitted_report)
    english(client, officer)
    response = client.post(
        reverse("applications:payment_decide", args=[payment.pk]), {"decision": "approve", "reasons": "Som søkt"}
    )
    assert response.status_code == 200
    assert "before the final report is approved" in " ".join(response.context["section_errors"]["amount"])
    page = response.content.decode()
    assert 'id="payment-amount-errors"' in page and "187\u00a0500\u00a0kr" in page
    form = response.context["form"]
    assert form["decision"].value() == "approve" and form["reasons"].value() == "Som søkt"
    payment.refresh_from_db()
    project.refresh_from_db()
    assert payment.status == Payment.Status.REQUESTED
    assert project.paid_amount == 0


def test_a_payment_is_refused_only_with_reasons(client, requested_payment, officer):
    english(client, officer)
    url = reverse("applications:payment_decide", args=[requested_payment.pk])
    response = client.post(url, {"decision": "refuse", "reasons": ""})
    assert response.status_code == 200 and response.context["form"].errors["reasons"]
    response = client.post(url, {"decision": "refuse", "reasons": "Rapporten manglar rekneskap."})
    assert response.status_code == 302
    requested_payment.refresh_from_db()
    assert requested_payment.status == Payment.Status.REFUSED


def test_a_payment_request_above_what_is_left_is_named_beside_the_amount(client, submitted_report, coordinator_a):
    project = submitted_report.project
    english(client, coordinator_a)
    response = client.post(
        reverse("applications:payment_new", args=[project.pk]), {"amount": "300 000", "report": submitted_report.pk}
    )
    assert response.status_code == 200
    assert "more than what is left" in " ".join(response.context["form"].errors["amount"])
    assert response.context["form"]["amount"].value() == "300 000"
    assert not project.payments.exists()


def test_a_payment_needs_a_submitted_report(client, draft_report, coordinator_a):
    project = draft_report.project
    english(client, coordinator_a)
    url = reverse("applications:payment_new", args=[project.pk])
    assert "Submit a report first" in client.get(url).content.decode()
    response = client.post(url, {"amount": "1000", "report": draft_report.pk})
    assert response.status_code == 200 and response.context["form"].errors["report"]
    assert not project.payments.exists()


# Change requests


def test_the_coordinator_asks_for_more_time_and_the_officer_approves(client, project, coordinator_a, officer):
    client.force_login(coordinator_a)
    response = client.post(
        reverse("applications:change_new", args=[project.pk]),
        {"kind": "extend", "reasons": "Stadanalysen tek lenger tid.", "new_period_end": "2028-06-30"},
    )
    assert response.status_code == 302
    change = project.change_requests.get()
    client.force_login(officer)  # in nynorsk, with Norwegian dates
    url = reverse("applications:change_decide", args=[change.pk])
    page = client.get(url).content.decode()
    assert "Stadanalysen tek lenger tid." in page and "31.12.2027" in page and "30.06.2028" in page
    response = client.post(url, {"decision": "approve", "comment": ""})
    assert response.status_code == 302
    project.refresh_from_db()
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED
    assert project.period_end == datetime.date(2028, 6, 30)


def test_moving_money_that_changes_the_total_is_refused_in_the_budget_section(client, project, coordinator_a):
    english(client, coordinator_a)
    line = project.application.budget_lines.get()
    url = reverse("applications:change_new", args=[project.pk])
    assert client.get(url).context["form"][f"budget_{line.pk}"].value() == 400_000
    response = client.post(url, {"kind": "budget", "reasons": "Meir til folkemøte", f"budget_{line.pk}": "500 000"})
    assert response.status_code == 200
    assert "keeps the total" in " ".join(response.context["section_errors"]["budget"])
    assert response.context["form"][f"budget_{line.pk}"].value() == "500 000"
    assert not project.change_requests.exists()


def test_moving_money_between_lines_shows_before_and_after_and_is_decided(client, project, coordinator_a, officer):
    application = project.application
    first = application.budget_lines.get()
    # Test set-up: a second budget line, so money can move between lines.
    second = application.budget_lines.create(category="events", description="Folkemøte", amount=0)
    client.force_login(coordinator_a)
    response = client.post(
        reverse("applications:change_new", args=[project.pk]),
        {
            "kind": "budget",
            "reasons": "Meir til folkemøte",
            f"budget_{first.pk}": "350 000",
            f"budget_{second.pk}": "50 000",
        },
    )
    assert response.status_code == 302
    change = project.change_requests.get()
    english(client, officer)
    url = reverse("applications:change_decide", args=[change.pk])
    page = client.get(url).content.decode()
    assert "350\u00a0000\u00a0kr" in page and "+50\u00a0000\u00a0kr" in page
    response = client.post(url, {"decision": "refuse", "comment": ""})
    assert response.status_code == 200 and response.context["form"].errors["comment"]
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.amount == 50_000


# Closing and cancelling


def test_a_project_without_an_approved_final_report_cannot_be_closed_but_can_be_cancelled(
    client, requested_payment, officer
):
    project = requested_payment.project
    english(client, officer)
    page = client.get(reverse("applications:project_close", args=[project.pk])).content.decode()
    assert "cannot be closed" in page
    response = client.post(reverse("applications:project_close", args=[project.pk]), {"comment": ""})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    url = reverse("applications:project_cancel", args=[project.pk])
    page = client.get(url).content.decode()
    assert "Will be released" in page and "250\u00a0000\u00a0kr" in page
    response = client.post(url, {"reasons": ""})
    assert response.status_code == 200 and response.context["form"].errors["reasons"]
    response = client.post(url, {"reasons": "Kommunen trekte seg."})
    assert response.status_code == 302
    project.refresh_from_db()
    requested_payment.refresh_from_db()
    assert project.status == Project.Status.CANCELLED
    assert project.released_amount == 250_000
    assert requested_payment.status == Payment.Status.REFUSED
    assert status_for(client, officer, "get", url) == 403


def test_a_project_closes_after_its_final_report_is_approved(client, planned, coordinator_a, officer):
    report = complete_report(planned, coordinator_a, final=True)
    services.report_decide(report=report, by=officer, approve=True)
    services.payment_decide(
        payment=services.payment_request(project=planned, by=coordinator_a, amount=150_000, report=report),
        by=officer,
        approve=True,
    )
    english(client, officer)
    url = reverse("applications:project_close", args=[planned.pk])
    page = client.get(url).content.decode()
    assert "100\u00a0000\u00a0kr" in page
    response = client.post(url, {"comment": "Ferdig."})
    assert response.status_code == 302
    planned.refresh_from_db()
    assert (planned.status, planned.released_amount) == (Project.Status.CLOSED, 100_000)
