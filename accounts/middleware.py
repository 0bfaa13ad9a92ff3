"""Staff who have no second factor yet reach nothing but setting one up, and signing out."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from .factors import factor_ok

Handler = Callable[[HttpRequest], HttpResponse]

# The pages a person without their required second factor may still open.
ALLOWED = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_add_webauthn",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "set_language",
        "health",
    }
)


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not factor_ok(request):
            if request.path.startswith(settings.STATIC_URL):
                return self.get_response(request)
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in ALLOWED:
                return redirect("mfa_activate_totp")
        return self.get_response(request)


class EIDFormActionMiddleware:
    """Let a page's forms lead to the configured electronic-ID providers (ID-porten, Ansattporten): the eID button
    posts to the portal, which redirects to the provider, and the CSP's form-action covers that redirect. Placed
    after django-csp's middleware, so that the update is read when the header is built."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.SOCIALACCOUNT_PROVIDERS.get("eid", {}).get("APPS") and response.get("Content-Type", "").startswith(
            "text/html"
        ):
            from accounts.eid.views import form_action_origins

            if origins := form_action_origins(request):
                response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
        return response
