"""Who and how much: reference data (fylke, kommunar), the programme, its rounds and frames, and memberships."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def translated(obj: object, field: str) -> str:
    """The value of `<field>_<language>` for the active language, falling back to nynorsk."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    value = getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_nn", "")
    return str(value)


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> ValidityQuerySet:
        """Rows valid on `day`: begun on or before it (or before our data begins) and not yet ended."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class County(models.Model):
    """A fylke (SSB number `17`) and, where it has one, its county authority (fylkeskommune)."""

    number = models.CharField(_("number"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_county_authority = models.BooleanField(
        _("county authority"), default=True, help_text=_("Oslo is a fylke but not a county authority.")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A kommune as SSB knew it for a while: a new number or name is a new row, linked to its predecessors."""

    class LanguageForm(models.TextChoices):
        NYNORSK = "nynorsk", _("Nynorsk")
        BOKMAL = "bokmal", _("Bokmål")
        NEUTRAL = "noytral", _("Neutral")

    number = models.CharField(_("number"), max_length=4, db_index=True)
    name = models.CharField(_("name"), max_length=100)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    language_form = models.CharField(_("official language form"), max_length=10, choices=LanguageForm, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        through="MunicipalityChange",
        through_fields=("old", "new"),
        symmetrical=False,
        related_name="predecessors",
        verbose_name=_("successors"),
    )

    objects = ValidityQuerySet.as_manager()

    class Meta:
        ordering = ["number", F("valid_from").asc(nulls_first=True)]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.UniqueConstraint(fields=["number", "valid_from"], name="municipality_unique_version"),
            models.UniqueConstraint(
                fields=["number"], condition=Q(valid_to__isnull=True), name="municipality_one_current_version"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="municipality_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def current_successors(self) -> list[Municipality]:
        """The kommunar that carry this one on today (itself if it still exists), following SSB's change list."""
        found: list[Municipality] = []
        seen: set[int] = set()
        frontier = [self]
        while frontier:
            municipality = frontier.pop()
            if municipality.pk in seen:
                continue
            seen.add(municipality.pk)
            if municipality.valid_to is None:
                found.append(municipality)
            else:
                frontier.extend(municipality.successors.all())
        return sorted(found, key=lambda m: m.number)


class MunicipalityChange(models.Model):
    """One row of SSB's change list: `old` became (part of) `new` on `date`."""

    date = models.DateField(_("date"))
    old = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="changes_out")
    new = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="changes_in")

    class Meta:
        ordering = ["date", "old__number"]
        verbose_name = _("municipality change")
        verbose_name_plural = _("municipality changes")
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="municipality_change_unique")]

    def __str__(self) -> str:
        return f"{self.date}: {self.old} → {self.new}"


class Programme(models.Model):
    """A national programme (satsing), LUK or a later one, in the kommune structure of a given year."""

    slug = models.SlugField(_("short name"), unique=True)
    name_nn = models.CharField(_("name (Nynorsk)"), max_length=200)
    name_nb = models.CharField(_("name (Bokmål)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nn = models.TextField(_("description (Nynorsk)"), blank=True)
    description_nb = models.TextField(_("description (Bokmål)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    structure_year = models.PositiveSmallIntegerField(
        _("structure year"), help_text=_("The year whose fylke and kommunar the programme works in.")
    )

    class Meta:
        ordering = ["start_year", "slug"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="programme_years_ordered")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")

    @property
    def description(self) -> str:
        return translated(self, "description")


class ResultGoal(models.Model):
    """One of a programme's result goals (resultatmål), in the programme's own words."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="result_goals")
    number = models.PositiveSmallIntegerField(_("number"))
    text_nn = models.TextField(_("text (Nynorsk)"))
    text_nb = models.TextField(_("text (Bokmål)"))
    text_en = models.TextField(_("text (English)"))

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("result goal")
        verbose_name_plural = _("result goals")
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="result_goal_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    @property
    def text(self) -> str:
        return translated(self, "text")


class Theme(models.Model):
    """A focus area (tema, innsatsområde) of a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="themes")
    code = models.SlugField(_("code"))
    name_nn = models.CharField(_("name (Nynorsk)"), max_length=100)
    name_nb = models.CharField(_("name (Bokmål)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        ordering = ["programme", "name_nn"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="theme_unique_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")


class FundingRound(models.Model):
    """A round (utlysing): the start-up round, the county-plan round, or a county's round for its kommunar."""

    class Kind(models.TextChoices):
        STARTUP = "startup", _("Start-up grants")
        COUNTY_PLAN = "county_plan", _("County plans")
        MUNICIPAL = "municipal", _("Municipal projects")

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("county"),
        help_text=_("The county whose kommunar may apply (municipal rounds only)."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    budget = models.PositiveBigIntegerField(_("budget (kr)"))
    opens_at = models.DateTimeField(_("opens"))
    deadline = models.DateTimeField(_("deadline"))
    themes = models.ManyToManyField(Theme, blank=True, related_name="rounds", verbose_name=_("themes"))
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-opens_at", "name"]
        verbose_name = _("funding round")
        verbose_name_plural = _("funding rounds")
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gt=models.F("opens_at")), name="round_deadline_after_opening"),
            models.CheckConstraint(
                condition=(Q(kind="municipal") & Q(county__isnull=False))
                | (~Q(kind="municipal") & Q(county__isnull=True)),
                name="round_county_iff_municipal",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CountyFrame(models.Model):
    """Money the ministry has granted a county authority (ramme): the start-up grant, plan-based funds."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="frames", verbose_name=_("programme")
    )
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="frames", verbose_name=_("county"))
    funding_round = models.ForeignKey(
        FundingRound, on_delete=models.PROTECT, null=True, blank=True, related_name="frames", verbose_name=_("round")
    )
    amount = models.PositiveBigIntegerField(_("amount (kr)"))
    granted_on = models.DateField(_("granted on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
        help_text=_("Empty for the start-up grants the programme's set-up makes."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["county__number", "granted_on"]
        verbose_name = _("county frame")
        verbose_name_plural = _("county frames")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="frame_amount_positive"),
            models.UniqueConstraint(
                fields=["county", "funding_round"],
                condition=Q(funding_round__isnull=False),
                name="frame_one_per_county_and_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.county}: {self.amount} kr ({self.granted_on})"


class CountyAccount(models.Model):
    """What a county authority holds in a programme: its frames, what it has granted and paid.

    The one row that every money-moving service locks (select_for_update) before it changes anything, so two
    decisions at the same moment are made one after the other; the constraints make "never more granted than
    the frames hold" a fact of the database as well.
    """

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("county"))
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="accounts")
    framed = models.PositiveBigIntegerField(_("frames (kr)"), default=0)
    granted = models.PositiveBigIntegerField(_("granted (kr)"), default=0)
    paid = models.PositiveBigIntegerField(_("paid (kr)"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("county account")
        verbose_name_plural = _("county accounts")
        constraints = [
            models.UniqueConstraint(fields=["county", "programme"], name="account_one_per_county_and_programme"),
            models.CheckConstraint(condition=Q(granted__lte=F("framed")), name="account_granted_within_frames"),
            models.CheckConstraint(condition=Q(paid__lte=F("granted")), name="account_paid_within_granted"),
        ]

    def __str__(self) -> str:
        return f"{self.county} / {self.programme.slug}"

    @property
    def free(self) -> int:
        return self.framed - self.granted


class Membership(models.Model):
    """A person's place in the programme: in the ministry, a county authority or a kommune, with a role."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Municipal coordinator")
        CASE_OFFICER = "case_officer", _("County case officer")
        DECISION_MAKER = "decision_maker", _("County decision-maker")
        MINISTRY_ADVISER = "ministry_adviser", _("Ministry adviser")

    COUNTY_ROLES = (Role.CASE_OFFICER, Role.DECISION_MAKER)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships", verbose_name=_("county")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("municipality"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="coordinator", municipality__isnull=False, county__isnull=True)
                    | Q(role__in=["case_officer", "decision_maker"], county__isnull=False, municipality__isnull=True)
                    | Q(role="ministry_adviser", county__isnull=True, municipality__isnull=True)
                ),
                name="membership_place_fits_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(role="ministry_adviser"), name="membership_unique_ministry"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "county"], condition=Q(county__isnull=False), name="membership_unique_county"
            ),
            models.UniqueConstraint(
                fields=["user", "municipality"],
                condition=Q(municipality__isnull=False),
                name="membership_unique_municipality",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} ({self.place})"

    @property
    def place(self) -> str:
        if self.municipality_id:
            return self.municipality.name
        if self.county_id:
            return self.county.name
        return str(_("The ministry"))
