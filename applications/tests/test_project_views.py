"""The project pages: the allowed role succeeds, others get 404 (not theirs) or 403 (theirs to see, not to
change), anonymous is sent to login, a wrong method is 405; and the main paths through the pages, from the
report schedule to a paid payment."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.models import ChangeRequest, Indicator, Milestone, Payment, ProgressReport, Project
from applications.tests import factories
from applications.tests.factories import english
from programmes.models import ResultGoal

pytestmark = pytest.mark.django_db

PEOPLE = factories.PEOPLE

#               coord_a coord_b(partner) coord_other officer decider officer_other ministry nobody
SEE = (200, 200, 404, 200, 200, 404, 200, 404)
LEAD_ONLY = (200, 403, 404, 403, 403, 404, 403, 404)
LEAD_OR_OFFICER = (200, 403, 404, 200, 403, 404, 403, 404)
OFFICER_ONLY = (403, 403, 404, 200, 403, 404, 403, 404)
COUNTY_STAFF = (403, 403, 404, 200, 200, 404, 403, 404)
EVERYONE = (200,) * 8


def matrix(expected: tuple[int, ...]) -> list[tuple[str, int]]:
    return list(zip(PEOPLE, expected, strict=True))


def status_for(client, user, method, url, data=None):
    client.force_login(user)
    response = client.get(url) if method == "get" else client.post(url, data or {})
    return response.status_code


# Projects at each step, reached through the services.


@pytest.fixture
def project(approved):
    return approved.project


@pytest.fixture
def goal(project):
    return project.application.result_goals.get()


@pytest.fixture
def planned(project, coordinator_a, goal):
    """The project with a milestone and an indicator for its one result goal."""
    services.project_plan_save(
        project=project,
        by=coordinator_a,
        milestones=[{"name": "Stadanalyse", "due_date": datetime.date(2026, 6, 30), "status": "planned"}],
        indicators=[{"result_goal": goal, "name": "Deltakarar", "unit": "personar", "baseline": 0, "target": 200}],
    )
    return project


@pytest.fixture
def draft_report(project, coordinator_a):
    return services.report_create(project=project, by=coordinator_a)


def complete_report(project, coordinator, *, final=False):
    report = services.report_create(project=project, by=coordinator, final=final)
    fields = {
        "activities": "Tre folkemøte.",
        "went_well": "God oppslutnad.",
        "challenges": "Lite tid.",
        "next_steps": "Stadanalysen.",
    }
    if final:
        fields.update(results="Måla er nådde.", lessons="Start tidleg.")
    services.report_save_draft(
        report=report,
        by=coordinator,
        fields=fields,
        costs={line.pk: 100_000 for line in project.application.budget_lines.all()},
        indicator_values={indicator.pk: 40 for indicator in project.indicators.all()},
    )
    return services.report_submit(report=report, by=coordinator)


@pytest.fixture
def submitted_report(planned, coordinator_a):
    return complete_report(planned, coordinator_a)


@pytest.fixture
def approved_report(submitted_report, officer):
    return services.report_decide(report=submitted_report, by=officer, approve=True)


@pytest.fixture
def requested_payment(planned, submitted_report, coordinator_a):
    return services.payment_request(project=planned, by=coordinator_a, amount=100_000, report=submitted_report)


@pytest.fixture
def change(project, coordinator_a):
    return services.change_request_create(
        project=project, by=coordinator_a, kind="extend", reasons="Meir tid", new_period_end=datetime.date(2028, 6, 30)
    )


def plan_data(*, milestones=(), indicators=(), initial_milestones=0, initial_indicators=0):
    """What the plan page posts: the two formsets with their management forms."""
    data = {
        "milestones-TOTAL_FORMS": str(len(milestones)),
        "milestones-INITIAL_FORMS": str(initial_milestones),
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
        "indicators-TOTAL_FORMS": str(len(indicators)),
        "indicators-INITIAL_FORMS": str(initial_indicators),
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
    }
    for prefix, rows in (("milestones", milestones), ("indicators", indicators)):
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


# Access: every page, every role.


@pytest.mark.parametrize(("role", "expected"), matrix(EVERYONE))
def test_project_list_opens_for_every_signed_in_person(request, client, project, role, expected):
    assert status_for(client, request.getfixturevalue(role), "get", reverse("applications:project_list")) == expected


@pytest.mark.parametrize(("role", "expected"), matrix(EVERYONE))
def test_payment_register_opens_for_every_signed_in_person(request, client, project, role, expected):
    url = reverse("applications:payment_register")
    assert status_for(client, request.getfixturevalue(role), "get", url) == expected


@pytest.mark.parametrize(
    ("name", "target", "expected"),
    [
        ("project_detail", "project", SEE),
        ("project_plan", "project", LEAD_OR_OFFICER),
        ("project_schedule", "project", OFFICER_ONLY),
        ("payment_new", "project", LEAD_ONLY),
        ("change_new", "project", LEAD_ONLY),
        ("project_close", "project", COUNTY_STAFF),
        ("project_cancel", "project", COUNTY_STAFF),
        ("report_detail", "draft_report", SEE),
        ("report_edit", "draft_report", LEAD_ONLY),
        ("payment_decide", "requested_payment", OFFICER_ONLY),
        ("change_decide", "change", OFFICER_ONLY),
    ],
)
@pytest.mark.parametrize("role", PEOPLE)
def test_project_pages_access(request, client, name, target, expected, role):
    """The page of the project, its report, payment or change request: each role as the table says."""
    url = reverse(f"applications:{name}", args=[request.getfixturevalue(target).pk])
    assert status_for(client, request.getfixturevalue(role), "get", url) == expected[PEOPLE.index(role)]


@pytest.mark.parametrize(("role", "expected"), matrix((302, 403, 404, 403, 403, 404, 403, 404)))
def test_starting_a_report_is_for_the_lead_kommune(request, client, project, role, expected):
    url = reverse("applications:report_new", args=[project.pk])
    assert status_for(client, request.getfixturevalue(role), "post", url, {"final": "0"}) == expected
    assert project.reports.exists() is (expected == 302)


def test_a_submitted_report_can_no_longer_be_edited(client, submitted_report, coordinator_a):
    url = reverse("applications:report_edit", args=[submitted_report.pk])
    assert status_for(client, coordinator_a, "get", url) == 403


@pytest.mark.parametrize(("role", "expected"), matrix((403, 403, 404, 302, 403, 404, 403, 404)))
def test_deciding_a_report_is_for_the_countys_case_officer(request, client, submitted_report, role, expected):
    url = reverse("applications:report_decide", args=[submitted_report.pk])
    assert status_for(client, request.getfixturevalue(role), "post", url, {"decision": "approve"}) == expected
    submitted_report.refresh_from_db()
    assert (submitted_report.status == ProgressReport.Status.APPROVED) is (expected == 302)


def test_a_decided_payment_cannot_be_decided_again(client, requested_payment, officer):
    services.payment_decide(payment=requested_payment, by=officer, approve=True)
    url = reverse("applications:payment_decide", args=[requested_payment.pk])
    assert status_for(client, officer, "get", url) == 403


@pytest.mark.parametrize(("role", "expected"), matrix((302, 403, 404, 403, 403, 404, 403, 404)))
def test_attaching_to_a_report_is_for_the_lead_kommune(request, client, draft_report, role, expected):
    upload = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4\n1 0 obj\n%%EOF\n", content_type="application/pdf")
    url = reverse("applications:report_attachment_upload", args=[draft_report.pk])
    assert status_for(client, request.getfixturevalue(role), "post", url, {"file": upload}) == expected
    assert draft_report.attachments.exists() is (expected == 302)


def test_a_report_attachment_is_served_only_to_those_who_see_the_project(
    client, draft_report, coordinator_a, coordinator_b, officer, officer_other_county
):
    upload = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4\n1 0 obj\n%%EOF\n", content_type="application/pdf")
    attachment = services.report_attachment_add(report=draft_report, by=coordinator_a, upload=upload)
    url = reverse("applications:report_attachment_download", args=[draft_report.pk, attachment.pk])
    for user in (coordinator_a, coordinator_b, officer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert status_for(client, officer_other_county, "get", url) == 404
    other = reverse("applications:report_attachment_download", args=[draft_report.pk, attachment.pk + 1])
    assert status_for(client, officer, "get", other) == 404


def test_a_wrong_report_attachment_gets_a_message_beside_the_field(client, draft_report, coordinator_a):
    english(client, coordinator_a)
    upload = SimpleUploadedFile("rapport.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="application/pdf")
    response = client.post(reverse("applications:report_attachment_upload", args=[draft_report.pk]), {"file": upload})
    assert response.status_code == 400
    assert "is not a PDF file" in " ".join(response.context["attachment_form"].errors["file"])
    assert not draft_report.attachments.exists()


def test_anonymous_is_sent_to_login_from_every_project_page(client, requested_payment, change, draft_report):
    project = requested_payment.project
    urls = [reverse("applications:project_list"), reverse("applications:payment_register")]
    urls += [
        reverse(f"applications:{name}", args=[project.pk])
        for name in (
            "project_detail",
            "project_plan",
            "project_schedule",
            "report_new",
            "payment_new",
            "change_new",
            "project_close",
            "project_cancel",
        )
    ]
    urls += [
        reverse(f"applications:{name}", args=[draft_report.pk])
        for name in ("report_detail", "report_edit", "report_decide", "report_attachment_upload")
    ]
    urls += [
        reverse("applications:report_attachment_download", args=[draft_report.pk, 1]),
        reverse("applications:payment_decide", args=[requested_payment.pk]),
        reverse("applications:change_decide", args=[change.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), url


def test_wrong_methods_are_refused(client, draft_report, coordinator_a, officer):
    project = draft_report.project
    client.force_login(coordinator_a)
    for url in (
        reverse("applications:report_new", args=[project.pk]),
        reverse("applications:report_decide", args=[draft_report.pk]),
        reverse("applications:report_attachment_upload", args=[draft_report.pk]),
    ):
        assert client.get(url).status_code == 405, url
    for url in (
        reverse("applications:project_list"),
        reverse("applications:payment_register"),
        reverse("applications:project_detail", args=[project.pk]),
        reverse("applications:report_detail", args=[draft_report.pk]),
        reverse("applications:report_attachment_download", args=[draft_report.pk, 1]),
    ):
        assert client.post(url).status_code == 405, url
    for url in (
        reverse("applications:project_plan", args=[project.pk]),
        reverse("applications:report_edit", args=[draft_report.pk]),
    ):
        assert client.put(url).status_code == 405, url


# Lists


def test_the_project_list_shows_only_what_the_person_may_see(
    client, project, officer, officer_other_county, coordinator_b, django_assert_max_num_queries
):
    for user, sees in [(officer, True), (officer_other_county, False), (coordinator_b, True)]:
        client.force_login(user)
        with django_assert_max_num_queries(10):
            page = client.get(reverse("applications:project_list")).content.decode()
        assert (project.title in page) is sees, user


def test_the_project_list_filters_by_status(client, project, officer):
    client.force_login(officer)
    url = reverse("applications:project_list")
    assert project.title in client.get(url, {"status": "active"}).content.decode()
    assert project.title not in client.get(url, {"status": "closed"}).content.decode()
    assert client.get(url, {"status": "no-such-status"}).status_code == 200


def test_the_payment_register_lists_the_countys_payments_with_totals(
    client, requested_payment, officer, officer_other_county, coordinator_a, django_assert_max_num_queries
):
    services.payment_decide(payment=requested_payment, by=officer, approve=True)
    url = reverse("applications:payment_register")
    english(client, officer)
    with django_assert_max_num_queries(11):
        response = client.get(url)
    page = response.content.decode()
    assert requested_payment.project.title in page
    assert response.context["approved_total"] == 100_000
    assert "Total approved" in page and "100\u00a0000\u00a0kr" in page
    assert client.get(url, {"status": "refused"}).context["approved_total"] == 0
    client.force_login(officer_other_county)
    response = client.get(url)
    assert requested_payment.project.title not in response.content.decode()
    assert response.context["approved_total"] == 0
    client.force_login(coordinator_a)
    assert requested_payment.project.title in client.get(url).content.decode()


def test_the_menu_shows_payments_to_county_staff_only(client, project, officer, coordinator_a):
    register = reverse("applications:payment_register")
    client.force_login(officer)
    page = client.get(reverse("applications:project_list")).content.decode()
    assert register in page
    client.force_login(coordinator_a)
    page = client.get(reverse("applications:project_list")).content.decode()
    assert register not in page
    assert reverse("applications:project_list") in page


# The project page


def test_the_project_page_shows_facts_actions_and_marks_overdue_reports_in_words(
    client, project, officer, coordinator_a, django_assert_max_num_queries
):
    services.schedule_set(
        project=project,
        by=officer,
        fixed_dates=[datetime.date(2026, 2, 1), services.latest_due_date(project) - datetime.timedelta(days=1)],
        final_due=services.latest_due_date(project),
    )
    english(client, coordinator_a)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("applications:project_detail", args=[project.pk]))
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert "Overdue" in page
    assert "250\u00a0000\u00a0kr" in page
    assert reverse("applications:detail", args=[project.application_id]) in page
    assert reverse("applications:report_new", args=[project.pk]) in page
    assert reverse("applications:payment_new", args=[project.pk]) in page
    assert reverse("applications:project_schedule", args=[project.pk]) not in page
    english(client, officer)
    page = client.get(reverse("applications:project_detail", args=[project.pk])).content.decode()
    assert reverse("applications:project_schedule", args=[project.pk]) in page
    assert reverse("applications:project_cancel", args=[project.pk]) in page
    assert reverse("applications:report_new", args=[project.pk]) not in page


def test_the_application_page_links_to_its_project(client, project, coordinator_a):
    client.force_login(coordinator_a)
    page = client.get(reverse("applications:detail", args=[project.application_id])).content.decode()
    assert reverse("applications:project_detail", args=[project.pk]) in page


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


def test_a_schedule_without_an_interval_says_so(client, project, officer):
    english(client, officer)
    response = client.post(
        reverse("applications:project_schedule", args=[project.pk]),
        {"mode": "every", "every_months": "", "final_due": "2028-03-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["every_months"]


def test_a_final_report_due_before_the_start_is_refused_beside_the_field(client, project, officer):
    english(client, officer)
    response = client.post(
        reverse("applications:project_schedule", args=[project.pk]),
        {"mode": "every", "every_months": "6", "final_due": "2020-01-01"},
    )
    assert response.status_code == 200
    assert "before the project starts" in " ".join(response.context["form"].errors["final_due"])


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
