"""Sending work to the Celery worker by the task's name, so that a service never imports the tasks that call it.

Each app's tasks are registered when the app is ready (its AppConfig.ready imports them); here a service names
the task it wants done. In the embedded default (CELERY_TASK_ALWAYS_EAGER) the task runs in-process at once, as
`apply_async` would.
"""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.db import transaction


def send(name: str, *args: Any, **options: Any) -> Any:
    """Send the task called `name` with `args`; `options` go to `apply_async` (retry policy, time limits)."""
    return current_app.tasks[name].apply_async(args, **options)


def send_on_commit(name: str, *args: Any, **options: Any) -> None:
    """Send the task once the current transaction has committed (at once outside a transaction)."""
    transaction.on_commit(lambda: send(name, *args, **options))
