import time
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from luk_portal.middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT
from programmes.services import user_create
from programmes.tests.factories import TEST_PASSWORD


def log_in(client, username, password=TEST_PASSWORD, **extra):
    return sign_in(client, username, password, **extra)


def test_login_and_logout(client, officer):
    response = log_in(client, officer.username)
    assert response.status_code == 302 and response.url == reverse("start")
    assert client.get(reverse("start")).status_code == 302  # to the county page: signed in
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get(reverse("start")).url.startswith(reverse("account_login"))


def test_a_wrong_password_says_so_on_the_form_and_keeps_the_user_name(client, officer):
    response = log_in(client, officer.username, "wrong-password-123")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="officer.nt"' in page
    assert response.context["form"].errors


def test_repeated_failures_lock_the_user_name_at_that_address(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, officer.username, "wrong-password-123")
    response = log_in(client, officer.username)  # even the right password is refused while locked
    assert response.status_code == 429
    assert client.get(reverse("start")).status_code == 302
    # Another user behind the same address is not locked out.
    from programmes.tests.factories import UserFactory

    colleague = UserFactory(username="colleague")
    assert log_in(client, colleague.username).status_code == 302


@pytest.mark.parametrize("password", ["kort-pass", "123456789012345", "password12345"])
def test_weak_passwords_are_refused(db, password):
    with pytest.raises(ValidationError):
        user_create(username="ny.brukar", password=password)


def test_twelve_characters_is_the_minimum(db):
    with pytest.raises(ValidationError):
        validate_password("Kx7-qwe-rty")  # 11
    validate_password("Kx7-qwe-rty!")  # 12


def test_password_reset_sends_a_link_by_email(client, officer, mailoutbox):
    officer.email = "officer@test.example"
    officer.save()
    response = client.post(reverse("account_reset_password"), {"email": "officer@test.example"})
    assert response.status_code == 302
    [mail] = mailoutbox
    assert mail.to == ["officer@test.example"]
    link = next(line for line in mail.body.splitlines() if "/konto/password/reset/key/" in line)
    response = client.get(link.split("testserver", 1)[1], follow=True)
    assert response.status_code == 200
    assert "form" in response.context and not response.context.get("token_fail")  # the link is valid


def test_sessions_end_after_inactivity_and_activity_keeps_them(client, officer, settings):
    assert 0 < settings.SESSION_COOKIE_AGE <= 60 * 60
    client.force_login(officer)
    client.get(reverse("start"))
    store = client.session
    row = Session.objects.filter(session_key=store.session_key)
    first = row.get().expire_date
    # Within a minute of the last write, a request does not write the session again.
    client.get(reverse("start"))
    assert row.get().expire_date == first
    # Later, a request moves the expiry on.
    store[SESSION_SEEN_AT] = time.time() - settings.SESSION_REFRESH_SECONDS - 1
    store.save()
    saved = row.get().expire_date
    time.sleep(0.01)
    client.get(reverse("start"))
    assert row.get().expire_date > saved
    # A session idle past its age is gone: the person is asked to log in.
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("start"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_sessions_end_after_their_absolute_age(client, officer, settings):
    client.force_login(officer)
    session = client.session
    session[SESSION_LOGIN_AT] = time.time() - settings.SESSION_ABSOLUTE_AGE - 1
    session.save()
    response = client.get(reverse("start"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_a_fresh_session_is_kept(client, officer):
    log_in(client, officer.username)
    assert client.session[SESSION_LOGIN_AT] <= time.time()
    assert not client.get(reverse("start")).url.startswith(reverse("account_login"))


def test_admin_covers_every_model_of_the_portal():
    ours = [
        m
        for app in ("programmes", "applications", "reporting")
        for m in apps.get_app_config(app).get_models()
        if not m.__name__.startswith("Historical")
    ]
    assert ours
    missing = [m.__name__ for m in ours if not admin.site.is_registered(m)]
    assert missing == []


def test_admin_pages_open_for_an_administrator(admin_client):
    for model in admin.site._registry:
        if model._meta.app_label in ("programmes", "applications", "reporting"):
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            assert admin_client.get(url).status_code == 200, url
