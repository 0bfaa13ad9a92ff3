"""The grant cycle, part 1: a kommune's application, the county's recommendation and decision, county plans,
and every case's timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from luk_portal import limits
from luk_portal.limits import limited_text
from programmes.models import County, FundingRound, Municipality, Programme, ResultGoal, Theme


class Application(models.Model):
    """A kommune's application to its county for a development project (søknad)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        RETURNED = "returned", _("Returned for changes")
        RECOMMENDED = "recommended", _("Awaiting decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    funding_round = models.ForeignKey(
        FundingRound, on_delete=models.PROTECT, related_name="applications", verbose_name=_("round")
    )
    lead_municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="applications", verbose_name=_("lead kommune")
    )
    partner_municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="partner_applications", verbose_name=_("partner kommunar")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True)
    case_number = models.CharField(_("case number"), max_length=20, blank=True, db_index=True)
    version = models.PositiveSmallIntegerField(_("version"), default=0)

    title = models.CharField(_("title"), max_length=200, blank=True)
    summary = limited_text(_("summary"), limit=limits.SUMMARY, blank=True)
    background = limited_text(_("background"), limit=limits.SECTION, blank=True)
    goals = limited_text(_("goals"), limit=limits.SECTION, blank=True)
    activities = limited_text(_("planned activities"), limit=limits.SECTION, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="applications", verbose_name=_("themes"))
    result_goals = models.ManyToManyField(
        ResultGoal, blank=True, related_name="applications", verbose_name=_("result goals")
    )
    period_start = models.DateField(_("project start"), null=True, blank=True)
    period_end = models.DateField(_("project end"), null=True, blank=True)

    requested_amount = models.PositiveBigIntegerField(_("LUK funds applied for (kr)"), default=0)
    own_contribution = models.PositiveBigIntegerField(_("own contribution (kr)"), default=0)
    other_public = models.PositiveBigIntegerField(_("other public funding (kr)"), default=0)
    private = models.PositiveBigIntegerField(_("private funding (kr)"), default=0)

    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case officer"),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="application_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        number = self.case_number or _("(not submitted)")
        return f"{number} {self.title}"

    @property
    def county_id(self) -> int:
        return self.funding_round.county_id

    @property
    def financing_total(self) -> int:
        return self.requested_amount + self.own_contribution + self.other_public + self.private


class BudgetLine(models.Model):
    class Category(models.TextChoices):
        PERSONNEL = "personnel", _("Personnel and project management")
        SERVICES = "services", _("External services")
        TRAVEL = "travel", _("Travel and meetings")
        EVENTS = "events", _("Courses, events and information")
        EQUIPMENT = "equipment", _("Equipment and materials")
        OTHER = "other", _("Other costs")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("category"), max_length=20, choices=Category)
    description = models.CharField(_("description"), max_length=300)
    amount = models.PositiveBigIntegerField(_("amount (kr)"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount}"


class Partner(models.Model):
    """Another partner in the project: a business, a voluntary organisation, a citizens' initiative, ..."""

    class Kind(models.TextChoices):
        BUSINESS = "business", _("Business")
        VOLUNTARY = "voluntary", _("Voluntary organisation")
        CITIZENS = "citizens", _("Citizens' initiative")
        PUBLIC = "public", _("Public body")
        OTHER = "other", _("Other")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"applications/{instance.application_id}/{filename}"


class Document(models.Model):
    """An uploaded document: kept privately, served only through an access-checked view."""

    file = models.FileField()
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name


class Attachment(Document):
    """A document attached to an application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)

    class Meta(Document.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class ApplicationVersion(models.Model):
    """The application as it was submitted, each time: what the county read, kept beside later versions."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField()

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="application_version_unique")]

    def __str__(self) -> str:
        return f"{self.application_id} v{self.number}"


class Recommendation(models.Model):
    """The case officer's recommended decision (innstilling), with reasons."""

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="recommendations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("recommendation"), max_length=10, choices=Outcome)
    amount = models.PositiveBigIntegerField(_("amount (kr)"), null=True, blank=True)
    conditions = limited_text(_("conditions"), limit=limits.REASONS, blank=True)
    reasons = limited_text(_("reasons"), limit=limits.REASONS)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "created_at"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="approve") & Q(amount__gt=0)) | (Q(outcome="reject") & Q(amount__isnull=True)),
                name="recommendation_amount_fits_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_outcome_display()}"


def letter_path(instance: Decision, filename: str) -> str:
    return f"letters/{instance.application_id}/{filename}"


class Decision(models.Model):
    """The decision (vedtak): approval with amount and conditions, or rejection, with reasons; and its letter."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="decision")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="+")
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome)
    amount = models.PositiveBigIntegerField(_("granted amount (kr)"), null=True, blank=True)
    conditions = limited_text(_("conditions"), limit=limits.REASONS, blank=True)
    reasons = limited_text(_("reasons"), limit=limits.REASONS)
    decided_at = models.DateTimeField(_("decided"))
    letter = models.FileField(upload_to=letter_path, blank=True)
    letter_language = models.CharField(max_length=2, blank=True)
    letter_sha256 = models.CharField(max_length=64, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(condition=~Q(decided_by=F("recommended_by")), name="decision_four_eyes"),
            models.CheckConstraint(
                condition=(Q(outcome="approved") & Q(amount__gt=0)) | (Q(outcome="rejected") & Q(amount__isnull=True)),
                name="decision_amount_fits_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"


class CountyPlan(models.Model):
    """A county authority's plan for the plan-based funds, made with its kommunar (fylkesplan for LUK)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", pgettext_lazy("county plan", "Approved")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="county_plans")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="plans", verbose_name=_("county"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    requested_amount = models.PositiveBigIntegerField(_("amount applied for (kr)"), default=0)
    period_start = models.DateField(_("plan start"), null=True, blank=True)
    period_end = models.DateField(_("plan end"), null=True, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="county_plans", verbose_name=_("themes"))
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="county_plans", verbose_name=_("kommunar involved")
    )
    activities = limited_text(_("activities"), limit=limits.PLAN_SECTION, blank=True)
    budget = limited_text(
        _("budget"),
        limit=limits.PLAN_SECTION,
        blank=True,
        help_text=_("The main cost items and how they are financed."),
    )
    approved_amount = models.PositiveBigIntegerField(_("approved amount (kr)"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("county plan")
        verbose_name_plural = _("county plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="approved", approved_amount__gt=0)
                | (~Q(status="approved") & Q(approved_amount__isnull=True)),
                name="plan_approved_amount_iff_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.county}: {self.title}"


class CaseEvent(models.Model):
    """One entry of a case's timeline: a transition or a message, with who, when, from, to and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    county_plan = models.ForeignKey(CountyPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    project = models.ForeignKey("Project", on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    comment = limited_text(limit=limits.COMMENT, blank=True)
    internal = models.BooleanField(
        default=False, help_text="Shown only to those who may read the recommendation (county staff, ministry)."
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        constraints = [
            models.CheckConstraint(
                condition=(Q(application__isnull=False) & Q(county_plan__isnull=True) & Q(project__isnull=True))
                | (Q(application__isnull=True) & Q(county_plan__isnull=False) & Q(project__isnull=True))
                | (Q(application__isnull=True) & Q(county_plan__isnull=True) & Q(project__isnull=False)),
                name="event_belongs_to_one_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
