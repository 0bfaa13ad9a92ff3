"""Writes of the sign-in side: the event log, ending sessions, and what follows a password change or reset."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import SignInEvent


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from, as django-axes reads it (the proxy count is in its settings)."""
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def signin_event_record(
    *,
    kind: str,
    request: HttpRequest | None = None,
    user: Any = None,
    username: str = "",
    by: Any = None,
    detail: str = "",
) -> SignInEvent:
    """Keep one sign-in event. `user` may be None (an unknown name); `username` defaults to the user's."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return SignInEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        ip_address=client_ip(request),
        by=by if by is not None and getattr(by, "is_authenticated", False) else None,
        detail=detail[:500],
    )


def user_sessions_end(*, user: Any, keep_session_key: str | None = None) -> int:
    """End a person's signed-in sessions (all, or all but `keep_session_key`); returns how many ended."""
    from .selectors import user_sessions

    ended = 0
    for session, _data in list(user_sessions(user=user)):
        if session.session_key != keep_session_key:
            session.delete()
            ended += 1
    return ended


def user_sessions_others_end(*, user: Any, request: HttpRequest) -> int:
    """The person ends every session of theirs but this one (the sessions page)."""
    ended = user_sessions_end(user=user, keep_session_key=request.session.session_key)
    signin_event_record(kind=SignInEvent.Kind.SESSIONS_ENDED, request=request, user=user, detail=str(ended))
    return ended


def password_change_complete(*, user: Any, request: HttpRequest | None = None) -> None:
    """After a person changed their password: the current session stays, every other one ends."""
    keep = request.session.session_key if request is not None and hasattr(request, "session") else None
    user_sessions_end(user=user, keep_session_key=keep)
    signin_event_record(kind=SignInEvent.Kind.PASSWORD_CHANGED, request=request, user=user)


def password_reset_complete(*, user: Any, request: HttpRequest | None = None) -> None:
    """After a completed password reset: every session ends, and the user name's locks are lifted.

    The axes lock (by user name and address) and the per-user limit across addresses both clear: the
    lockout page tells a person to reset their password, so a reset must let them in.
    """
    from axes.utils import reset as axes_reset

    user_sessions_end(user=user)
    axes_reset(username=user.get_username())
    # The PASSWORD_RESET event is also what clears the per-user limit (accounts.throttle).
    signin_event_record(kind=SignInEvent.Kind.PASSWORD_RESET, request=request, user=user)


def factor_totp_add(*, user: Any, secret: str) -> None:
    """Give a person an authenticator-app factor with a known secret, and recovery codes (demo data, tests)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)


def factors_reset(*, user: Any, by: Any, request: HttpRequest | None = None) -> int:
    """An administrator removes a person's second factors (a lost phone): recorded, mailed, sessions ended.

    The person sets up a new factor at their next sign-in (staff must). Returns how many factors were removed.
    """
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    removed, _by_type = Authenticator.objects.filter(user=user).delete()
    user_sessions_end(user=user)
    signin_event_record(kind=SignInEvent.Kind.FACTORS_RESET, request=request, user=user, by=by, detail=str(removed))
    if user.email:
        with translation.override(settings.LANGUAGE_CODE):
            context = {"user": user, "by": by, "portal_url": settings.PORTAL_URL}
            send_mail(
                subject=render_to_string("accounts/email/factors_reset_subject.txt", context).strip(),
                message=render_to_string("accounts/email/factors_reset_message.txt", context),
                from_email=None,
                recipient_list=[user.email],
            )
    return removed
