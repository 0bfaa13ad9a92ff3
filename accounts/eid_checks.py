"""What the portal checks of a sign-in with an electronic ID, and how it refuses one (a page and a record).

Checked after allauth (state, PKCE) and accounts.eid (signature, issuer, audience, expiry): the nonce, the acr
level, and that the identity is linked to a portal user. An unknown identity never makes a user.
"""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import services
from .models import SignInEvent

# What the person is told for each reason a sign-in is refused.
MESSAGES = {
    "state": _(
        "The answer from the electronic ID did not match a sign-in started here: it may have been started in "
        "another window, taken too long, or been tampered with. Start the sign-in again."
    ),
    "nonce": _("The answer from the electronic ID did not belong to this sign-in. Start the sign-in again."),
    "signature": _(
        "The answer from the electronic ID was not signed by the provider, so it cannot be trusted. The sign-in "
        "is refused."
    ),
    "expired": _("The answer from the electronic ID had expired. Start the sign-in again."),
    "invalid": _("The answer from the electronic ID could not be read. Start the sign-in again."),
    "acr": _(
        "The electronic ID you used gives too low a security level for the portal. Sign in again with an "
        "electronic ID at level substantial or high (for example MinID, BankID, Buypass or Commfides)."
    ),
    "unknown": _(
        "Your electronic ID is not linked to a user of the portal. Ask the administrator of the portal at your "
        "county authority (or at the ministry, if you work there) to link it to your user. If you have a user "
        "name and password, you can sign in with them and link your electronic ID yourself."
    ),
    "denied": _("The electronic ID provider did not complete the sign-in. Start the sign-in again."),
}


def reason_of(error: Any, exception: Any, context: dict) -> str:
    from .eid.views import IDTokenError

    if isinstance(exception, IDTokenError):
        return exception.reason
    if exception is None and "state" not in context:
        return "state"
    return "denied"


def refuse(request: HttpRequest, provider: Any, reason: str, *, username: str = "") -> None:
    """Record the refusal and answer with a page that says why (raised: allauth stops the sign-in there)."""
    name = getattr(provider, "name", "")
    services.signin_event_record(
        kind=SignInEvent.Kind.OIDC_FAILED, request=request, username=username, detail=f"{name}: {reason}"
    )
    context = {"message": MESSAGES.get(reason, MESSAGES["denied"]), "provider_name": name, "reason": reason}
    raise ImmediateHttpResponse(render(request, "accounts/eid_refused.html", context, status=403))


def sign_in_check(request: HttpRequest, sociallogin: Any) -> None:
    provider = sociallogin.account.get_provider()
    claims = sociallogin.account.extra_data.get("id_token", sociallogin.account.extra_data)
    state = sociallogin.state or {}
    if not state.get("nonce") or claims.get("nonce") != state.get("nonce"):
        refuse(request, provider, "nonce")
    if not provider.acr_sufficient(claims.get("acr")):
        refuse(request, provider, "acr")
    if sociallogin.is_existing:
        request.luk_eid_acr = claims.get("acr")  # counts as two-factor (accounts.stages, accounts.signals)
        return
    if request.user.is_authenticated and state.get("process") == "connect":
        return  # the signed-in person links their own electronic ID (recorded by accounts.signals)
    refuse(request, provider, "unknown")  # the identity number is not kept: it is personal data
