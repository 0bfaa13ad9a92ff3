"""Passwords are hashed with Argon2; a PBKDF2 hash from before is upgraded when the person next signs in."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from conftest import sign_in
from luk_portal.settings import base
from programmes.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_argon2_comes_first_in_the_portals_hashers():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in base.PASSWORD_HASHERS  # old hashes still verify


@pytest.mark.parametrize("fixture", ["coordinator_a", "officer"])
def test_a_pbkdf2_hash_becomes_argon2_at_the_next_sign_in_through_the_form(request, client, settings, fixture):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    user = request.getfixturevalue(fixture)
    user.password = make_password(TEST_PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = sign_in(client, user.username)

    assert response.status_code == 302 and response.url != reverse("account_login")
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(TEST_PASSWORD)


def test_a_new_password_is_hashed_with_argon2(settings, coordinator_a):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    coordinator_a.set_password("a long and new password for the test")
    assert coordinator_a.password.startswith("argon2$argon2id$")
