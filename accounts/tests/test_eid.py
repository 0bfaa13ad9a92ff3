"""Sign-in with an electronic ID, with the test client against the real test provider: linking, unlinking, the
admin's link, no user ever made, two factors in one, and the settings read from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from urllib.parse import urlsplit

import jwt
import pytest
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts.eid.views import CLIENT_ASSERTION_TYPE, EIDAdapter
from accounts.factors import SESSION_FACTOR_OK
from accounts.models import SignInEvent
from accounts.tests.oidc_provider import eid, oidc_provider  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

PID = "01017012345"  # made up
GOOD = {"pid": PID, "acr": "idporten-loa-substantial"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def through_provider(client: Client, *, process: str = "login"):
    """Start at the portal, let the provider answer, and bring its answer back to the portal's callback."""
    response = client.post(reverse("eid_login", args=["idporten"]), {"process": process})
    assert response.status_code == 302, response.content[:500]
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(response.url)
        raise AssertionError("the provider did not redirect back")
    except urllib.error.HTTPError as answer:
        back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def test_a_linked_person_signs_in_and_it_counts_as_two_factor(client, officer, eid):  # noqa: F811
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=officer).delete()  # no app: the electronic ID is the second factor
    SocialAccount.objects.create(user=officer, provider="idporten", uid=PID)
    eid.scenario(claims=GOOD)
    response = through_provider(client)
    assert response.status_code == 302 and response.url == reverse("start")
    assert client.session[SESSION_FACTOR_OK] is True
    assert client.get(reverse("start")).status_code == 302  # on to the county page, not to the set-up page
    assert client.get(reverse("start"), follow=True).redirect_chain[-1][0] != reverse("mfa_activate_totp")


def test_an_unknown_identity_never_makes_a_user(client, eid):  # noqa: F811
    people = get_user_model().objects.count()
    eid.scenario(claims={"pid": "03037011111", "acr": "idporten-loa-high"})
    response = through_provider(client)
    assert response.status_code == 403
    assert response.context["reason"] == "unknown"
    assert get_user_model().objects.count() == people
    assert not SocialAccount.objects.exists()
    assert SignInEvent.objects.filter(kind="oidc_failed", detail="ID-porten: unknown").count() == 1


def test_a_signed_in_person_links_and_unlinks_their_own_electronic_id(client, coordinator_a, eid):  # noqa: F811
    client.force_login(coordinator_a)
    eid.scenario(claims=GOOD)
    response = through_provider(client, process="connect")
    assert response.status_code == 302
    account = SocialAccount.objects.get(user=coordinator_a)
    assert account.uid == PID and account.provider == "idporten"
    assert SignInEvent.objects.filter(kind="oidc_linked", user=coordinator_a).count() == 1
    page = client.get(reverse("socialaccount_connections"))
    assert page.status_code == 200 and "ID-porten" in page.content.decode()

    client.post(reverse("socialaccount_connections"), {"account": account.pk})
    assert not SocialAccount.objects.filter(user=coordinator_a).exists()
    assert SignInEvent.objects.filter(kind="oidc_unlinked", user=coordinator_a).count() == 1

    # Linked again, the next sign-in with the electronic ID is theirs.
    through_provider(client, process="connect")
    fresh = Client()
    assert through_provider(fresh).url == reverse("start")
    assert fresh.session["_auth_user_id"] == str(coordinator_a.pk)


def test_an_administrator_links_a_person_and_the_link_is_recorded(admin_client, admin_user, officer, eid):  # noqa: F811
    response = admin_client.post(
        reverse("admin:socialaccount_socialaccount_add"),
        {"user": officer.pk, "provider": "idporten", "uid": PID, "extra_data": ""},
    )
    assert response.status_code == 302, response.context["adminform"].errors if response.context else response
    assert SocialAccount.objects.get(uid=PID).user == officer
    event = SignInEvent.objects.get(kind="oidc_linked", user=officer)
    assert event.by == admin_user


def test_the_login_page_offers_each_configured_provider_and_none_without(client, settings, oidc_provider):  # noqa: F811
    settings.SOCIALACCOUNT_PROVIDERS = {"eid": {"APPS": []}}
    assert "eid/" not in client.get(reverse("account_login")).content.decode()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "eid": {"APPS": [oidc_provider.app(), oidc_provider.app("ansattporten", "Ansattporten", "idporten-loa-high")]}
    }
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("eid_login", args=["idporten"]) in page and reverse("eid_login", args=["ansattporten"]) in page


def test_ansattporten_at_level_high_refuses_substantial(client, officer, settings, oidc_provider):  # noqa: F811
    settings.SOCIALACCOUNT_PROVIDERS = {
        "eid": {"APPS": [oidc_provider.app("idporten", "Ansattporten", acr="idporten-loa-high")]}
    }
    SocialAccount.objects.create(user=officer, provider="idporten", uid=PID)
    oidc_provider.scenario(claims=GOOD)
    response = through_provider(client)
    assert response.status_code == 403 and response.context["reason"] == "acr"
    oidc_provider.scenario(claims={"pid": PID, "acr": "idporten-loa-high"})
    assert through_provider(client).url == reverse("start")


def test_the_request_asks_for_the_level_a_nonce_and_pkce(client, eid):  # noqa: F811
    response = client.post(reverse("eid_login", args=["idporten"]))
    query = dict(part.split("=", 1) for part in urlsplit(response.url).query.split("&"))
    assert query["acr_values"] == "idporten-loa-substantial"
    assert len(query["nonce"]) >= 32 and query["code_challenge_method"] == "S256" and query["state"]


def test_a_private_key_jwt_authenticates_the_client(rf, eid, settings):  # noqa: F811
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    app = eid.app()
    app["secret"] = ""
    app["settings"] |= {"token_auth_method": "private_key_jwt", "private_key": pem.decode(), "private_key_id": "k1"}
    settings.SOCIALACCOUNT_PROVIDERS = {"eid": {"APPS": [app]}}
    request = rf.get("/callback", {"code": "abc"})
    adapter = EIDAdapter(request, "idporten")
    sent = {}

    class Client:
        consumer_secret = "never sent"

        def get_access_token(self, code, pkce_code_verifier=None, extra_data=None):
            sent.update(code=code, secret=self.consumer_secret, **extra_data)
            return {"access_token": "x"}

    provider = adapter.get_provider()
    adapter.get_access_token_data(request, provider.app, Client(), pkce_code_verifier="v")
    assert sent["code"] == "abc" and sent["secret"] == ""
    assert sent["client_assertion_type"] == CLIENT_ASSERTION_TYPE
    assert jwt.get_unverified_header(sent["client_assertion"])["kid"] == "k1"
    claims = jwt.decode(
        sent["client_assertion"],
        key.public_key(),
        algorithms=["RS256"],
        audience=eid.issuer,
        issuer="luk-portalen-test",
    )
    assert claims["sub"] == "luk-portalen-test" and claims["exp"] - claims["iat"] <= 60 and claims["jti"]


def test_providers_are_read_from_the_environment(tmp_path):
    key_file = tmp_path / "key.pem"
    key_file.write_text("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "luk_portal.settings.base",
        "OIDC_PROVIDERS": "idporten,ansattporten",
        "OIDC_IDPORTEN_NAME": "ID-porten",
        "OIDC_IDPORTEN_ISSUER": "https://idporten.no",
        "OIDC_IDPORTEN_CLIENT_ID": "client-1",
        "OIDC_IDPORTEN_CLIENT_SECRET": "s3cret",
        "OIDC_ANSATTPORTEN_NAME": "Ansattporten",
        "OIDC_ANSATTPORTEN_ISSUER": "https://ansattporten.no",
        "OIDC_ANSATTPORTEN_CLIENT_ID": "client-2",
        "OIDC_ANSATTPORTEN_ACR": "idporten-loa-high",
        "OIDC_ANSATTPORTEN_PRIVATE_KEY_FILE": str(key_file),
    }
    script = "from django.conf import settings; import json; print(json.dumps(settings.SOCIALACCOUNT_PROVIDERS))"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"], env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    idporten, ansattporten = json.loads(out.stdout)["eid"]["APPS"]
    assert idporten["name"] == "ID-porten" and idporten["client_id"] == "client-1" and idporten["secret"] == "s3cret"
    assert idporten["settings"]["acr_values"] == "idporten-loa-substantial"
    assert idporten["settings"]["token_auth_method"] == "client_secret_post"
    assert ansattporten["settings"]["acr_values"] == "idporten-loa-high"
    assert ansattporten["settings"]["token_auth_method"] == "private_key_jwt"
    assert "BEGIN PRIVATE KEY" in ansattporten["settings"]["private_key"]


@pytest.mark.parametrize("reason", ["nonce", "signature", "expired"])
def test_a_refused_answer_signs_nobody_in(client, officer, eid, reason):  # noqa: F811
    SocialAccount.objects.create(user=officer, provider="idporten", uid=PID)
    eid.scenario(
        claims=GOOD,
        **{"nonce": "other"} if reason == "nonce" else {("other_key" if reason == "signature" else reason): True},
    )
    response = through_provider(client)
    assert response.status_code == 403 and response.context["reason"] == reason
    assert "_auth_user_id" not in client.session


def test_the_login_page_lets_its_forms_lead_to_the_configured_providers_under_the_csp(client, eid):  # noqa: F811
    policy = client.get(reverse("account_login")).headers["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if part.strip().startswith("form-action"))
    assert "'self'" in form_action
    issuer = urlsplit(eid.issuer)
    assert f"{issuer.scheme}://{issuer.netloc}" in form_action
