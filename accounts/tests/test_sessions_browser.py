"""The sessions page in the browser: reached from the user menu, passes axe, ends the other sessions."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from demo.people import DEMO_PASSWORD
from reporting.tests.test_browser import (  # noqa: F401  (fixtures)
    at,
    browser,
    check_page,
    demo,
    fill_login,
    follow,
    page,
    reference_data_put_back,
    t,
)


def test_sessions_page_from_the_user_menu_passes_axe_and_ends_the_other_sessions(page, browser, live_server, demo):  # noqa: F811
    other = browser.new_context(base_url=live_server.url)
    other_page = other.new_page()
    for p in (other_page, page):
        fill_login(p, "nt.saksbehandlar", DEMO_PASSWORD)
        p.wait_for_url(lambda url: "/login/" not in url and "/2fa/" not in url)
    page.goto(reverse("start"))
    follow(page, t("Active sessions"), reverse("sessions"), within="header")
    expect(page.locator("main tbody").first.locator("tr")).to_have_count(2)
    page.get_by_role("button", name=t("End the other sessions")).click()
    page.wait_for_url(at(reverse("sessions")))
    check_page(page)
    expect(page.locator("main tbody").first.locator("tr")).to_have_count(1)
    other_page.goto(reverse("sessions"))
    assert "/login/" in other_page.url
    other.close()
