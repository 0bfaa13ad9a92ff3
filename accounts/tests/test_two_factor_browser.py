"""Two-factor sign-in in the browser: a staff member's first set-up (QR code, key, code, recovery codes) and the
second step, each page passing axe and the 320 px reflow check."""

from __future__ import annotations

import re
import time
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from playwright.sync_api import expect

from demo.people import DEMO_PASSWORD
from reporting.tests.test_browser import (  # noqa: F401  (fixtures)
    at,
    browser,
    check_page,
    county_path,
    demo,
    fill_code,
    fill_login,
    follow,
    page,
    reference_data_put_back,
    t,
)


def test_staff_without_a_factor_set_one_up_from_the_page_and_go_on_to_the_portal(page, demo):  # noqa: F811
    Authenticator.objects.filter(user__username="nt.saksbehandlar").delete()
    fill_login(page, "nt.saksbehandlar", DEMO_PASSWORD)
    page.wait_for_url(at(reverse("mfa_activate_totp")))
    expect(page.get_by_role("img", name=t("QR code for your authenticator app"))).to_be_visible()
    check_page(page)

    # As an authenticator app would, from the key shown beside the QR code.
    secret = page.locator(".totp-secret").inner_text().strip()
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.get_by_label(t("The six-digit code your app now shows")).fill(code)
    page.get_by_role("button", name=t("Turn on"), exact=True).click()
    page.wait_for_url(at(reverse("mfa_view_recovery_codes")))
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    check_page(page)

    page.get_by_role("link", name=t("Go on to the portal"), exact=True).click()
    page.wait_for_url(at(county_path("17")))
    check_page(page)


def test_the_second_step_and_the_persons_own_factor_page_pass_axe(page, demo):  # noqa: F811
    page.goto(reverse("account_login"))
    page.get_by_label(t("User name")).fill("nt.leiar")
    page.get_by_label(t("Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=t("Log in"), exact=True).click()
    page.wait_for_url(at(reverse("mfa_authenticate")))
    check_page(page)

    fill_code(page, "nt.leiar")
    page.wait_for_url(at(county_path("17")))
    follow(page, t("Active sessions"), reverse("sessions"), within="header")
    follow(page, t("Manage your second factor"), reverse("mfa_index"))
    expect(page.locator("main")).to_contain_text(t("Last used %(when)s.").split("%")[0])
    page.get_by_role("link", name=t("Make new codes"), exact=True).click()
    page.wait_for_url(at(reverse("mfa_generate_recovery_codes")))
    check_page(page)


def signed_in_minutes_ago(browser_page: Any, minutes: int) -> None:
    """Move the browser session's sign-in back in time (the session is kept in the database)."""
    [cookie] = [c for c in browser_page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME]
    session = SessionStore(session_key=cookie["value"])
    records = session["account_authentication_methods"]
    for record in records:
        record["at"] -= minutes * 60
    session["account_authentication_methods"] = records
    session.save()


def test_removing_the_app_after_a_while_asks_for_the_password_and_both_pages_pass_axe(page, demo):  # noqa: F811
    fill_login(page, "nt.leiar", DEMO_PASSWORD)
    page.wait_for_url(at(county_path("17")))
    signed_in_minutes_ago(page, 10)
    page.goto(reverse("mfa_index"))
    page.locator("main").get_by_role("link", name=t("Remove"), exact=True).click()
    page.wait_for_url(re.compile(re.escape(reverse("account_reauthenticate"))))
    check_page(page)

    page.get_by_label(t("Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=t("Confirm"), exact=True).click()
    page.wait_for_url(at(reverse("mfa_deactivate_totp")))
    check_page(page)
    page.get_by_role("button", name=t("Remove"), exact=True).click()
    page.wait_for_url(at(reverse("mfa_index")))
    expect(page.locator("main")).to_contain_text(t("The authenticator app is removed."))
    expect(page.locator("main")).to_contain_text(t("No authenticator app is set up."))
    # Staff without their factor are sent to set up a new one.
    page.goto(reverse("start"))
    page.wait_for_url(at(reverse("mfa_activate_totp")))
