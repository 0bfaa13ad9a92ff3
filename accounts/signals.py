"""Receivers that keep the sign-in event log: sign-in, failure, lockout, sign-out, password change/reset."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import services
from .models import SignInEvent
from .selectors import SESSION_AGENT, SESSION_IP
from .throttle import user_failure_count


@receiver(user_logged_in, dispatch_uid="accounts_logged_in")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None:  # shown on the person's sessions page
        session[SESSION_IP] = services.client_ip(request) or ""
        session[SESSION_AGENT] = request.META.get("HTTP_USER_AGENT", "")[:200]
    services.signin_event_record(kind=SignInEvent.Kind.LOGIN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="accounts_logged_out")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        services.signin_event_record(kind=SignInEvent.Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="accounts_login_failed")
def _login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    from django.conf import settings

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
