"""The grant cycle, part 2: the development project an approved application becomes, its plan (milestones,
indicators), report schedule, progress and final reports, payments and change requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from luk_portal import limits
from luk_portal.limits import limited_text
from programmes.models import County, Municipality, ResultGoal

from .cases import Application, BudgetLine, Document


class Project(models.Model):
    """An approved application as a development project (utviklingsprosjekt)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="project")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="projects", verbose_name=_("county"))
    lead_municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="projects", verbose_name=_("lead kommune")
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.ACTIVE, db_index=True)
    period_start = models.DateField(_("project start"))
    period_end = models.DateField(_("project end"))
    granted_amount = models.PositiveBigIntegerField(_("granted (kr)"))
    paid_amount = models.PositiveBigIntegerField(_("paid (kr)"), default=0)
    released_amount = models.PositiveBigIntegerField(_("released (kr)"), default=0)
    report_every_months = models.PositiveSmallIntegerField(_("progress report every (months)"), null=True, blank=True)
    final_report_due = models.DateField(_("final report due"))
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(paid_amount__lte=F("granted_amount")), name="project_paid_within_granted"
            ),
            models.CheckConstraint(
                condition=Q(released_amount__lte=F("granted_amount") - F("paid_amount")),
                name="project_released_within_unpaid",
            ),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="project_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def unpaid(self) -> int:
        return self.granted_amount - self.paid_amount - self.released_amount


class Milestone(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        STARTED = "started", _("Started")
        DONE = "done", _("Done")
        DELAYED = "delayed", _("Delayed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """A measurable indicator for one of the result goals the project addresses, with baseline and target."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    result_goal = models.ForeignKey(
        ResultGoal, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("result goal")
    )
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.PositiveIntegerField(_("baseline"))
    target = models.PositiveIntegerField(_("target"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["result_goal__number", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class ReportDeadline(models.Model):
    """When a progress report (or the final report) is due."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="deadlines")
    due_on = models.DateField(_("due"))
    final = models.BooleanField(_("final report"), default=False)

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("report deadline")
        verbose_name_plural = _("report deadlines")
        constraints = [
            models.UniqueConstraint(fields=["project", "due_on", "final"], name="deadline_unique"),
            models.UniqueConstraint(fields=["project"], condition=Q(final=True), name="deadline_one_final"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.due_on}"


class ProgressReport(models.Model):
    """A progress report (framdriftsrapport) or, with final=True, the final report (sluttrapport)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", pgettext_lazy("report", "Approved")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    deadline = models.ForeignKey(
        ReportDeadline, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    final = models.BooleanField(_("final report"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True)
    period_from = models.DateField(_("period from"), null=True, blank=True)
    period_to = models.DateField(_("period to"), null=True, blank=True)
    activities = limited_text(_("activities done"), limit=limits.SECTION, blank=True)
    went_well = limited_text(_("what went well"), limit=limits.SECTION, blank=True)
    challenges = limited_text(_("challenges"), limit=limits.SECTION, blank=True)
    next_steps = limited_text(_("next steps"), limit=limits.SECTION, blank=True)
    results = limited_text(_("results against the targets"), limit=limits.SECTION, blank=True)
    lessons = limited_text(_("lessons learned"), limit=limits.SECTION, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "created_at"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(fields=["project"], condition=Q(final=True), name="report_one_final"),
            models.UniqueConstraint(
                fields=["deadline"],
                condition=Q(status__in=["draft", "returned"]),
                name="report_one_open_per_deadline",
                violation_error_message=_("This deadline has a report under way already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.period_from}–{self.period_to}"


class ReportCost(models.Model):
    """Costs so far on one budget line, as a report gives them."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="costs")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="reported_costs")
    amount = models.PositiveBigIntegerField(_("costs so far (kr)"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "budget_line"], name="report_cost_unique")]

    def __str__(self) -> str:
        return f"{self.budget_line_id}: {self.amount}"


class IndicatorValue(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    value = models.PositiveIntegerField(_("value"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="indicator_value_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"


class MilestoneUpdate(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="milestone_updates")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=20, choices=Milestone.Status)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "milestone"], name="milestone_update_unique")]

    def __str__(self) -> str:
        return f"{self.milestone_id}: {self.status}"


def report_attachment_path(instance: ReportAttachment, filename: str) -> str:
    return f"reports/{instance.report_id}/{filename}"


class ReportAttachment(Document):
    """A document attached to a progress or final report."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=report_attachment_path)


class Payment(models.Model):
    """A payment request (utbetalingsoppmoding) and the county's answer to it."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", pgettext_lazy("payment", "Approved")
        REFUSED = "refused", _("Refused")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="payments")
    report = models.ForeignKey(
        ProgressReport, on_delete=models.PROTECT, related_name="payments", verbose_name=_("the report it rests on")
    )
    amount = models.PositiveBigIntegerField(_("amount (kr)"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.REQUESTED, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = limited_text(_("reasons"), limit=limits.REASONS, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.project}: {self.amount}"


class ChangeRequest(models.Model):
    """The coordinator asks to extend the period or move money between budget lines; the county decides."""

    class Kind(models.TextChoices):
        EXTEND = "extend", _("Extend the project period")
        BUDGET = "budget", _("Move money between budget lines")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", pgettext_lazy("change request", "Approved")
        REFUSED = "refused", _("Refused")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="change_requests")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.REQUESTED)
    reasons = limited_text(_("reasons"), limit=limits.REASONS)
    new_period_end = models.DateField(_("new project end"), null=True, blank=True)
    budget_before = models.JSONField(default=list, blank=True)
    budget_after = models.JSONField(default=list, blank=True)
    period_end_before = models.DateField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = limited_text(_("comment"), limit=limits.COMMENT, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")

    def __str__(self) -> str:
        return f"{self.project}: {self.get_kind_display()}"


class ReminderSent(models.Model):
    """That the reminder for an overdue report was sent in a given interval: so it is sent once per interval."""

    deadline = models.ForeignKey(ReportDeadline, on_delete=models.CASCADE, related_name="reminders")
    interval = models.PositiveIntegerField(help_text="Whole reminder intervals since the due date.")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["deadline", "interval"], name="reminder_once_per_interval")]

    def __str__(self) -> str:
        return f"{self.deadline_id} #{self.interval}"
