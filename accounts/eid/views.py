from __future__ import annotations

import time
from typing import Any

import jwt
import requests
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.crypto import get_random_string

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class IDTokenError(OAuth2Error):
    """The ID token was refused; `reason` names why (expired, signature, invalid), for the page and the log."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"ID token refused: {reason}")
        self.reason = reason


class EIDAdapter(OpenIDConnectOAuth2Adapter):
    def get_callback_url(self, request: HttpRequest, app: Any) -> str:
        url = reverse("eid_callback", kwargs={"provider_id": self.provider_id})
        return build_absolute_uri(request, url, self.redirect_uri_protocol)

    @property
    def basic_auth(self) -> bool:
        if self.get_provider().app.settings.get("token_auth_method") == "private_key_jwt":
            return False
        return super().basic_auth

    def get_access_token_data(self, request: HttpRequest, app: Any, client: Any, pkce_code_verifier: Any = None):
        settings = app.settings
        if settings.get("token_auth_method") != "private_key_jwt":
            return super().get_access_token_data(request, app, client, pkce_code_verifier)
        now = int(time.time())
        assertion = jwt.encode(
            {
                "iss": app.client_id,
                "sub": app.client_id,
                "aud": self.openid_config["issuer"],
                "jti": get_random_string(32),
                "iat": now,
                "exp": now + 60,
            },
            settings["private_key"],
            algorithm="RS256",
            headers={"kid": settings["private_key_id"]} if settings.get("private_key_id") else None,
        )
        client.consumer_secret = ""  # not sent: the signed assertion authenticates the client
        self.did_fetch_access_token = True
        return client.get_access_token(
            request.GET.get("code"),
            pkce_code_verifier=pkce_code_verifier,
            extra_data={"client_assertion_type": CLIENT_ASSERTION_TYPE, "client_assertion": assertion},
        )

    def complete_login(self, request: HttpRequest, app: Any, token: Any, **kwargs: Any):
        id_token = kwargs["response"].get("id_token")
        if not id_token:
            raise IDTokenError("missing")
        claims = self._decode_id_token(app, id_token)
        return self.get_provider().sociallogin_from_response(request, {"id_token": claims})

    def _decode_id_token(self, app: Any, id_token: str) -> dict:
        """The signature is always checked against the provider's keys (jwks_uri), with issuer, audience, expiry."""
        try:
            return jwtkit.verify_and_decode(
                credential=id_token,
                keys_url=self.openid_config["jwks_uri"],
                issuer=self.openid_config["issuer"],
                audience=app.client_id,
                lookup_kid=jwtkit.lookup_kid_jwk,
                verify_signature=True,
            )
        except (KeyError, jwt.PyJWTError) as error:  # no kid, or a header that is not a JWT's
            raise IDTokenError("signature") from error
        except OAuth2Error as error:
            cause = error.__cause__
            if isinstance(cause, jwt.ExpiredSignatureError):
                raise IDTokenError("expired") from error
            if isinstance(cause, jwt.InvalidSignatureError) or "kid" in str(error).lower():
                raise IDTokenError("signature") from error
            raise IDTokenError("invalid") from error


def _provider_view(view_class: type, request: HttpRequest, provider_id: str):
    """allauth's OAuth2 view for the configured provider; an unknown provider id answers 404."""
    try:
        return view_class.adapter_view(EIDAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


@login_not_required
def login(request: HttpRequest, provider_id: str):
    return _provider_view(OAuth2LoginView, request, provider_id)


@login_not_required
def callback(request: HttpRequest, provider_id: str):
    return _provider_view(OAuth2CallbackView, request, provider_id)


def form_action_origins(request: HttpRequest) -> list[str]:
    """The origins a sign-in form may lead to besides the portal: each configured provider's issuer and the origin
    of its authorization endpoint (read from its discovery document, kept for an hour). The Content Security
    Policy's form-action covers the redirect that follows the eID button's post."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.core.cache import cache

    origins: list[str] = []
    for app in settings.SOCIALACCOUNT_PROVIDERS.get("eid", {}).get("APPS", []):
        issuer = app["settings"]["server_url"]
        key = f"eid-authorize-origin:{issuer}"
        origin = cache.get(key)
        if origin is None:
            try:
                url = EIDAdapter(request, app["provider_id"]).authorize_url
                origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
                cache.set(key, origin, 3600)
            except (requests.RequestException, KeyError, ValueError):
                # the provider does not answer now: its issuer's origin only, and asked again next time
                origin = ""
        issuer_origin = "{0.scheme}://{0.netloc}".format(urlsplit(issuer))
        origins += [o for o in (issuer_origin, origin) if o and o not in origins]
    return origins
