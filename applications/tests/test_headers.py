"""The security headers on every answer, and `Cache-Control: private, no-store` on every answer to a signed-in
person: pages, downloads and exports (luk_portal.middleware.PrivateCacheMiddleware); an htmx fragment:
reporting/tests/test_report_jobs.py, a PDF report: test_a_project_report_is_made_and_opens_as_a_pdf."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db

PRIVATE = "private, no-store"


def directives(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def test_a_signed_in_page_has_the_content_security_policy_and_the_other_headers(client, officer):
    client.force_login(officer)
    response = client.get(reverse("applications:list"))
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"  # no inline script or style
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'" and policy["form-action"] == "'self'"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert response.headers["Cache-Control"] == PRIVATE


def test_the_pages_have_no_inline_script_or_style(client, officer):
    client.force_login(officer)
    html = client.get(reverse("applications:list")).content.decode()
    assert "<script>" not in html and "<style" not in html and ' style="' not in html
    assert "htmx-config" in html  # htmx told to add no indicator style and to evaluate nothing


def test_a_download_and_an_export_are_private(client, draft, coordinator_a):
    client.force_login(coordinator_a)
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n1 0 obj\n%%EOF\n", content_type="application/pdf")
    client.post(reverse("applications:attachment_upload", args=[draft.pk]), {"file": upload})
    attachment = draft.attachments.get()
    download = client.get(reverse("applications:attachment_download", args=[draft.pk, attachment.pk]))
    assert download.status_code == 200
    assert download.headers["Cache-Control"] == PRIVATE
    export = client.get(reverse("applications:list"), {"format": "csv"})
    assert export.status_code == 200 and export.headers["Content-Type"].startswith("text/csv")
    assert export.headers["Cache-Control"] == PRIVATE


def test_the_sign_in_page_is_private_and_a_public_page_has_the_headers(client):
    login = client.get(reverse("account_login"))
    assert "no-store" in login.headers["Cache-Control"]
    home = client.get(reverse("home"))
    assert "Content-Security-Policy" in home.headers and "Permissions-Policy" in home.headers
