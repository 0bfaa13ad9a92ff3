"""Who must have a second factor, and whether this session has one (read by the middleware on every request).

Everyone with a county or ministry membership, and every administrator, must sign in with two factors. The answer
for the signed-in person is kept in their (server-side) session when they sign in and whenever a factor is added
or removed, so that the check costs no query per request.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

# In the session: True when this session satisfies the two-factor rule (by an own factor, or because the person
# needs none, or through an electronic ID at level substantial or high).
SESSION_FACTOR_OK = "luk_factor_ok"
# In the session: the acr level of a sign-in with an electronic ID, shown on the person's pages.
SESSION_EID_ACR = "luk_eid_acr"

STRONG_TYPES = ("totp", "webauthn")


def second_factor_required(user: Any) -> bool:
    """County and ministry staff and administrators; coordinators may turn it on for themselves."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    from programmes.permissions import is_programme_staff

    return is_programme_staff(user)


def has_second_factor(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type__in=STRONG_TYPES).exists()


def factor_state_note(request: HttpRequest, user: Any) -> bool:
    """Decide and keep in the session whether it satisfies the two-factor rule."""
    ok = bool(request.session.get(SESSION_EID_ACR)) or not second_factor_required(user) or has_second_factor(user)
    request.session[SESSION_FACTOR_OK] = ok
    return ok


def factor_ok(request: HttpRequest) -> bool:
    ok = request.session.get(SESSION_FACTOR_OK)
    # None: a session from before this rule, or one made without signing in through the portal. False: asked
    # again (a query only for staff still without a factor), as the factor may have been set up in another
    # session of theirs; a stale False would send them round between set-up (which sends a person who has a
    # factor on to removing it) and this rule.
    if not ok:
        ok = factor_state_note(request, request.user)
    return ok
