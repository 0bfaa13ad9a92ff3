"""What the national demo data is made from: its settings, the people and places, rows waiting to be written."""

from __future__ import annotations

import datetime
import math
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.db.models import Max

from applications.models import (
    Application,
    ApplicationVersion,
    BudgetLine,
    CaseEvent,
    CountyPlan,
    Decision,
    Indicator,
    IndicatorValue,
    Milestone,
    MilestoneUpdate,
    Partner,
    Payment,
    ProgressReport,
    Project,
    Recommendation,
    ReportCost,
    ReportDeadline,
)
from programmes.models import County, CountyFrame, FundingRound, Membership, Municipality, Programme, ResultGoal, Theme
from programmes.selectors import structure_day

from ..people import DEMO_COUNTIES, DEMO_DOMAIN
from .texts import Pair

YEARS = (2010, 2011, 2012, 2013, 2014)
YEAR_WEIGHTS = (17, 24, 25, 22, 12)  # few new projects in the last year, with little time left
APPLICATIONS_PER_SCALE = 500
LAST_PROJECT_END = datetime.date(2014, 9, 30)  # so that the final report is due, and everything done, in 2014
ROUND_NAME = "LUK-midlar {year} til kommunane i {county}"
OSLO = "0301"  # a fylke without a county authority: a partner in Akershus' cases
TZ = ZoneInfo(settings.TIME_ZONE)
LAST_MOMENT = datetime.datetime(2014, 12, 19, 12, 0, tzinfo=TZ)
BATCH = 2000

# What becomes of an application, in per cent.
OUTCOMES = (("approved", 59), ("rejected", 36), ("returned", 3), ("draft", 2))
CANCELLED_PERCENT = 5  # of the projects
UNDERSPENT_PERCENT = 15  # of the finished projects: the rest of the grant is released when the county closes it

# Counties' own focus themes (Nord-Trøndelag's from its LUK page); the others draw theirs.
FOCUS = {"17": ("rekruttering", "plan-og-prosess", "samhandling", "stadutvikling")}
# Share of kommunar writing nynorsk where SSB's list says nothing (the kommune has changed since 2010).
NYNORSK_SHARE = {"14": 0.95, "12": 0.75, "15": 0.7, "11": 0.35, "08": 0.35, "05": 0.35, "09": 0.3, "10": 0.3}

GOAL_WEIGHTS = {1: 0.9, 2: 0.7, 3: 0.08, 4: 0.08, 5: 0.3}


SAVE_ORDER: tuple[type[models.Model], ...] = (
    FundingRound,
    FundingRound.themes.through,
    CountyPlan,
    CountyPlan.themes.through,
    CountyPlan.municipalities.through,
    CountyFrame,
    Application,
    Application.themes.through,
    Application.result_goals.through,
    Application.partner_municipalities.through,
    ApplicationVersion,
    BudgetLine,
    Partner,
    Recommendation,
    Decision,
    Project,
    Milestone,
    Indicator,
    ReportDeadline,
    ProgressReport,
    ReportCost,
    IndicatorValue,
    MilestoneUpdate,
    Payment,
    CaseEvent,
)


class Rows:
    """Unsaved rows by model, written in bulk in the order of their foreign keys; and the money in them."""

    def __init__(self) -> None:
        self.by_model: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        self.money = [0, 0, 0]  # frames, granted (less released), paid

    def add(self, row: models.Model) -> None:
        self.by_model[type(row)].append(row)

    def save(self) -> None:
        for model in SAVE_ORDER:
            if self.by_model.get(model):
                insert(model, self.by_model[model])
        self.by_model.clear()


# Values that the database driver takes as Python gives them; the others go through the field's own preparation.
AS_THEY_ARE = {"AutoField", "BigAutoField", "BooleanField", "CharField", "ForeignKey", "SlugField", "TextField"}
AS_THEY_ARE |= {"EmailField", "PositiveBigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField"}


def insert(model: type[models.Model], rows: list[models.Model]) -> None:
    """What bulk_create does, with less work per value: Django's SQL compiling would take most of the time.

    The values are prepared as bulk_create prepares them (get_db_prep_save) and go in many rows a statement;
    the database checks every constraint. No signals are sent and no auto_now field is touched, so the rows
    keep the dates they were given.
    """
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and getattr(rows[0], f.attname) is None)]
    names = [f.attname for f in fields]
    prepare = [None if f.get_internal_type() in AS_THEY_ARE else f.get_db_prep_save for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608 (names from the models)
    one = f"({', '.join(['%s'] * len(fields))})"
    size = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, rows)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            values = [
                getattr(row, name) if how is None else how(getattr(row, name), connection)
                for row in chunk
                for name, how in zip(names, prepare, strict=True)
            ]
            cursor.execute(head + ", ".join([one] * len(chunk)), values)


# What to make


@dataclass
class Context:
    """The programme, the places and the people the national data is about, and the ids handed out so far."""

    programme: Programme
    scale: int
    seed: int
    themes: dict[str, Theme]
    goals: dict[int, ResultGoal]
    ministry: Any
    officer: dict[int, Any]  # county id -> user
    leader: dict[int, Any]
    coordinator: dict[int, Any]  # kommune id -> its coordinator, or the county's stand-in
    municipalities: dict[int, list[Municipality]]  # county id -> its kommunar in 2010
    counties: list[County]
    oslo: Municipality | None
    titles: set[str] = field(default_factory=set)
    next_ids: dict[type[models.Model], int] = field(default_factory=dict)

    @classmethod
    def load(cls, *, programme: Programme, scale: int, seed: int) -> Context:
        day = structure_day(programme)
        users = get_user_model().objects
        counties = list(County.objects.valid_on(day).filter(is_county_authority=True).order_by("number"))
        kommunar = Municipality.objects.valid_on(day).order_by("number")
        by_county: dict[int, list[Municipality]] = defaultdict(list)
        for municipality in kommunar.filter(county__in=counties):
            by_county[municipality.county_id].append(municipality)

        def staff(county: County, role: str) -> Any:
            prefix = DEMO_COUNTIES[county.number][0] if county.number in DEMO_COUNTIES else f"f{county.number}"
            return users.get(username=f"{prefix}.{role}")

        coordinators = {}
        for membership in (
            Membership.objects.filter(role=Membership.Role.COORDINATOR, is_active=True, municipality__in=kommunar)
            .select_related("user")
            .order_by("-user__username")  # the first by name wins
        ):
            coordinators[membership.municipality_id] = membership.user
        for county in counties:
            without = [m for m in by_county[county.pk] if m.pk not in coordinators]
            if without:
                user = stand_in(county)
                coordinators.update((m.pk, user) for m in without)
        oslo = kommunar.filter(number=OSLO).first()
        return cls(
            programme=programme,
            scale=scale,
            seed=seed,
            themes={theme.code: theme for theme in programme.themes.order_by("code")},
            goals={goal.number: goal for goal in programme.result_goals.order_by("number")},
            ministry=users.get(username="departementet"),
            officer={county.pk: staff(county, "saksbehandlar") for county in counties},
            leader={county.pk: staff(county, "leiar") for county in counties},
            coordinator=coordinators,
            municipalities=by_county,
            counties=counties,
            oslo=oslo,
            titles=set(Application.objects.values_list("title", flat=True)),
        )

    def allocation(self) -> Iterator[tuple[County, list[Municipality], int]]:
        """Each county's share of the applications, by its number of kommunar; at least one for each."""
        total = sum(len(m) for m in self.municipalities.values())
        for county in self.counties:
            municipalities = self.municipalities[county.pk]
            if municipalities:
                share = math.ceil(APPLICATIONS_PER_SCALE * self.scale * len(municipalities) / total)
                yield county, municipalities, max(share, len(municipalities))

    def next_id(self, model: type[models.Model]) -> int:
        """The rows get their ids here, so that they can point to each other before they are written."""
        if model not in self.next_ids:
            self.next_ids[model] = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value


def stand_in(county: County) -> Any:
    """Who stands for the kommunar of a county that have no demo coordinator: a user who cannot log in."""
    username = f"f{county.number}.kommunane"
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model()(
            username=username,
            first_name="Demo",
            last_name=f"Kommunane i {county.name}",
            email=f"{username}@{DEMO_DOMAIN}",
        )
        user.set_unusable_password()
        user.save()
    return user


def at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A moment in office hours on `day`, in Norwegian time."""
    return datetime.datetime(day.year, day.month, day.day, rng.randint(8, 15), rng.randint(0, 59), tzinfo=TZ)


def later(moment: datetime.datetime, rng: random.Random, low: int, high: int) -> datetime.datetime:
    """Some days after `moment` (at least an hour later), in office hours."""
    day = moment.date() + datetime.timedelta(days=rng.randint(low, high))
    result = at(day, rng)
    return result if result > moment else moment + datetime.timedelta(hours=1, minutes=rng.randint(0, 59))


def thousands(value: float) -> int:
    return max(1000, round(value / 1000.0) * 1000)


def text(rng: random.Random, pool: Sequence[Pair], nynorsk: bool, **values: str) -> str:
    return rng.choice(pool)[0 if nynorsk else 1].format(**values)


@dataclass
class ApplicationSpec:
    """What the demo decides about one application before it writes its rows."""

    lead: Municipality
    partners: list[Municipality]
    themes: list[Theme]
    goals: list[ResultGoal]
    nynorsk: bool
    outcome: str
    requested: int
    granted: int
    returned_once: bool
    title: str = ""


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from `start` to the day after `end` (at least 3: a project has some months to run)."""
    return max(3, (end.year - start.year) * 12 + end.month - start.month + 1)
