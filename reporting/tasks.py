"""The report worker's tasks: each takes an id and calls one service."""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from . import services
from .models import ReportJob

logger = logging.getLogger(__name__)


# Late acknowledgement: the message stays with the broker until the job is finished, so a worker that dies
# mid-job leaves it to be delivered again (services.report_make is idempotent). An export of a list has the same
# limits and handling as a report.
job_task = shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.REPORT_TIME_LIMIT,
    time_limit=settings.REPORT_TIME_LIMIT + 30,
)


@job_task
def report_make(job_id: int) -> str | None:
    return _run(job_id, services.report_make)


@job_task
def export_make(job_id: int) -> str | None:
    return _run(job_id, services.export_make)


def _run(job_id: int, make: Callable[..., ReportJob | None]) -> str | None:
    try:
        job = make(job_id=job_id)
    except SoftTimeLimitExceeded:
        logger.warning("report job %s: stopped at the time limit", job_id)
        job = services.report_fail(job_id=job_id, reason=ReportJob.Reason.TIMEOUT)
    except Exception:
        # The asker gets a reason to read; the error goes to the log, and the message is not delivered again.
        logger.exception("report job %s failed", job_id)
        job = services.report_fail(job_id=job_id, reason=ReportJob.Reason.ERROR)
    return job.state if job else None


@shared_task(acks_late=True, time_limit=120)
def report_jobs_expire() -> int:
    return services.report_jobs_expire()
