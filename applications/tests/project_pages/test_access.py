"""The project pages: the allowed role succeeds, others get 404 (not theirs) or 403 (theirs to see, not to
change), anonymous is sent to login, a wrong method is 405; the lists and the project page."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.models import ProgressReport
from applications.tests.factories import english
from applications.tests.project_pages.pages import (
    COUNTY_STAFF,
    EVERYONE,
    LEAD_ONLY,
    LEAD_OR_OFFICER,
    OFFICER_ONLY,
    PEOPLE,
    SEE,
    matrix,
    status_for,
)

pytestmark = pytest.mark.django_db


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
