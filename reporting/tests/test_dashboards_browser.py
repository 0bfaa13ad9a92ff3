"""The three dashboards in a real browser, each for its role, in nynorsk, bokmål and English: every page passes
axe-core, reflows at 320px, and its filters and drill-down links work."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reporting.tests.test_browser import (  # noqa: F401 (browser, demo_with_cases, page, reference_data_put_back: fixtures)
    at,
    browser,
    check_page,
    county_path,
    demo_with_cases,
    follow,
    kommune_path,
    log_in,
    page,
    reference_data_put_back,
    switch_language,
    t,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_every_language(page) -> None:  # noqa: F811
    """The page as it is now, then in bokmål and English (switch_language checks each), back to nynorsk."""
    for language in ("nb", "en", "nn"):
        switch_language(page, language)


def test_ministry_uses_the_national_dashboard_in_both_structures(page, demo_with_cases):  # noqa: F811
    log_in(page, "departementet", reverse("reporting:national"))
    expect(page.get_by_role("table", name=t("Frames granted to each county authority, in kroner"))).to_contain_text(
        "Nord-Trøndelag"
    )
    in_every_language(page)
    page.get_by_role("combobox", name=t("Counties"), exact=True).select_option("2024")
    page.get_by_role("button", name=t("Show"), exact=True).click()
    page.wait_for_url(lambda url: "structure=2024" in url)
    expect(page.get_by_role("table", name=t("Frames granted to each county authority, in kroner"))).to_contain_text(
        "Trøndelag"
    )
    check_page(page)
    page.goto(reverse("reporting:national"))
    follow(page, "Nord-Trøndelag", county_path("17"))


def test_county_staff_use_their_dashboard_and_open_a_kommune(page, demo_with_cases):  # noqa: F811
    log_in(page, "nt.saksbehandlar", county_path("17"))
    expect(page.get_by_role("heading", name=t("Waiting for you"))).to_be_visible()
    in_every_language(page)
    follow(page, "Steinkjer", kommune_path("1702"))


def test_coordinator_uses_the_kommune_page(page, demo_with_cases):  # noqa: F811
    log_in(page, "k1702.koordinator", kommune_path("1702"))
    expect(page.get_by_role("heading", name=t("Reports due"), exact=True).first).to_be_visible()
    in_every_language(page)
    expect(page).to_have_url(at(kommune_path("1702")))
