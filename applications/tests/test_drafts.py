"""A draft never submitted is the kommune's own: county staff and the ministry see the application, and its
attachments, in every list, export, page and figure only from its first submission on; a case returned to the
kommune for changes stays theirs."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import permissions, services
from applications.tests import factories
from conftest import kommune
from programmes.selectors import programme_current
from reporting import figures
from reporting import services as report_services

pytestmark = pytest.mark.django_db

TITLE = "Snåsavegen som møtestad"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def own_draft(coordinator_a, nt_round):
    """A complete draft from Steinkjer with Levanger as partner kommune, with an attachment, not yet submitted."""
    draft = factories.make_draft(
        by=coordinator_a,
        municipality=kommune("1702"),
        funding_round=nt_round,
        partner_municipalities=[kommune("1719")],
        title=TITLE,
    )
    services.attachment_add(
        application=draft,
        by=coordinator_a,
        upload=SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
    )
    return draft


def visible(user, application) -> bool:
    return permissions.applications_visible_to(user).filter(pk=application.pk).exists()


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig", errors="replace")


def what_the_person_sees(client, user, application) -> dict[str, object]:
    """The draft as the person finds it: its page and attachment, the list and its file, the kommune's page."""
    client.force_login(user)
    attachment = application.attachments.get()
    return {
        "page": client.get(reverse("applications:detail", args=[application.pk])).status_code,
        "attachment": client.get(
            reverse("applications:attachment_download", args=[application.pk, attachment.pk])
        ).status_code,
        "list": TITLE in body(client.get(reverse("applications:list"))),
        "csv": TITLE in body(client.get(reverse("applications:list"), {"format": "csv"})),
        "kommune page": TITLE in body(client.get(reverse("reporting:municipality", args=[kommune("1702").pk]))),
    }


HIDDEN = {"page": 404, "attachment": 404, "list": False, "csv": False, "kommune page": False}
SHOWN = {"page": 200, "attachment": 200, "list": True, "csv": True, "kommune page": True}


def test_the_lead_and_partner_kommunar_see_a_draft_and_the_county_and_the_ministry_do_not(
    own_draft, coordinator_a, coordinator_b, officer, decider, ministry
):
    assert visible(coordinator_a, own_draft) and visible(coordinator_b, own_draft)
    assert not any(visible(user, own_draft) for user in (officer, decider, ministry))

    factories.submit(own_draft, by=coordinator_a)

    assert all(visible(user, own_draft) for user in (coordinator_a, coordinator_b, officer, decider, ministry))


@pytest.mark.parametrize("role", ["officer", "decider", "ministry"])
def test_a_draft_is_in_no_list_file_or_page_of_the_county_or_ministry_until_submitted(
    request, client, own_draft, coordinator_a, role
):
    user = request.getfixturevalue(role)
    assert what_the_person_sees(client, user, own_draft) == HIDDEN

    factories.submit(own_draft, by=coordinator_a)

    assert what_the_person_sees(client, user, own_draft) == SHOWN


def test_a_case_returned_for_changes_stays_visible_to_the_county(client, own_draft, coordinator_a, officer, ministry):
    assert what_the_person_sees(client, officer, own_draft) == HIDDEN

    factories.take(own_draft, coordinator=coordinator_a, officer=officer)
    services.application_return(application=own_draft, by=officer, message="Meir om budsjettet.")
    own_draft.refresh_from_db()
    assert own_draft.status == own_draft.Status.RETURNED

    assert what_the_person_sees(client, officer, own_draft) == SHOWN
    assert what_the_person_sees(client, ministry, own_draft) == SHOWN


def test_the_countys_figures_and_background_export_count_a_case_from_its_first_submission(
    own_draft, coordinator_a, officer
):
    def counted() -> tuple[int, bool]:
        steinkjer = next(
            row
            for row in figures.municipality_rows(county=own_draft.funding_round.county, programme=programme_current())
            if row.number == "1702"
        )
        job = report_services.export_request(
            user=officer, list_name="applications", query="", file_format="csv", language="nn"
        )
        with job.file.open("rb") as handle:
            return steinkjer.applications_count, TITLE in handle.read().decode("utf-8-sig")

    assert counted() == (0, False)

    factories.submit(own_draft, by=coordinator_a)

    assert counted() == (1, True)
