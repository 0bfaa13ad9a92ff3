"""PDF reports in a real browser: each role asks for the report its page offers, watches the job page update
itself (htmx, no reload) and opens the PDF; every page seen passes axe-core, in all three languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import Project
from luk_portal import jobs
from reporting import services
from reporting.models import ReportJob
from reporting.tests.test_browser import (  # noqa: F401 (browser, demo_with_cases, page, reference_data_put_back: fixtures)
    at,
    browser,
    check_page,
    county_path,
    demo_with_cases,
    log_in,
    page,
    reference_data_put_back,
    switch_language,
    t,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ask_and_open(page: Any, heading: str) -> ReportJob:  # noqa: F811
    """Press the report button in the section under `heading`, land on the job page, and open the PDF."""
    section = page.locator("section", has=page.get_by_role("heading", name=heading))
    section.get_by_role("button").click()
    page.wait_for_url(lambda url: "/pdf-rapportar/" in url)
    job = ReportJob.objects.order_by("-pk").first()
    expect(page.get_by_role("link", name=t("Open the report (PDF)"))).to_be_visible()
    check_page(page)
    response = page.request.get(reverse("reporting:job_file", args=[job.pk]))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    return job


def test_ministry_county_and_kommune_ask_for_their_reports_and_open_them(page, demo_with_cases):  # noqa: F811
    log_in(page, "departementet", reverse("reporting:national"))
    assert ask_and_open(page, t("National evaluation report (PDF)")).kind == "national"
    page.goto(reverse("reporting:jobs"))
    check_page(page)
    for language in ("nb", "en"):
        switch_language(page, language)
    page.context.clear_cookies()

    log_in(page, "nt.saksbehandlar", county_path("17"))
    assert ask_and_open(page, t("County report (PDF)")).kind == "county"

    page.context.clear_cookies()
    log_in(
        page, "k1702.koordinator", reverse("reporting:municipality", args=[_steinkjer_project().lead_municipality_id])
    )
    page.goto(reverse("applications:project_detail", args=[_steinkjer_project().pk]))
    assert ask_and_open(page, t("Project progress report (PDF)")).kind == "project"


def _steinkjer_project() -> Project:
    return Project.objects.filter(lead_municipality__number="1702").order_by("pk").first()


def test_the_job_page_follows_the_job_without_reloading(page, demo_with_cases, monkeypatch):  # noqa: F811
    monkeypatch.setattr(jobs, "send", lambda *task, **options: None)  # held in the queue until the test moves it
    log_in(page, "departementet", reverse("reporting:national"))
    switch_language(page, "en")
    page.get_by_role("button", name="Make PDF report").first.click()
    page.wait_for_url(lambda url: "/pdf-rapportar/" in url)
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")
    check_page(page)
    page.evaluate("window.__not_reloaded = true")
    job = ReportJob.objects.get()
    services.report_make(job_id=job.pk)  # what the worker would do
    expect(page.get_by_role("link", name="Open the report (PDF)")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    # The bar's width comes from data-progress through static/js/portal.js (no inline style under the CSP).
    bar = page.locator(".progress-bar")
    expect(bar).to_have_attribute("data-progress", "100")
    share = "el => el.getBoundingClientRect().width / el.parentElement.getBoundingClientRect().width"
    assert bar.evaluate(share) > 0.99
    assert page.evaluate("window.__not_reloaded") is True
    assert page.url.endswith(reverse("reporting:job", args=[job.pk]))
    check_page(page)
