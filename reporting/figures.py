"""The figures the dashboards (selectors.py) and the PDF reports (report_data.py) show: each figure is computed
by one function here, in the database, in a fixed number of queries, and both read it from there.

Sums are made in the database (but for the indicators' latest values: see _latest_values). Where one row
would otherwise join two lists (a kommune's applications and its partner projects, a county's frames and its
projects), each figure is its own subquery, so no sum is multiplied by another list's rows.

"Granted" is what was granted less what was released back to the frame when a project closed: the same figure
as the county's account. "Paid" is what has been paid out.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from applications.models import (
    Application,
    CountyPlan,
    Decision,
    Indicator,
    IndicatorValue,
    Payment,
    ProgressReport,
    Project,
)
from programmes.models import County, CountyAccount, CountyFrame, Municipality, Programme, ResultGoal, Theme
from programmes.selectors import structure_day

ANSWERED = (ProgressReport.Status.SUBMITTED, ProgressReport.Status.APPROVED)
NET_GRANTED = F("granted_amount") - F("released_amount")
# A report's place in time, latest first: by its period, then when it was submitted (a missing date counts as earliest).
LATEST_FIRST = (
    F("report__period_to").desc(nulls_last=True),
    F("report__submitted_at").desc(nulls_last=True),
    F("report_id").desc(),
)


def zero(expression: Any) -> Coalesce:
    return Coalesce(expression, Value(0), output_field=IntegerField())


def _count(queryset: QuerySet, group: str) -> Coalesce:
    """The number of rows of a correlated queryset, as a subquery (0 when none)."""
    return zero(Subquery(queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]))


def _sum(queryset: QuerySet, group: str, expression: Any) -> Coalesce:
    """The sum of `expression` over a correlated queryset, as a subquery (0 when none)."""
    return zero(Subquery(queryset.order_by().values(group).annotate(total=Sum(expression)).values("total")[:1]))


def percent(part: int, whole: int) -> int | None:
    """`part` of `whole` in whole per cent, rounded; None when the whole is zero."""
    return round(100 * part / whole) if whole else None


def programme_projects(programme: Programme) -> QuerySet[Project]:
    return Project.objects.filter(application__funding_round__programme=programme)


def submitted_applications(programme: Programme) -> QuerySet[Application]:
    """Applications that have reached the county (submitted at least once); drafts are the kommune's own."""
    return Application.objects.filter(funding_round__programme=programme, submitted_at__isnull=False)


def takes_part(programme: Programme) -> Q:
    """A kommune takes part when it leads or is a partner in a project, or is named in an approved county plan."""
    projects = programme_projects(programme)
    return (
        Q(Exists(projects.filter(lead_municipality=OuterRef("pk"))))
        | Q(Exists(projects.filter(application__partner_municipalities=OuterRef("pk"))))
        | Q(
            Exists(
                CountyPlan.objects.filter(
                    programme=programme, status=CountyPlan.Status.APPROVED, municipalities=OuterRef("pk")
                )
            )
        )
    )


def status_labels(choices: list[tuple[str, str]]) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _sums(rows: list[Any], names: tuple[str, ...]) -> dict[str, int]:
    """Each of the `names` summed over the rows (dicts or objects)."""
    get = (lambda row, name: row[name]) if rows and isinstance(rows[0], dict) else getattr
    return {name: sum(get(row, name) for row in rows) for name in names}


# Per county authority


def county_shares(county: Any) -> None:
    """A county row's free money and its shares, from its figures (on the row: a County, or a dict of totals)."""
    get = county.get if isinstance(county, dict) else lambda name: getattr(county, name)
    shares = {
        "free": get("frame_total") - get("granted"),
        "taking_part_percent": percent(get("taking_part"), get("municipality_count")),
        "granted_percent": percent(get("granted"), get("frame_total")),
    }
    for name, value in shares.items():
        if isinstance(county, dict):
            county[name] = value
        else:
            setattr(county, name, value)


def county_rows(*, programme: Programme) -> list[County]:
    """Every county authority of the programme's structure, with frames, granted, paid, free, applications,
    projects, and its kommunar: all, and those taking part. One query."""
    day = structure_day(programme)
    account = CountyAccount.objects.filter(programme=programme, county=OuterRef("pk"))
    kommunar = Municipality.objects.valid_on(day).filter(county=OuterRef("pk"))
    counties = list(
        County.objects.valid_on(day)
        .filter(is_county_authority=True)
        .annotate(
            frame_total=_sum(
                CountyFrame.objects.filter(programme=programme, county=OuterRef("pk")), "county", "amount"
            ),
            granted=zero(Subquery(account.values("granted")[:1])),
            paid=zero(Subquery(account.values("paid")[:1])),
            applications_count=_count(
                submitted_applications(programme).filter(funding_round__county=OuterRef("pk")), "funding_round__county"
            ),
            projects_count=_count(programme_projects(programme).filter(county=OuterRef("pk")), "county"),
            municipality_count=_count(kommunar, "county"),
            taking_part=_count(kommunar.filter(takes_part(programme)), "county"),
        )
        .order_by("number")
    )
    for county in counties:
        county_shares(county)
    return counties


COUNTY_FIGURES = (
    "frame_total",
    "granted",
    "paid",
    "applications_count",
    "projects_count",
    "municipality_count",
    "taking_part",
)


def county_totals(counties: list[County]) -> dict[str, Any]:
    """The county rows summed (all county authorities), with the free money and the shares."""
    totals: dict[str, Any] = _sums(counties, COUNTY_FIGURES)
    county_shares(totals)
    totals["paid_percent"] = percent(totals["paid"], totals["granted"])
    return totals


def county_money(*, county: County, programme: Programme | None) -> dict[str, Any]:
    """The county's frames in the programme (in the order they were granted, with their rounds), their sum, and
    its account (what it has granted and paid; None before its first frame). Two queries."""
    frames = list(
        county.frames.filter(programme=programme).select_related("funding_round").order_by("granted_on", "pk")
    )
    account = CountyAccount.objects.filter(county=county, programme=programme).first()
    return {"frames": frames, "frame_total": sum(frame.amount for frame in frames), "account": account}


def kommunar_taking_part(*, programme: Programme) -> dict[str, Any]:
    """Every kommune of the programme's structure, and those taking part. One query."""
    found = Municipality.objects.valid_on(structure_day(programme)).aggregate(
        total=Count("pk"), taking_part=Count("pk", filter=takes_part(programme))
    )
    return {**found, "taking_part_percent": percent(found["taking_part"], found["total"])}


def theme_rows(*, programme: Programme, county: County | None = None, year: int | None = None) -> list[Theme]:
    """The programme's themes with applications, projects, granted and paid, nationally or in one county; with
    `year`, the applications to rounds opened that year and the projects starting that year (as the lists filter).

    A project with two themes counts under both, so the themes' sums can exceed the totals. One query.
    """
    where = Q(applications__submitted_at__isnull=False)
    if county is not None:
        where &= Q(applications__funding_round__county=county)
    projects = where & Q(applications__project__isnull=False)
    if year is not None:
        where &= Q(applications__funding_round__opens_at__year=year)
        projects &= Q(applications__project__period_start__year=year)
    return list(
        Theme.objects.filter(programme=programme)
        .annotate(
            applications_count=Count("applications", filter=where),
            projects_count=Count("applications__project", filter=projects),
            granted=zero(
                Sum(
                    F("applications__project__granted_amount") - F("applications__project__released_amount"),
                    filter=projects,
                )
            ),
            paid=zero(Sum("applications__project__paid_amount", filter=projects)),
        )
        .order_by("name_nn")
    )


def municipality_rows(*, county: County, programme: Programme) -> list[Municipality]:
    """The county's kommunar (in the programme's structure year) with the applications and projects they lead,
    the projects they are a partner in, granted and paid. One query."""
    projects = programme_projects(programme)
    led = projects.filter(lead_municipality=OuterRef("pk"))
    rows = list(
        Municipality.objects.valid_on(structure_day(programme))
        .filter(county=county)
        .annotate(
            applications_count=_count(
                submitted_applications(programme).filter(lead_municipality=OuterRef("pk")), "lead_municipality"
            ),
            projects_count=_count(led, "lead_municipality"),
            partner_count=_count(
                projects.filter(application__partner_municipalities=OuterRef("pk")),
                "application__partner_municipalities",
            ),
            granted=_sum(led, "lead_municipality", NET_GRANTED),
            paid=_sum(led, "lead_municipality", "paid_amount"),
            taking_part=ExpressionWrapper(takes_part(programme), output_field=BooleanField()),
        )
        .order_by("name", "number")
    )
    return rows


def municipality_totals(municipalities: list[Municipality]) -> dict[str, Any]:
    """The county's kommune rows summed: how many, taking part, applications, projects, granted and paid."""
    count = len(municipalities)
    taking = sum(1 for m in municipalities if m.taking_part)
    return {
        "count": count,
        "taking_part": taking,
        "taking_part_percent": percent(taking, count),
        **{
            name: sum(getattr(m, attribute) for m in municipalities)
            for name, attribute in (
                ("applications", "applications_count"),
                ("projects", "projects_count"),
                ("granted", "granted"),
                ("paid", "paid"),
            )
        },
    }


def status_rows(*, projects: QuerySet[Project]) -> list[dict[str, Any]]:
    """Projects by status, with granted and paid; in the order of the status list. One query."""
    labels = status_labels(Project.Status.choices)
    found = {
        row["status"]: row
        for row in projects.order_by()
        .values("status")
        .annotate(n=Count("pk"), granted=Sum(NET_GRANTED), paid=Sum("paid_amount"))
    }
    return [
        {
            "status": status,
            "label": label,
            "count": found.get(status, {}).get("n", 0),
            "granted": found.get(status, {}).get("granted") or 0,
            "paid": found.get(status, {}).get("paid") or 0,
        }
        for status, label in labels.items()
    ]


def application_status_rows(*, applications: QuerySet[Application]) -> list[dict[str, Any]]:
    """Submitted applications by status, with what they applied for; in the order of the status list (without
    drafts). One query."""
    found = {
        row["status"]: row
        for row in applications.order_by().values("status").annotate(n=Count("pk"), requested=Sum("requested_amount"))
    }
    return [
        {
            "label": label,
            "count": found.get(status, {}).get("n", 0),
            "requested": found.get(status, {}).get("requested") or 0,
        }
        for status, label in status_labels(Application.Status.choices).items()
        if status != Application.Status.DRAFT
    ]


def _theme_names(projects: list[dict[str, Any]], themes: dict[int, Theme]) -> None:
    """Put the names of each project's themes on its row (rows from .values(), with application_id)."""
    through = Application.themes.through
    names: dict[int, list[str]] = defaultdict(list)
    for application_id, theme_id in through.objects.filter(
        application_id__in=[row["application_id"] for row in projects]
    ).values_list("application_id", "theme_id"):
        if theme_id in themes:
            names[application_id].append(themes[theme_id].name)
    for row in projects:
        row["themes"] = ", ".join(sorted(names.get(row["application_id"], [])))


def project_rows(*, projects: QuerySet[Project], themes: dict[int, Theme]) -> list[dict[str, Any]]:
    """A compact row per project for the lists: county, kommune, title, themes, status, granted, paid. Two queries."""
    labels = status_labels(Project.Status.choices)
    rows = list(
        projects.order_by("county__number", "lead_municipality__name", "title", "pk").values(
            "pk",
            "application_id",
            "title",
            "status",
            "paid_amount",
            "period_start",
            "period_end",
            county_name=F("county__name"),
            county_number=F("county__number"),
            municipality=F("lead_municipality__name"),
            granted=NET_GRANTED,
        )
    )
    for row in rows:
        row["status_label"] = labels.get(row["status"], row["status"])
    if rows:
        _theme_names(rows, themes)
    return rows


def _by_year(rows: QuerySet, field: str, **sums: Any) -> dict[int, dict[str, int]]:
    """`sums` (name: aggregate over `rows`) per local calendar year of the datetime `field`. Two queries: the
    first and last date, then every year's sums in one pass, each year a range of `field` (which an index can
    serve; extracting the year of every row in the database's time zone costs far more)."""
    rows = rows.order_by()
    bounds = rows.aggregate(first=Min(field), last=Max(field))
    zone = timezone.get_current_timezone()
    if bounds["first"] is None:
        first = last = timezone.localdate().year  # nothing to sum; the query is made all the same (fixed count)
    else:
        first, last = timezone.localtime(bounds["first"]).year, timezone.localtime(bounds["last"]).year
        last = min(last, datetime.MAXYEAR - 1)  # a year's range ends where the next begins
    start = {year: datetime.datetime(year, 1, 1, tzinfo=zone) for year in range(first, last + 2)}
    aggregates = {
        f"{name}_{year}": zero(expression(Q(**{f"{field}__gte": start[year], f"{field}__lt": start[year + 1]})))
        for year in range(first, last + 1)
        for name, expression in sums.items()
    }
    found = rows.aggregate(**aggregates)
    return {year: {name: found[f"{name}_{year}"] for name in sums} for year in range(first, last + 1)}


YEAR_FIGURES = ("applications", "projects", "granted", "paid")


def year_rows(*, programme: Programme, year: int | None = None, theme: Theme | None = None) -> list[dict[str, Any]]:
    """Applications, projects (approved decisions), granted (as decided) and paid, by year: the programme's
    years, and any other year that has figures; of the programme's submitted applications, or with `theme` of
    the applications under it (and their decisions and payments); with `year`, that year's row. Six queries."""
    applications = filtered_applications(programme=programme, theme=theme)
    table: dict[int, dict[str, int]] = defaultdict(lambda: {"applications": 0, "projects": 0, "granted": 0, "paid": 0})
    sources = (
        (applications, "submitted_at", {"applications": lambda where: Count("pk", filter=where)}),
        (
            Decision.objects.filter(application__in=applications, outcome=Decision.Outcome.APPROVED),
            "decided_at",
            {
                "projects": lambda where: Count("pk", filter=where),
                "granted": lambda where: Sum("amount", filter=where),
            },
        ),
        (
            Payment.objects.filter(
                project__application__in=applications, status=Payment.Status.APPROVED, decided_at__isnull=False
            ),
            "decided_at",
            {"paid": lambda where: Sum("amount", filter=where)},
        ),
    )
    for rows, field, sums in sources:
        for found_year, found in _by_year(rows, field, **sums).items():
            if any(found.values()):
                table[found_year].update(found)
    years = sorted(set(range(programme.start_year, programme.end_year + 1)) | set(table))
    return [{"year": one, **table[one]} for one in years if year is None or one == year]


def year_totals(years: list[dict[str, Any]]) -> dict[str, int]:
    return _sums(years, YEAR_FIGURES)


def _latest_values(indicators: QuerySet[Indicator]) -> dict[int, int]:
    """The latest value given for each of the indicators in a submitted or approved report. One query.

    Read in report order and reduced here, rather than a correlated subquery per indicator, whose plan goes
    badly wrong on tables not yet analysed after a bulk load (seconds per thousand indicators).
    """
    latest: dict[int, int] = {}
    for indicator_id, value in (
        IndicatorValue.objects.filter(indicator__in=indicators, report__status__in=ANSWERED)
        .order_by(
            "indicator_id",
            F("report__period_to").asc(nulls_first=True),
            F("report__submitted_at").asc(nulls_first=True),
            "report_id",
        )
        .values_list("indicator_id", "value")
    ):
        latest[indicator_id] = value
    return latest


def result_goal_rows(*, programme: Programme, projects: QuerySet[Project] | None = None) -> list[dict[str, Any]]:
    """Per result goal: projects that address it, and its indicators summed: baseline, target and the latest
    reported values (the baseline where nothing is reported yet); of the programme's projects, or of `projects`.
    Three queries."""
    indicators = Indicator.objects.filter(project__application__funding_round__programme=programme)
    if projects is not None:
        indicators = indicators.filter(project__in=projects)
    latest = _latest_values(indicators)
    sums: dict[int, dict[str, int]] = defaultdict(
        lambda: {"indicators": 0, "reported": 0, "baseline": 0, "target": 0, "reached": 0}
    )
    for pk, goal_id, baseline, target in indicators.values_list("pk", "result_goal_id", "baseline", "target"):
        row = sums[goal_id]
        row["indicators"] += 1
        row["baseline"] += baseline
        row["target"] += target
        row["reported"] += pk in latest
        row["reached"] += latest.get(pk, baseline)
    addressing = Q(applications__project__isnull=False, applications__funding_round__programme=programme)
    if projects is not None:
        addressing &= Q(applications__project__in=projects)
    goals = ResultGoal.objects.filter(programme=programme).annotate(
        projects_count=Count("applications__project", filter=addressing)
    )
    rows = []
    for goal in goals.order_by("number"):
        row = sums[goal.pk]
        progress = row["reached"] - row["baseline"]
        span = row["target"] - row["baseline"]
        rows.append(
            {
                "goal": goal,
                "projects": goal.projects_count,
                **row,
                "progress": percent(progress, span) if span > 0 else None,
            }
        )
    return rows


def _narrowed(rows: QuerySet, *, year_field: str, year: int | None, theme: Theme | None, application: str) -> QuerySet:
    """`rows` in `year` (of `year_field`) and under `theme` (of the application that `application` points to)."""
    if year is not None:
        rows = rows.filter(**{f"{year_field}__year": year})
    if theme is not None:
        rows = rows.filter(
            Exists(Application.themes.through.objects.filter(application_id=OuterRef(application), theme=theme))
        )
    return rows


def filtered_projects(
    *, programme: Programme, year: int | None = None, theme: Theme | None = None
) -> QuerySet[Project]:
    """The programme's projects starting in `year` and under `theme`: what /prosjekt/?year=…&theme=… lists."""
    return _narrowed(
        programme_projects(programme), year_field="period_start", year=year, theme=theme, application="application_id"
    )


def filtered_applications(
    *, programme: Programme, year: int | None = None, theme: Theme | None = None
) -> QuerySet[Application]:
    """Submitted applications to rounds opened in `year`, under `theme`: what /soknader/?year=…&themes=… lists."""
    return _narrowed(
        submitted_applications(programme),
        year_field="funding_round__opens_at",
        year=year,
        theme=theme,
        application="pk",
    )


def figures_by(projects: QuerySet[Project], applications: QuerySet[Application], *, key: str) -> dict[Any, dict]:
    """Projects, granted, paid and applications grouped by `key` ("county" or "lead_municipality"). Two queries."""
    table: dict[Any, dict[str, int]] = defaultdict(
        lambda: {"projects_count": 0, "granted": 0, "paid": 0, "applications_count": 0}
    )
    for row in (
        projects.order_by().values(key).annotate(n=Count("pk"), granted=Sum(NET_GRANTED), paid=Sum("paid_amount"))
    ):
        table[row[key]].update(projects_count=row["n"], granted=row["granted"] or 0, paid=row["paid"] or 0)
    application_key = "funding_round__county" if key == "county" else key
    for row in applications.order_by().values(application_key).annotate(n=Count("pk")):
        table[row[application_key]]["applications_count"] = row["n"]
    return table


def narrow(rows: list[Any], figures: dict[Any, dict]) -> None:
    """Put the figures of figures_by on the rows (counties or kommunar) in place of the whole programme's."""
    empty = figures.default_factory()  # type: ignore[attr-defined]
    for row in rows:
        for name, value in figures.get(row.pk, empty).items():
            setattr(row, name, value)
