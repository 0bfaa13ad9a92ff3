"""Writes of the sign-in side: the event log (and, from the helpers' work, factors and sessions)."""

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
