"""Signing in with two factors: staff must set one up, coordinators may; wrong codes count for the lockout;
a person manages their own factor; an administrator resets a lost one; the demo staff share a known secret.

Every code here is computed from the secret, as the person's authenticator app would: nothing bypasses the check.
"""

from __future__ import annotations

import io
import re
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import ngettext

from accounts.models import SignInEvent
from accounts.services import factor_totp_add
from conftest import county, sign_in, totp_code
from demo.people import DEMO_PASSWORD, DEMO_PEOPLE, DEMO_TOTP_SECRET
from demo.seed import demo_seed
from programmes.models import Membership
from programmes.tests.factories import TEST_PASSWORD

SETUP = reverse("mfa_activate_totp")
CODE_STEP = reverse("mfa_authenticate")


def code_for(secret: str) -> str:
    """The code an authenticator app shows now for this secret."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def factor_types(user) -> set[str]:
    return set(Authenticator.objects.filter(user=user).values_list("type", flat=True))


def event_kinds(user) -> list[str]:
    return list(SignInEvent.objects.filter(user=user).order_by("pk").values_list("kind", flat=True))


def password_step(client, username, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": username, "password": password})


def activate(client, on_commit) -> tuple[str, str]:
    """Open the set-up page, type the code computed from the secret it shows; returns where it leads, and the
    secret (the person's authenticator app)."""
    page = client.get(SETUP)
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret in page.content.decode()  # shown for typing into the app, beside the QR code
    with on_commit(execute=True):  # allauth tells of the new factor once it is committed
        response = client.post(SETUP, {"code": code_for(secret)})
    assert response.status_code == 302
    return response.url, secret


def reaches(client, path) -> bool:
    """The page opens (following the start page's redirect to the person's own page), not the set-up page."""
    response = client.get(path, follow=True)
    return response.status_code == 200 and SETUP not in [url for url, _status in response.redirect_chain]


def recovery_codes(user) -> list[str]:
    return Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()


# Staff who have no factor yet


def test_staff_without_a_factor_reach_only_the_set_up_page_until_they_have_one(
    client, officer, django_capture_on_commit_callbacks
):
    Authenticator.objects.filter(user=officer).delete()
    response = password_step(client, officer.username)
    assert response.status_code == 302
    assert client.get(response.url).url == SETUP  # the password alone leads to the set-up page

    county_page = reverse("reporting:county", args=[county("17").pk])
    for path, headers in [
        (reverse("start"), {}),
        (county_page, {}),
        (reverse("applications:list"), {"HX-Request": "true"}),  # an htmx fragment
        (reverse("admin:index"), {}),
        (reverse("sessions"), {}),
    ]:
        response = client.get(path, headers=headers)
        assert (response.status_code, response.url) == (302, SETUP), path

    assert activate(client, django_capture_on_commit_callbacks)[0] == reverse("mfa_view_recovery_codes")
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200
    assert len(codes.context["unused_codes"]) == 10
    assert all(code in codes.content.decode() for code in codes.context["unused_codes"])
    assert factor_types(officer) == {"totp", "recovery_codes"}
    assert "factor_added" in event_kinds(officer)
    assert reaches(client, reverse("start"))
    assert reaches(client, county_page)


def test_a_factor_set_up_in_one_session_lets_the_other_sessions_in_too(
    client, officer, django_capture_on_commit_callbacks
):
    Authenticator.objects.filter(user=officer).delete()
    other = Client()
    for each in (client, other):
        password_step(each, officer.username)
        assert each.get(reverse("start")).url == SETUP
    activate(client, django_capture_on_commit_callbacks)
    assert reaches(other, reverse("start"))  # not sent round between set-up and removal


def test_staff_without_a_factor_can_sign_out(client, officer):
    Authenticator.objects.filter(user=officer).delete()
    password_step(client, officer.username)
    assert client.get(reverse("start")).url == SETUP
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("start")).url.startswith(reverse("account_login"))


def test_an_administrator_without_a_factor_is_led_to_set_one_up(client, django_user_model):
    django_user_model.objects.create_superuser("admin2", "admin2@test.example", TEST_PASSWORD)
    password_step(client, "admin2")
    assert client.get(reverse("admin:index")).url == SETUP


def test_staff_with_a_factor_are_asked_for_a_code_and_the_password_alone_reaches_nothing(client, officer):
    response = password_step(client, officer.username)
    assert (response.status_code, response.url) == (302, CODE_STEP)
    assert client.get(reverse("start")).url.startswith(reverse("account_login"))  # not signed in yet
    response = client.post(CODE_STEP, {"code": totp_code(officer)})
    assert (response.status_code, response.url) == (302, reverse("start"))
    assert reaches(client, reverse("start"))


# Coordinators may turn it on


def test_a_coordinator_is_not_forced_but_may_turn_it_on_and_is_then_asked_for_a_code(
    client, coordinator_a, django_capture_on_commit_callbacks
):
    response = password_step(client, coordinator_a.username)
    assert response.url == reverse("start")
    assert reaches(client, reverse("start"))  # no factor needed

    led_to, secret = activate(client, django_capture_on_commit_callbacks)
    assert led_to == reverse("mfa_view_recovery_codes")
    assert factor_types(coordinator_a) == {"totp", "recovery_codes"}
    client.post(reverse("account_logout"))

    response = password_step(client, coordinator_a.username)
    assert (response.status_code, response.url) == (302, CODE_STEP)
    response = client.post(CODE_STEP, {"code": code_for(secret)})
    assert (response.status_code, response.url) == (302, reverse("start"))


# The second step and the lockout


def test_a_wrong_code_is_recorded_and_counted_by_axes_until_even_the_right_code_is_refused(client, officer, settings):
    password_step(client, officer.username)
    right = totp_code(officer)
    wrong = "000000" if right != "000000" else "111111"
    response = client.post(CODE_STEP, {"code": wrong})
    assert response.status_code == 200  # the form again, with the error on the field
    assert response.context["form"].errors["code"]
    assert event_kinds(officer).count("factor_failed") == 1

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(CODE_STEP, {"code": wrong})
    assert response.status_code == 429  # the lockout page
    assert event_kinds(officer).count("factor_failed") == settings.AXES_FAILURE_LIMIT
    assert "locked_out" in event_kinds(officer)

    response = client.post(CODE_STEP, {"code": right})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # And a fresh start with the right password is refused too, while the lock lasts.
    assert password_step(Client(), officer.username).status_code == 429


def test_a_recovery_code_works_once_at_the_second_step(client, officer):
    code = recovery_codes(officer)[0]
    password_step(client, officer.username)
    response = client.post(CODE_STEP, {"code": code})
    assert (response.status_code, response.url) == (302, reverse("start"))
    assert code not in recovery_codes(officer)
    client.post(reverse("account_logout"))

    password_step(client, officer.username)
    response = client.post(CODE_STEP, {"code": code})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert "_auth_user_id" not in client.session


# A person's own factors


def test_a_person_sees_and_removes_their_own_factor_and_staff_must_then_set_up_again(client, officer):
    sign_in(client, officer.username)
    assert reverse("mfa_index") in client.get(reverse("sessions")).content.decode()  # found from their pages
    index = client.get(reverse("mfa_index"))
    assert index.status_code == 200
    page = index.content.decode()
    assert reverse("mfa_deactivate_totp") in page
    totp = Authenticator.objects.get(user=officer, type=Authenticator.Type.TOTP)
    assert dateformat.format(timezone.localtime(totp.created_at), "j.n.Y H:i") in page  # on since
    with translation.override("nn"):
        left = ngettext("%(count)s unused code left.", "%(count)s unused codes left.", 10) % {"count": 10}
    assert left in page

    assert client.get(reverse("mfa_deactivate_totp")).status_code == 200  # signed in just now: no password asked
    response = client.post(reverse("mfa_deactivate_totp"))
    assert (response.status_code, response.url) == (302, reverse("mfa_index"))
    assert factor_types(officer) == set()  # the recovery codes went with it
    assert "factor_removed" in event_kinds(officer)
    assert client.get(reverse("start")).url == SETUP


def test_a_coordinator_removes_their_factor_and_signs_in_with_the_password_alone_again(client, coordinator_a):
    factor_totp_add(user=coordinator_a, secret=DEMO_TOTP_SECRET)
    sign_in(client, coordinator_a.username)
    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert factor_types(coordinator_a) == set()
    assert reaches(client, reverse("start"))
    client.post(reverse("account_logout"))
    assert password_step(client, coordinator_a.username).url == reverse("start")


def test_an_older_sign_in_must_confirm_the_password_before_the_factor_is_removed(client, officer):
    sign_in(client, officer.username)
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] -= 10 * 60  # signed in ten minutes ago
    session.save()
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert "totp" in factor_types(officer)

    response = client.post(response.url, {"password": TEST_PASSWORD})  # and the removal goes on
    assert (response.status_code, response.url) == (302, reverse("mfa_index"))
    assert factor_types(officer) == set()


def test_a_person_makes_new_recovery_codes_and_the_old_ones_stop_working(
    client, officer, django_capture_on_commit_callbacks
):
    old = recovery_codes(officer)
    sign_in(client, officer.username)
    assert client.get(reverse("mfa_generate_recovery_codes")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_generate_recovery_codes"))
    assert (response.status_code, response.url) == (302, reverse("mfa_view_recovery_codes"))
    new = recovery_codes(officer)
    assert len(new) == 10 and not set(new) & set(old)
    assert "recovery_codes" in event_kinds(officer)
    client.post(reverse("account_logout"))

    password_step(client, officer.username)
    assert client.post(CODE_STEP, {"code": old[0]}).status_code == 200  # refused
    assert client.post(CODE_STEP, {"code": new[0]}).url == reverse("start")


# The administrator's reset (a lost phone)


def test_the_admin_action_resets_a_persons_factors_ends_their_sessions_records_and_mails(
    client, admin_user, officer, mailoutbox
):
    theirs = Client()
    assert sign_in(theirs, officer.username).url == reverse("start")
    assert sign_in(client, "admin", "password").url == reverse("start")
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "second_factors_reset", "_selected_action": [officer.pk]},
    )
    assert response.status_code == 302

    assert factor_types(officer) == set()
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(officer.pk)]
    assert theirs.get(reverse("start")).url.startswith(reverse("account_login"))
    event = SignInEvent.objects.get(user=officer, kind="factors_reset")
    assert event.by == admin_user
    [mail] = mailoutbox
    assert mail.to == [officer.email]
    assert officer.username in mail.body

    # At the next sign-in they are led to set up a new factor.
    response = password_step(theirs, officer.username)
    assert theirs.get(response.url).url == SETUP


# The demo


def test_demo_totp_prints_a_code_that_the_second_step_accepts_for_a_demo_staff_user(client, db):
    demo_seed(cases=False)
    out = io.StringIO()
    call_command("demo_totp", stdout=out)
    code = re.match(r"(\d{6}) ", out.getvalue()).group(1)
    user = get_user_model().objects.get(username="nt.saksbehandlar")
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    cache.delete(TOTP(authenticator)._get_used_cache_key(code))  # another test may have used it a moment ago

    assert password_step(client, "nt.saksbehandlar", DEMO_PASSWORD).url == CODE_STEP
    response = client.post(CODE_STEP, {"code": code})
    assert (response.status_code, response.url) == (302, reverse("start"))


def test_the_demo_staff_and_admin_have_the_demo_factor_and_coordinators_none(db):
    demo_seed(cases=False)
    users = get_user_model().objects
    code = code_for(DEMO_TOTP_SECRET)
    for username in ("nt.saksbehandlar", "nt.leiar", "departementet", "admin"):
        totp = Authenticator.objects.get(user__username=username, type=Authenticator.Type.TOTP).wrap()
        cache.delete(totp._get_used_cache_key(code))  # another test may have used it a moment ago
        assert totp.validate_code(code), username
    coordinators = [p.username for p in DEMO_PEOPLE if p.roles[0][0] == Membership.Role.COORDINATOR]
    assert coordinators
    assert not Authenticator.objects.filter(user__in=users.filter(username__in=coordinators)).exists()
