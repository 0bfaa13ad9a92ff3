"""Bad input gets a clear message on its field and loses nothing that was typed; uploads are checked by their
content and size and kept privately."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from applications import files, services
from applications.models import Application, ApplicationVersion, Attachment, CaseEvent
from applications.tests import factories
from conftest import kommune
from luk_portal.errors import LukError
from programmes.models import FundingRound, ResultGoal, Theme

pytestmark = pytest.mark.django_db

S = Application.Status

PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\n"
    b"endobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Budsjett</w:t></w:r></w:p></w:body></w:document>',
        )
    return buffer.getvalue()


def draft_fields(application: Application) -> dict:
    application.refresh_from_db()
    return {name: getattr(application, name) for name in services.DRAFT_FIELDS}


# Completeness and balance, at the service


def test_an_unbalanced_financing_plan_is_named_and_the_draft_kept(draft, coordinator_a):
    services.application_save_draft(application=draft, by=coordinator_a, fields={"own_contribution": 50_000})
    typed = draft_fields(draft)

    errors = services.submit_errors(draft)
    assert list(errors) == ["financing"]
    assert "350\u00a0000\u00a0kr" in errors["financing"][0]
    assert "400\u00a0000\u00a0kr" in errors["financing"][0]
    with pytest.raises(ValidationError) as raised:
        services.application_submit(application=draft, by=coordinator_a)

    assert "must add up to the budget" in raised.value.message_dict["financing"][0]
    assert draft_fields(draft) == typed
    assert draft.status == S.DRAFT
    assert not ApplicationVersion.objects.filter(application=draft).exists()


def test_each_missing_part_is_named_by_its_field(coordinator_a, nt_round):
    application = services.application_create(
        by=coordinator_a, funding_round=nt_round, lead_municipality=kommune("1702"), title="Berre ein tittel"
    )

    with pytest.raises(ValidationError) as raised:
        services.application_submit(application=application, by=coordinator_a)

    errors = raised.value.message_dict
    for field in (
        "summary",
        "background",
        "goals",
        "activities",
        "themes",
        "result_goals",
        "period_start",
        "period_end",
        "budget",
        "requested_amount",
    ):
        assert errors[field], field
    assert "title" not in errors
    assert errors["summary"] == ["Write a short summary."]
    assert errors["themes"] == ["Choose at least one theme."]
    application.refresh_from_db()
    assert (application.status, application.title) == (S.DRAFT, "Berre ein tittel")


def test_a_complete_draft_has_no_submit_errors(draft):
    assert services.submit_errors(draft) == {}


def test_an_amount_above_the_rounds_budget_is_named(draft, coordinator_a, nt_round):
    services.application_save_draft(
        application=draft,
        by=coordinator_a,
        fields={"requested_amount": nt_round.budget + 100_000},
        budget_lines=[{"category": "personnel", "description": "Alt", "amount": nt_round.budget + 200_000}],
    )
    draft.refresh_from_db()

    assert "whole budget" in services.submit_errors(draft)["requested_amount"][0]


def test_a_project_cannot_end_before_it_starts(draft, coordinator_a):
    with pytest.raises(ValidationError):
        services.application_save_draft(
            application=draft, by=coordinator_a, fields={"period_end": datetime.date(2025, 1, 1)}
        )

    draft.refresh_from_db()
    assert draft.period_end == datetime.date(2027, 12, 31)


def test_a_submission_after_the_deadline_is_refused_and_the_draft_kept(draft, coordinator_a, nt_round):
    typed = draft_fields(draft)
    FundingRound.objects.filter(pk=nt_round.pk).update(deadline=timezone.now() - datetime.timedelta(hours=1))

    with pytest.raises(LukError) as raised:
        services.application_submit(application=draft, by=coordinator_a)

    assert "deadline" in raised.value.message
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert draft_fields(draft) == typed
    assert draft.case_number == ""
    assert not CaseEvent.objects.filter(application=draft, action="submit").exists()


def test_a_returned_application_may_be_sent_again_after_the_deadline(in_review, officer, coordinator_a, nt_round):
    services.application_return(application=in_review, by=officer, message="Legg ved budsjett.")
    FundingRound.objects.filter(pk=nt_round.pk).update(deadline=timezone.now() - datetime.timedelta(hours=1))

    services.application_submit(application=in_review, by=coordinator_a)

    in_review.refresh_from_db()
    assert (in_review.status, in_review.version) == (S.SUBMITTED, 2)


def test_no_draft_can_be_started_after_the_deadline(coordinator_a, nt_round):
    FundingRound.objects.filter(pk=nt_round.pk).update(deadline=timezone.now() - datetime.timedelta(hours=1))
    nt_round.refresh_from_db()

    with pytest.raises(LukError) as raised:
        services.application_create(
            by=coordinator_a, funding_round=nt_round, lead_municipality=kommune("1702"), title="For seint"
        )

    assert raised.value.field == "funding_round"
    assert not Application.objects.filter(title="For seint").exists()


# Uploads


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_an_oversized_file_is_refused_with_its_size_and_the_limit(draft, coordinator_a, monkeypatch):
    monkeypatch.setattr(files, "MAX_UPLOAD_BYTES", 1024)

    with pytest.raises(ValidationError) as raised:
        services.attachment_add(application=draft, by=coordinator_a, upload=upload("plan.pdf", PDF + b"\0" * 2048))

    assert "the limit is 20 MB" in raised.value.message_dict["file"][0]
    assert not Attachment.objects.filter(application=draft).exists()


def test_a_file_of_21_mb_is_refused(draft, coordinator_a):
    big = upload("plan.pdf", PDF + b"\0" * (21 * 1024 * 1024))

    with pytest.raises(ValidationError) as raised:
        services.attachment_add(application=draft, by=coordinator_a, upload=big)

    assert "21,0 MB" in raised.value.message_dict["file"][0]
    assert not Attachment.objects.filter(application=draft).exists()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("budsjett.pdf", PNG, "PDF"),
        ("soknad.docx", b"Dette er berre tekst, ikkje eit Word-dokument.\n", "DOCX"),
        ("program.pdf", EXE, "PDF"),
        ("bilete.png", PDF, "PNG"),
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(draft, coordinator_a, name, content, kind):
    with pytest.raises(ValidationError) as raised:
        services.attachment_add(application=draft, by=coordinator_a, upload=upload(name, content))

    assert raised.value.message_dict["file"] == [f"The file's content is not a {kind} file, although its name says so."]
    assert not Attachment.objects.filter(application=draft).exists()


@pytest.mark.parametrize("name", ["program.exe", "notat.txt", "utan-ending"])
def test_a_kind_of_file_the_programme_does_not_take_is_refused(draft, coordinator_a, name):
    with pytest.raises(ValidationError) as raised:
        services.attachment_add(application=draft, by=coordinator_a, upload=upload(name, PDF))

    assert "cannot be attached" in raised.value.message_dict["file"][0]
    assert not Attachment.objects.filter(application=draft).exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("budsjett.pdf", PDF, "application/pdf"),
        ("kart.PNG", PNG, "image/png"),
        ("soknad.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_an_accepted_file_is_kept_privately_under_media_root(draft, coordinator_a, name, content, content_type):
    attachment = services.attachment_add(application=draft, by=coordinator_a, upload=upload(name, content))

    attachment.refresh_from_db()
    assert (attachment.name, attachment.content_type, attachment.size) == (name, content_type, len(content))
    stored = Path(attachment.file.path).resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    assert stored.is_relative_to(media_root)
    assert stored.read_bytes() == content
    for static_dir in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
        assert not stored.is_relative_to(Path(static_dir).resolve())
    assert CaseEvent.objects.filter(application=draft, action="attachment", comment=name).exists()


def test_an_attachment_is_served_only_through_the_access_checked_view(
    client, draft, coordinator_a, officer, officer_other_county
):
    attachment = services.attachment_add(application=draft, by=coordinator_a, upload=upload("budsjett.pdf", PDF))
    media_root = Path(settings.MEDIA_ROOT).resolve()
    assert not media_root.is_relative_to(Path(settings.BASE_DIR, "static").resolve())
    download = reverse("applications:attachment_download", args=[draft.pk, attachment.pk])

    client.force_login(coordinator_a)
    assert client.get(f"/{settings.MEDIA_URL.strip('/')}/{attachment.file.name}".replace("//", "/")).status_code == 404
    assert client.get(f"/static/{attachment.file.name}").status_code == 404
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF

    factories.submit(draft, by=coordinator_a)  # the county sees the case, and its attachments, once submitted
    client.force_login(officer)
    assert client.get(download).status_code == 200
    client.force_login(officer_other_county)
    assert client.get(download).status_code == 404


def test_an_attachment_cannot_be_added_once_the_county_has_the_case(submitted, coordinator_a):
    from luk_portal.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.attachment_add(application=submitted, by=coordinator_a, upload=upload("sein.pdf", PDF))

    assert not Attachment.objects.filter(application=submitted).exists()


def test_a_removed_attachment_leaves_no_file_behind(draft, coordinator_a):
    attachment = services.attachment_add(application=draft, by=coordinator_a, upload=upload("budsjett.pdf", PDF))
    stored = Path(attachment.file.path)

    services.attachment_remove(attachment=attachment, by=coordinator_a)

    assert not stored.exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


# The edit page


@pytest.fixture
def bare_draft(coordinator_a, nt_round):
    return services.application_create(
        by=coordinator_a, funding_round=nt_round, lead_municipality=kommune("1702"), title="Første tittel"
    )


@pytest.fixture
def english_client(client, coordinator_a):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(coordinator_a)
    return client


def edit_data(application: Application, *, submit: bool = False, **overrides: str) -> dict:
    """What the edit page posts: the form, the budget formset with one line, the partners formset empty."""
    programme = application.funding_round.programme
    data = {
        "title": "Nytt prosjektnamn",
        "summary": "Ein stad folk vil bu i.",
        "background": "Folketalet går ned.",
        "goals": "Fleire unge flyttar heim.",
        "activities": "Møte og verkstader.",
        "period_start": "2026-01-01",
        "period_end": "2027-12-31",
        "themes": [Theme.objects.filter(programme=programme).order_by("code").first().pk],
        "result_goals": [ResultGoal.objects.get(programme=programme, number=2).pk],
        "requested_amount": "300 000",
        "own_contribution": "100 000",
        "other_public": "",
        "private": "",
        "contact_name": "Kari Koordinator",
        "contact_email": "kari@steinkjer.example",
        "contact_phone": "",
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "0",
        "budget-MIN_NUM_FORMS": "0",
        "budget-MAX_NUM_FORMS": "1000",
        "budget-0-category": "personnel",
        "budget-0-description": "Prosjektleiar",
        "budget-0-amount": "400 000",
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "1000",
        "partners-0-name": "",
        "partners-0-kind": "",
    }
    data.update(overrides)
    data["submit" if submit else "save"] = "1"
    return data


def test_submitting_an_unbalanced_plan_on_the_page_shows_the_error_and_keeps_the_draft(english_client, bare_draft):
    url = reverse("applications:edit", args=[bare_draft.pk])

    response = english_client.post(url, edit_data(bare_draft, submit=True, own_contribution="50 000"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "The financing plan (350\u00a0000\u00a0kr) must add up to the budget (400\u00a0000\u00a0kr)." in page
    assert 'value="Nytt prosjektnamn"' in page
    bare_draft.refresh_from_db()
    assert bare_draft.status == S.DRAFT
    assert (bare_draft.title, bare_draft.requested_amount, bare_draft.own_contribution) == (
        "Nytt prosjektnamn",
        300_000,
        50_000,
    )
    assert list(bare_draft.budget_lines.values_list("amount", flat=True)) == [400_000]
    assert bare_draft.result_goals.get().number == 2


def test_an_amount_that_is_not_a_number_is_named_beside_its_field_and_nothing_is_saved(english_client, bare_draft):
    url = reverse("applications:edit", args=[bare_draft.pk])

    response = english_client.post(url, edit_data(bare_draft, requested_amount="abc"))

    assert response.status_code == 200
    with translation.override("en"):
        assert "whole kroner" in response.context["form"].errors["requested_amount"][0]
    page = response.content.decode()
    beside = re.search(r'<div id="id_requested_amount_error"[^>]*>(.*?)</div>', page, re.S)
    assert beside and "Write the amount in whole kroner, for example 250 000." in beside.group(1)
    field = re.search(r'<input [^>]*name="requested_amount"[^>]*>', page).group(0)
    assert 'value="abc"' in field
    assert 'aria-describedby="id_requested_amount_error"' in field
    assert 'value="Nytt prosjektnamn"' in page
    bare_draft.refresh_from_db()
    assert (bare_draft.title, bare_draft.requested_amount) == ("Første tittel", 0)
    assert not bare_draft.budget_lines.exists()


def test_an_amount_typed_with_spaces_is_read_as_whole_kroner(english_client, bare_draft):
    url = reverse("applications:edit", args=[bare_draft.pk])

    response = english_client.post(
        url, edit_data(bare_draft, requested_amount="1 000 000", **{"budget-0-amount": "1 100 000"})
    )

    assert response.status_code == 302
    bare_draft.refresh_from_db()
    assert bare_draft.requested_amount == 1_000_000
    assert list(bare_draft.budget_lines.values_list("amount", flat=True)) == [1_100_000]


def test_a_balanced_application_is_submitted_from_the_page(english_client, bare_draft):
    url = reverse("applications:edit", args=[bare_draft.pk])

    response = english_client.post(url, edit_data(bare_draft, submit=True))

    assert response.status_code == 302
    assert response.url == reverse("applications:detail", args=[bare_draft.pk])
    bare_draft.refresh_from_db()
    assert (bare_draft.status, bare_draft.version) == (S.SUBMITTED, 1)


def test_submitting_on_the_page_after_the_deadline_says_so_and_keeps_the_draft(english_client, bare_draft, nt_round):
    FundingRound.objects.filter(pk=nt_round.pk).update(deadline=timezone.now() - datetime.timedelta(hours=1))
    url = reverse("applications:edit", args=[bare_draft.pk])

    response = english_client.post(url, edit_data(bare_draft, submit=True))

    assert response.status_code == 200
    assert "can no longer be submitted" in response.content.decode()
    bare_draft.refresh_from_db()
    assert (bare_draft.status, bare_draft.title) == (S.DRAFT, "Nytt prosjektnamn")
