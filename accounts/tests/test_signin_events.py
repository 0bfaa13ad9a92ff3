from datetime import timedelta

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.models import SignInEvent
from conftest import sign_in
from programmes.tests.factories import TEST_PASSWORD

NEW_PASSWORD = "Ny-lang-passord-2026!"


def log_in(client, username, password=TEST_PASSWORD, ip="10.1.0.1"):
    return sign_in(client, username, password, REMOTE_ADDR=ip)


def kinds(**filters):
    return list(SignInEvent.objects.filter(**filters).order_by("pk").values_list("kind", "ip_address"))


def test_a_sign_in_and_sign_out_are_recorded_with_user_and_address(client, officer):
    assert log_in(client, officer.username, ip="10.1.0.7").status_code == 302
    client.post(reverse("account_logout"), REMOTE_ADDR="10.1.0.7")
    assert kinds(user=officer) == [("login", "10.1.0.7"), ("logout", "10.1.0.7")]


def test_a_wrong_password_and_an_unknown_name_are_recorded(client, officer):
    log_in(client, officer.username, "wrong-password-123", ip="10.1.0.8")
    log_in(client, "nobody.here", "wrong-password-123", ip="10.1.0.9")
    assert kinds(user=officer) == [("login_failed", "10.1.0.8")]
    unknown = SignInEvent.objects.get(username="nobody.here")
    assert (unknown.kind, unknown.user, unknown.ip_address) == ("login_failed", None, "10.1.0.9")


def test_the_axes_lockout_is_recorded(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, officer.username, "wrong-password-123", ip="10.1.0.10")
    assert ("locked_out", "10.1.0.10") in kinds(user=officer)


def test_a_password_change_is_recorded_and_ends_the_other_sessions(client, officer):
    other = Client()
    assert log_in(other, officer.username, ip="10.1.0.11").status_code == 302
    assert log_in(client, officer.username, ip="10.1.0.12").status_code == 302
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        REMOTE_ADDR="10.1.0.12",
    )
    assert response.status_code == 302
    assert ("password_changed", "10.1.0.12") in kinds(user=officer)
    assert client.get(reverse("account_change_password")).status_code == 200  # still signed in here
    assert other.get(reverse("account_change_password")).status_code == 302  # the other one is signed out
    assert Session.objects.count() == 1


def reset_link(client, officer, mailoutbox, ip):
    officer.email = "officer@test.example"
    officer.save()
    client.post(reverse("account_reset_password"), {"email": officer.email}, REMOTE_ADDR=ip)
    link = next(line for line in mailoutbox[-1].body.splitlines() if "/konto/password/reset/key/" in line)
    response = client.get(link.split("testserver", 1)[1], REMOTE_ADDR=ip)
    return response.url  # the link without the token, set in the session


def test_a_completed_reset_is_recorded_ends_every_session_and_clears_the_lock(client, officer, settings, mailoutbox):
    signed_in = Client()
    assert log_in(signed_in, officer.username, ip="10.1.0.20").status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, officer.username, "wrong-password-123", ip="10.1.0.21")
    assert log_in(client, officer.username, ip="10.1.0.21").status_code == 429  # locked

    url = reset_link(client, officer, mailoutbox, "10.1.0.21")
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, REMOTE_ADDR="10.1.0.21")
    assert response.status_code == 302
    assert ("password_reset", "10.1.0.21") in kinds(user=officer)
    assert signed_in.get(reverse("account_change_password")).status_code == 302  # signed out
    # The lock is gone at once, not after the cool-off.
    assert log_in(client, officer.username, NEW_PASSWORD, ip="10.1.0.21").status_code == 302


def age(username, by):
    """Move every event of the user name back in time, as if `by` had passed."""
    for event in SignInEvent.objects.filter(username=username):
        SignInEvent.objects.filter(pk=event.pk).update(at=event.at - by)


def test_failures_from_many_addresses_lock_the_user_name_with_a_growing_delay(client, officer, settings):
    settings.AXES_USER_FAILURE_LIMIT = 6
    settings.AXES_USER_COOLOFF_MINUTES = 10
    for n in range(6):  # one failure from each of six addresses: axes' per-address lock never triggers
        assert log_in(client, officer.username, "wrong-password-123", ip=f"10.2.0.{n}").status_code == 200
    assert ("locked_out", "10.2.0.5") in kinds(user=officer)
    # Even the right password from a fresh address is refused, with the lockout page.
    response = log_in(client, officer.username, ip="10.2.1.1")
    assert response.status_code == 429
    assert reverse("account_reset_password") in response.content.decode()
    # Knocking while locked does not lengthen the delay.
    for n in range(5):
        log_in(client, officer.username, "wrong-password-123", ip=f"10.2.2.{n}")
    age(officer.username, timedelta(minutes=10, seconds=1))
    # After the first delay one more wrong guess doubles it: 20 minutes now.
    assert log_in(client, officer.username, "wrong-password-123", ip="10.2.3.1").status_code == 200
    age(officer.username, timedelta(minutes=10, seconds=1))
    assert log_in(client, officer.username, ip="10.2.3.2").status_code == 429
    age(officer.username, timedelta(minutes=10))
    assert log_in(client, officer.username, ip="10.2.3.3").status_code == 302
    # The successful sign-in cleared the count: a single new failure does not lock.
    client.post(reverse("account_logout"))
    assert log_in(client, officer.username, "wrong-password-123", ip="10.2.4.1").status_code == 200
    assert log_in(client, officer.username, ip="10.2.4.2").status_code == 302


def test_a_completed_reset_clears_the_per_user_limit(client, officer, settings, mailoutbox):
    settings.AXES_USER_FAILURE_LIMIT = 3
    for n in range(3):
        log_in(client, officer.username, "wrong-password-123", ip=f"10.3.0.{n}")
    assert log_in(client, officer.username, ip="10.3.1.1").status_code == 429
    url = reset_link(client, officer, mailoutbox, "10.3.1.1")
    client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, REMOTE_ADDR="10.3.1.1")
    assert log_in(client, officer.username, NEW_PASSWORD, ip="10.3.1.2").status_code == 302
