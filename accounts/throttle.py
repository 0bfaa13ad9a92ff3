"""The per-user limit across all addresses (besides axes' lock by user name and address together).

Rule: when a user name has had AXES_USER_FAILURE_LIMIT failed sign-ins (from any addresses) since its last
successful sign-in or completed password reset, within the last AXES_USER_WINDOW_HOURS, it is refused for
AXES_USER_COOLOFF_MINUTES after the last failure; each further failure after that doubles the delay
(capped at AXES_USER_COOLOFF_MAX_HOURS). Attempts refused while locked do not count, so a guesser who keeps
knocking does not lengthen the delay; only passwords actually tried do. The limit is higher than the
per-address one, so the real person is only held up when someone tries many passwords from many addresses.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from .models import SignInEvent

# Failures refused before the password was checked (locked already): they do not count.
REFUSED = ("throttled", "locked")


def _counted_failures(*, username: str):
    kinds = SignInEvent.Kind
    now = timezone.now()
    since = now - timedelta(hours=settings.AXES_USER_WINDOW_HOURS)
    cleared = SignInEvent.objects.filter(
        username=username, kind__in=[kinds.LOGIN, kinds.PASSWORD_RESET], at__gte=since
    ).aggregate(at=Max("at"))["at"]
    failed = [kinds.LOGIN_FAILED, kinds.FACTOR_FAILED]  # wrong passwords and wrong codes
    return SignInEvent.objects.filter(username=username, kind__in=failed, at__gte=cleared or since).exclude(
        detail__in=REFUSED
    )


def user_failure_count(*, username: str) -> int:
    return _counted_failures(username=username).count()


def user_cooloff(*, failures: int) -> timedelta:
    """The delay after the last failure once the limit is reached: it doubles with each further failure."""
    over = max(failures - settings.AXES_USER_FAILURE_LIMIT, 0)
    delay = timedelta(minutes=settings.AXES_USER_COOLOFF_MINUTES) * (2 ** min(over, 20))
    return min(delay, timedelta(hours=settings.AXES_USER_COOLOFF_MAX_HOURS))


def user_locked_until(*, username: str) -> datetime | None:
    """When the user name may be tried again, or None when it is not held by the per-user limit."""
    if not username:
        return None
    failures = _counted_failures(username=username)
    count = failures.count()
    if count < settings.AXES_USER_FAILURE_LIMIT:
        return None
    last = failures.aggregate(at=Max("at"))["at"]
    until = last + user_cooloff(failures=count)
    return until if until > timezone.now() else None
