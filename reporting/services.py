"""Report jobs: asking for a report, and making it.

A job moves queued → running → done, or to failed with a reason the asker can read, by the steps of its table
(reporting/workflow.py), each taken by the portal's one engine (luk_portal/workflow.py) through `job_step`:
checked and written to the job's timeline (who or what, when, from, to, why).
Making a job is idempotent: a message delivered twice (a worker killed mid-job, then started again) makes the
report once, and a finished job is never made again.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from applications.models import Project
from luk_portal import jobs, workflow
from luk_portal.errors import LukError, NotAllowed
from programmes.models import County, Programme

from . import documents, permissions, selectors
from .models import ReportJob

logger = logging.getLogger(__name__)

State = ReportJob.State
Reason = ReportJob.Reason

# What a broker that cannot be reached raises when a task is sent.
BROKER_DOWN = (OperationalError, ConnectionError, OSError)


# The step a move to a state is, by what moved it (the tables are in reporting/workflow.py).
_STEPS = {
    Reason.ASKED: "ask",
    Reason.REUSED: "reuse",
    Reason.STARTED: "start",
    Reason.RESTARTED: "restart",
    Reason.FINISHED: "finish",
}


def job_step(job: ReportJob, reason: str, *, by: Any = None, fields: tuple[str, ...] = (), **values: Any) -> ReportJob:
    """Move the job by the step `reason` names (any other reason is a failure), through the portal's one engine,
    with its timeline entry; `values`, and the `fields` set on the job already, are saved with it."""
    action = _STEPS.get(reason, "fail")
    if action == "fail":
        values["failure_reason"] = reason
    if action in ("reuse", "finish", "fail"):
        values["finished_at"] = timezone.now()
    workflow.take(job, action, by=by, reason=reason, fields=fields, values=values)
    return job


def report_request(
    *,
    user: Any,
    kind: str,
    programme: Programme,
    language: str,
    county: County | None = None,
    project: Project | None = None,
) -> ReportJob:
    """Ask for a report. The same report over unchanged data is served from the file already made; a report
    already being made is not made twice. Raises LukError when the report service cannot be reached."""
    if not permissions.can_ask_report(user, kind, county=county, project=project):
        raise NotAllowed(_("You may not ask for this report."))
    if language not in dict(settings.LANGUAGES):
        raise LukError(_("Choose a language."), field="language")
    report_jobs_expire()
    stamp = selectors.report_stamp(kind=kind, programme=programme, county=county, project=project)
    same = ReportJob.objects.filter(
        kind=kind, programme=programme, county=county, project=project, language=language, stamp=stamp
    )
    fields = {"kind": kind, "programme": programme, "county": county, "project": project, "language": language}
    with transaction.atomic():
        finished = same.filter(state=State.DONE).exclude(file="").order_by("-finished_at").first()
        if finished is not None and finished.file.storage.exists(finished.file.name):
            return job_step(
                ReportJob(**fields, stamp=stamp, requested_by=user),
                Reason.REUSED,
                by=user,
                progress=100,
                file=finished.file.name,
                pages=finished.pages,
                reused_from=finished,
                started_at=timezone.now(),
            )
        underway = same.filter(state__in=[State.QUEUED, State.RUNNING]).order_by("-created_at").first()
        if underway is not None:
            return underway
    return _queue(ReportJob(**fields, stamp=stamp, requested_by=user))


def _queue(job: ReportJob) -> ReportJob:
    """A new job, queued (asked for by its asker) and sent to the worker."""
    with transaction.atomic():
        job = job_step(job, Reason.ASKED, by=job.requested_by)
    _send(job)
    job.refresh_from_db()  # run in-process (the embedded default), it is finished already
    return job


def _send(job: ReportJob) -> None:
    """Send the job to the worker (a report, or an export of a list); a broker that cannot be reached fails the
    job with a reason and tells the asker."""
    task = "reporting.tasks.export_make" if job.kind == ReportJob.Kind.EXPORT else "reporting.tasks.report_make"
    try:
        jobs.send(
            task,
            job.pk,
            retry=True,
            retry_policy=settings.REPORT_PUBLISH_RETRY_POLICY,
            # The limits travel with the message: the worker applies those the job was asked with.
            soft_time_limit=settings.REPORT_TIME_LIMIT,
            time_limit=settings.REPORT_TIME_LIMIT + 30,
        )
    except BROKER_DOWN:
        logger.warning("report job %s: the broker cannot be reached", job.pk, exc_info=True)
        job_step(job, Reason.UNAVAILABLE)
        raise LukError(str(Reason.UNAVAILABLE.label)) from None


def _progress(job: ReportJob, percent: int) -> None:
    ReportJob.objects.filter(pk=job.pk, state=State.RUNNING).update(progress=percent)


def report_make(*, job_id: int) -> ReportJob | None:
    """Make the job's report (the Celery task's body). Safe to run again for the same job at any time."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return job
        reason = Reason.RESTARTED if job.state == State.RUNNING else Reason.STARTED
        # The data may have changed while the job waited: the fingerprint is taken again with the data read.
        stamp = selectors.report_stamp(kind=job.kind, programme=job.programme, county=job.county, project=job.project)
        job_step(job, reason, started_at=timezone.now(), attempts=job.attempts + 1, progress=5, stamp=stamp)
    built = documents.build(
        job.kind,
        programme=job.programme,
        county=job.county,
        project=job.project,
        language=job.language,
        progress=lambda percent: _progress(job, percent),
    )
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.state != State.RUNNING:
            return job  # expired or made by another delivery meanwhile
        name = f"reports/{job.kind}-{job.pk}-{job.language}.pdf"
        job.file.storage.delete(name)  # a run before this one may have left its file
        job.file.save(name, ContentFile(built.pdf), save=False)
        return job_step(
            job,
            Reason.FINISHED,
            fields=("file",),
            progress=100,
            pages=built.pages,
            gather_ms=round(built.gather_seconds * 1000),
            render_ms=round(built.weasyprint_seconds * 1000),
        )


# Exports of a list too long to stream in a request: made by the worker, for the asker only.

# Progress is written every EXPORT_PROGRESS_ROWS rows, or every 5 % of the rows where that comes sooner.
EXPORT_PROGRESS_ROWS = 1000


def export_request(*, user: Any, list_name: str, query: str, file_format: str, language: str) -> ReportJob:
    """Ask for a file of a list (`query`: the list's filters, search and sort, as on its page). A new job every
    time: the file holds what the asker may see, so it is never served to anyone else or made from another's.
    Raises LukError when the request is not valid or the report service cannot be reached."""
    if list_name not in ReportJob.ListName.values:
        raise LukError(_("Choose a list."), field="list_name")
    if file_format not in ReportJob.FileFormat.values:
        raise LukError(_("Choose CSV or Excel (XLSX)."), field="file_format")
    if len(query) > ReportJob._meta.get_field("query").max_length:
        raise LukError(_("The list's filters are too long to keep. Use fewer filters."), field="query")
    if language not in dict(settings.LANGUAGES):
        raise LukError(_("Choose a language."), field="language")
    report_jobs_expire()
    return _queue(
        ReportJob(
            kind=ReportJob.Kind.EXPORT,
            list_name=list_name,
            query=query,
            file_format=file_format,
            language=language,
            requested_by=user,
        )
    )


class _Counted:
    """The rows, counted as the file is written, with the job's progress written every `step` rows."""

    def __init__(self, rows: Any, *, total: int, report: Any) -> None:
        self.rows, self.total, self.report, self.count = rows, total, report, 0
        self.step = max(1, min(EXPORT_PROGRESS_ROWS, -(-total // 20)))

    def __iter__(self) -> Any:
        for row in self.rows:
            yield row
            self.count += 1
            if self.count % self.step == 0:
                self.report(min(99, 5 + 90 * self.count // max(self.total, 1)))


def export_make(*, job_id: int) -> ReportJob | None:
    """Make the export's file (the Celery task's body): the list read as the asker sees it now, in their
    language. Safe to run again for the same job at any time."""
    from django.core.files import File
    from django.utils import translation

    from . import exports

    with transaction.atomic():
        job = ReportJob.objects.select_for_update().select_related("requested_by").filter(pk=job_id).first()
        if job is None or job.is_finished:
            return job
        reason = Reason.RESTARTED if job.state == State.RUNNING else Reason.STARTED
        job_step(job, reason, started_at=timezone.now(), attempts=job.attempts + 1, progress=5)
    found = exports.export_list(job.list_name)
    with translation.override(job.language), tempfile.TemporaryFile() as output:
        # The same filterset as the list's page, for the person who asked: the same rows and access rules.
        filterset = exports.list_filterset(job.list_name, user=job.requested_by, data=QueryDict(job.query))
        rows = filterset.qs
        counted = _Counted(
            exports.rows_of(found.export, rows), total=rows.count(), report=lambda percent: _progress(job, percent)
        )
        if job.file_format == ReportJob.FileFormat.CSV:
            for line in exports.csv_lines(found.export, counted):
                output.write(line.encode())
        else:
            exports.xlsx_write(found.export, counted, output)
        output.seek(0)
        with transaction.atomic():
            job = ReportJob.objects.select_for_update().get(pk=job_id)
            if job.state != State.RUNNING:
                return job  # expired or made by another delivery meanwhile
            name = f"export-{job.pk}.{job.file_format}"
            if job.file:
                job.file.storage.delete(job.file.name)  # a run before this one may have left its file
            job.file.save(name, File(output, name=name), save=False)
            return job_step(job, Reason.FINISHED, fields=("file",), progress=100, rows=counted.count)


def report_fail(*, job_id: int, reason: str) -> ReportJob | None:
    """Give up on a job that is not finished (time limit, error)."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return job
        return job_step(job, reason)


def report_jobs_expire(*, now: Any = None) -> int:
    """Fail the jobs that can no longer finish: running past every time limit and redelivery, or never started.

    Called when jobs are asked for and looked at, and by celery beat, so no job stays 'running' for ever.
    """
    now = now or timezone.now()
    running_limit = timedelta(
        seconds=settings.REPORT_TIME_LIMIT + settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] + 60
    )
    stale = list(
        ReportJob.objects.filter(state=State.RUNNING, started_at__lt=now - running_limit).values_list("pk", flat=True)
    )
    lost = list(
        ReportJob.objects.filter(
            state=State.QUEUED, created_at__lt=now - timedelta(seconds=settings.REPORT_QUEUE_LIMIT)
        ).values_list("pk", flat=True)
    )
    for pk in stale:
        report_fail(job_id=pk, reason=Reason.TIMEOUT)
    for pk in lost:
        report_fail(job_id=pk, reason=Reason.NOT_STARTED)
    _exports_forget(now)
    return len(stale) + len(lost)


def _exports_forget(now: Any) -> None:
    """Delete the files of lists made more than EXPORT_KEEP_DAYS ago: they hold personal case data, and are
    the asker's copy of a moment (the job stays done; its page says the file is no longer kept)."""
    old = ReportJob.objects.filter(
        kind=ReportJob.Kind.EXPORT, state=State.DONE, finished_at__lt=now - timedelta(days=settings.EXPORT_KEEP_DAYS)
    ).exclude(file="")
    for job in old:
        job.file.delete(save=False)
        ReportJob.objects.filter(pk=job.pk).update(file="")
