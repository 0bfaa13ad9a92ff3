"""The real stack: a Celery worker process on Redis answers (run under CI; skipped without REDIS_URL)."""

import pytest

from luk_portal.celery import app

pytestmark = pytest.mark.worker


def test_a_real_worker_answers_on_redis(celery_worker_process):
    _process, name = celery_worker_process
    replies = app.control.ping(destination=[name], timeout=5)
    assert replies and name in replies[0]


def test_the_worker_runs_with_late_acknowledgement_and_one_task_at_a_time(settings):
    assert settings.CELERY_TASK_ACKS_LATE
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert settings.CELERY_TASK_SERIALIZER == "json" and settings.CELERY_ACCEPT_CONTENT == ["json"]
