"""Reads of the sign-in side for a person's own security page: their sessions and recent sign-ins."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from django.contrib.sessions.models import Session
from django.utils import timezone

from luk_portal.middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT

from .models import SignInEvent

# Kept in the session at sign-in (accounts.signals), shown on the sessions page.
SESSION_IP = "luk_ip"
SESSION_AGENT = "luk_agent"


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(value), tz=UTC)
    except (TypeError, ValueError):
        return None


def user_sessions(*, user: Any) -> Iterator[tuple[Session, dict[str, Any]]]:
    """The person's live sessions with their decoded data (read from every live session row)."""
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded()
        if str(data.get("_auth_user_id")) == str(user.pk):
            yield session, data


def user_sessions_list(*, user: Any, current_key: str | None) -> list[dict[str, Any]]:
    """The person's signed-in sessions, this one first, then by last activity."""
    rows = []
    for session, data in user_sessions(user=user):
        rows.append(
            {
                "current": session.session_key == current_key,
                "ip": data.get(SESSION_IP, ""),
                "agent": data.get(SESSION_AGENT, ""),
                "signed_in": _when(data.get(SESSION_LOGIN_AT)),
                "seen": _when(data.get(SESSION_SEEN_AT) or data.get(SESSION_LOGIN_AT)),
            }
        )
    rows.sort(key=lambda r: (not r["current"], -(r["seen"].timestamp() if r["seen"] else 0)))
    return rows


def user_recent_signins(*, user: Any, limit: int = 10) -> list[SignInEvent]:
    return list(SignInEvent.objects.filter(user=user).order_by("-at", "-pk")[:limit])
