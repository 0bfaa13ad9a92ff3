"""Receivers that keep the sign-in event log: sign-in, failure, lockout, sign-out, password change/reset."""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.socialaccount import signals as social_signals
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import services
from .factors import SESSION_EID_ACR, factor_state_note
from .models import SignInEvent
from .selectors import SESSION_AGENT, SESSION_IP
from .throttle import user_failure_count


@receiver(user_logged_in, dispatch_uid="accounts_logged_in")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None:  # shown on the person's sessions page
        session[SESSION_IP] = services.client_ip(request) or ""
        session[SESSION_AGENT] = request.META.get("HTTP_USER_AGENT", "")[:200]
        acr = getattr(request, "luk_eid_acr", None)
        if acr:  # an electronic ID at level substantial or high: two-factor in itself
            session[SESSION_EID_ACR] = acr
        factor_state_note(request, user)
    services.signin_event_record(
        kind=SignInEvent.Kind.LOGIN, request=request, user=user, detail=f"eid {acr}" if acr else ""
    )


@receiver(user_logged_out, dispatch_uid="accounts_logged_out")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        services.signin_event_record(kind=SignInEvent.Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="accounts_login_failed")
def _login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    from django.conf import settings

    if getattr(request, "luk_factor_failed", False):
        return  # a wrong code at the second step: recorded as such (below), counted by axes all the same
    username = str(credentials.get("username") or "")[:150]
    user = get_user_model()._default_manager.filter(username=username).first() if username else None
    refused = getattr(request, "luk_refused", "")
    services.signin_event_record(
        kind=SignInEvent.Kind.LOGIN_FAILED,
        request=request,
        user=user,
        username=username,
        detail=refused if refused else ("" if user is not None else "unknown user"),
    )
    if not refused and username and user_failure_count(username=username) == settings.AXES_USER_FAILURE_LIMIT:
        services.signin_event_record(
            kind=SignInEvent.Kind.LOCKED_OUT, request=request, user=user, username=username, detail="user limit"
        )


@receiver(user_locked_out, dispatch_uid="accounts_locked_out")
def _locked_out(sender: Any, request: Any, username: str, ip_address: str, **kwargs: Any) -> None:
    user = get_user_model()._default_manager.filter(username=username).first() if username else None
    services.signin_event_record(
        kind=SignInEvent.Kind.LOCKED_OUT, request=request, user=user, username=username or "", detail="user and address"
    )


@receiver(account_signals.password_changed, dispatch_uid="accounts_password_changed")
def _password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.password_change_complete(user=user, request=request)


@receiver(account_signals.password_reset, dispatch_uid="accounts_password_reset")
def _password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.password_reset_complete(user=user, request=request)


def _factor_changed(request: Any, user: Any, kind: str, authenticator: Any) -> None:
    services.signin_event_record(kind=kind, request=request, user=user, detail=authenticator.type)
    if request is not None and getattr(request, "user", None) == user:
        factor_state_note(request, user)


@receiver(mfa_signals.authenticator_added, dispatch_uid="accounts_factor_added")
def _factor_added(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    _factor_changed(request, user, SignInEvent.Kind.FACTOR_ADDED, authenticator)


@receiver(mfa_signals.authenticator_removed, dispatch_uid="accounts_factor_removed")
def _factor_removed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    _factor_changed(request, user, SignInEvent.Kind.FACTOR_REMOVED, authenticator)


@receiver(mfa_signals.authenticator_reset, dispatch_uid="accounts_factor_reset")
def _recovery_codes(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    services.signin_event_record(kind=SignInEvent.Kind.RECOVERY_CODES, request=request, user=user)


@receiver(mfa_signals.authentication_failed, dispatch_uid="accounts_factor_failed")
def _factor_failed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    """A wrong code is a failed sign-in attempt for django-axes too (and so for its lockout)."""
    services.signin_event_record(kind=SignInEvent.Kind.FACTOR_FAILED, request=request, user=user)
    request.luk_factor_failed = True
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)


@receiver(social_signals.social_account_added, dispatch_uid="accounts_eid_linked")
def _eid_linked(sender: Any, request: Any, sociallogin: Any, **kwargs: Any) -> None:
    account = sociallogin.account
    services.signin_event_record(
        kind=SignInEvent.Kind.OIDC_LINKED, request=request, user=account.user, detail=account.provider
    )


@receiver(social_signals.social_account_removed, dispatch_uid="accounts_eid_unlinked")
def _eid_unlinked(sender: Any, request: Any, socialaccount: Any, **kwargs: Any) -> None:
    services.signin_event_record(
        kind=SignInEvent.Kind.OIDC_UNLINKED, request=request, user=socialaccount.user, detail=socialaccount.provider
    )
