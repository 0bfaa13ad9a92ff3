"""Sign-in with an electronic ID in the browser, against a real OpenID Connect provider on 127.0.0.1.

A good sign-in of a linked person (no second-factor step: level substantial is two-factor), and each refusal with
its message and a recorded failure: a tampered state, a wrong nonce, a token signed by another key, an expired
token, a too-low acr, an unknown person.
"""

from __future__ import annotations

from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from accounts.eid_checks import MESSAGES
from accounts.models import SignInEvent
from accounts.tests.oidc_provider import eid, oidc_provider  # noqa: F401  (fixtures)
from reporting.tests.test_browser import (  # noqa: F401  (fixtures)
    at,
    browser,
    check_page,
    demo,
    page,
    reference_data_put_back,
    t,
)

PID = "01017012345"  # a made-up identity number (not a real person's)
GOOD = {"pid": PID, "acr": "idporten-loa-substantial"}


def start_sign_in(page) -> None:  # noqa: F811
    page.goto(reverse("account_login"))
    page.get_by_role("button", name=t("Log in with %(name)s") % {"name": "ID-porten"}).click()


def refused(page, reason: str) -> None:  # noqa: F811
    expect(page.locator(".eid-refused")).to_have_text(str(MESSAGES[reason]))
    check_page(page)
    assert SignInEvent.objects.filter(kind="oidc_failed", detail=f"ID-porten: {reason}").count() == 1


def test_sign_in_with_an_electronic_id_and_each_refusal(page, demo, eid):  # noqa: F811
    officer = get_user_model().objects.get(username="nt.saksbehandlar")
    SocialAccount.objects.create(user=officer, provider="idporten", uid=PID)

    # Good: straight to the start page, with no code asked for (the person has an authenticator app too).
    eid.scenario(claims=GOOD)
    start_sign_in(page)
    page.wait_for_url(lambda url: "/konto/" not in url)
    assert "/2fa/" not in page.url
    expect(page.locator("header")).to_contain_text("Saksbehandlar NT")
    assert SignInEvent.objects.filter(kind="login", user=officer, detail="eid idporten-loa-substantial").exists()
    page.context.clear_cookies()

    for reason, scenario in [
        ("state", {"claims": GOOD, "state": "tampered-on-the-way-back"}),
        ("nonce", {"claims": GOOD, "nonce": "not-the-one-we-sent"}),
        ("signature", {"claims": GOOD, "other_key": True}),
        ("expired", {"claims": GOOD, "expired": True}),
        ("acr", {"claims": {"pid": PID, "acr": "idporten-loa-low"}}),
        ("unknown", {"claims": {"pid": "02027054321", "acr": "idporten-loa-high"}}),
    ]:
        eid.scenario(**scenario)
        start_sign_in(page)
        refused(page, reason)
        page.goto(reverse("start"))
        assert "/konto/login/" in page.url, f"signed in after a refused sign-in ({reason})"
        page.context.clear_cookies()
