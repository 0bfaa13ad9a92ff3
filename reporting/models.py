"""Report jobs: a request for a PDF report, watched while a Celery worker makes it, kept for download."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.models import Project
from programmes.models import County, Programme


class ReportJob(models.Model):
    """One request for one report: who asked, for what, in which language, and how far it has come."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("Project progress report")
        COUNTY = "county", _("County report")
        NATIONAL = "national", _("National evaluation report")
        EXPORT = "export", _("Export of a list")

    class ListName(models.TextChoices):
        """The lists an export job can make a file of (reporting.exports.export_list)."""

        APPLICATIONS = "applications", _("Applications")
        PROJECTS = "projects", _("Projects")
        PAYMENTS = "payments", _("Payments")
        REPORTS = "reports", _("Progress and final reports")

    class FileFormat(models.TextChoices):
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("Excel (XLSX)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Reason(models.TextChoices):
        """Why a job moved; the failures are worded for the person who asked."""

        ASKED = "asked", _("Asked for.")
        REUSED = "reused", _("The data has not changed since this report was last made: the finished file is used.")
        STARTED = "started", _("Started.")
        RESTARTED = "restarted", _("Started again after an interruption.")
        FINISHED = "finished", _("Finished.")
        TIMEOUT = "timeout", _("Making the report took too long and was stopped. Ask for it again.")
        ERROR = (
            "error",
            _("The report could not be made because of an error in the portal. It has been logged; ask again later."),
        )
        UNAVAILABLE = "unavailable", _("The report service cannot be reached just now. Try again in a few minutes.")
        NOT_STARTED = "not_started", _("The report service did not start the job in time. Ask for it again.")

    kind = models.CharField(_("report"), max_length=20, choices=Kind)
    # Every report is of a programme; an export of a list is not (the list's filters say what it holds).
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="report_jobs"
    )
    county = models.ForeignKey(County, on_delete=models.PROTECT, null=True, blank=True, related_name="report_jobs")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, null=True, blank=True, related_name="report_jobs")
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_jobs", verbose_name=_("asked by")
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    failure_reason = models.CharField(_("reason"), max_length=20, choices=Reason, blank=True)
    # A fingerprint of the data the report is made from: the same fingerprint means the same report.
    stamp = models.CharField(max_length=64, db_index=True)
    file = models.FileField(upload_to="reports/", blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    # An export of a list: which list, with which filters (the list's query string, without `format`), as what.
    list_name = models.CharField(_("list"), max_length=20, choices=ListName, blank=True)
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    file_format = models.CharField(_("format"), max_length=4, choices=FileFormat, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    reused_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    attempts = models.PositiveSmallIntegerField(default=0)
    gather_ms = models.PositiveIntegerField(null=True, blank=True)
    render_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        indexes = [models.Index(fields=["kind", "programme", "county", "project", "language", "stamp"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_job_progress_percent"),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="project", project__isnull=False, county__isnull=True, programme__isnull=False)
                    | models.Q(kind="county", project__isnull=True, county__isnull=False, programme__isnull=False)
                    | models.Q(kind="national", project__isnull=True, county__isnull=True, programme__isnull=False)
                    | (
                        models.Q(kind="export", project__isnull=True, county__isnull=True, programme__isnull=True)
                        & ~models.Q(list_name="")
                        & ~models.Q(file_format="")
                    )
                ),
                name="report_job_target_fits_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_export(self) -> bool:
        return self.kind == self.Kind.EXPORT

    @property
    def list_url(self) -> str:
        """An export's list, with the filters it was asked with."""
        from .exports import export_list

        url = reverse(export_list(self.list_name).url_name)
        return f"{url}?{self.query}" if self.query else url

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


class ReportJobEvent(models.Model):
    """A report job's change of state: who or what moved it, when, from, to and why (its timeline)."""

    job = models.ForeignKey(ReportJob, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    from_state = models.CharField(max_length=10, choices=ReportJob.State, blank=True)
    to_state = models.CharField(max_length=10, choices=ReportJob.State)
    reason = models.CharField(max_length=20, choices=ReportJob.Reason)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.job_id}: {self.from_state} → {self.to_state}"
