"""Background work of the grant cycle: each task takes ids, loads, and calls one service."""

from __future__ import annotations

from celery import shared_task

from . import letters
from .services import reminders_send


@shared_task(
    acks_late=True, time_limit=120, soft_time_limit=100, autoretry_for=(OSError,), retry_backoff=True, max_retries=3
)
def decision_letter_make(decision_id: int) -> None:
    """Make and keep the decision letter (idempotent: a letter once kept is never made again)."""
    letters.decision_letter_make(decision_id=decision_id)


@shared_task(acks_late=True, time_limit=300, soft_time_limit=270)
def report_reminders() -> int:
    """Remind coordinators of overdue reports; safe to run as often as one likes (once per interval each)."""
    return reminders_send()
