"""What the PDF reports show: the whole template context of each report, read in a fixed number of queries.

A selector module (read only). The report job calls these inside `translation.override(job.language)`, so
every label made here is already in the report's language; the job adds `generated_at` and `language`.

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
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from applications.models import (
    Application,
    BudgetLine,
    CountyPlan,
    Decision,
    Indicator,
    IndicatorValue,
    Milestone,
    Payment,
    ProgressReport,
    Project,
    ReportCost,
)
from applications.selectors import overdue_deadlines
from programmes.models import (
    County,
    CountyAccount,
    CountyFrame,
    Municipality,
    MunicipalityChange,
    Programme,
    ResultGoal,
    Theme,
)
from programmes.selectors import structure_day

from .charts import Chart, bar_chart, column_chart

ANSWERED = (ProgressReport.Status.SUBMITTED, ProgressReport.Status.APPROVED)
NET_GRANTED = F("granted_amount") - F("released_amount")
# A report's place in time, latest first: by its period, then when it was submitted (a missing date counts as earliest).
LATEST_FIRST = (
    F("report__period_to").desc(nulls_last=True),
    F("report__submitted_at").desc(nulls_last=True),
    F("report_id").desc(),
)


def _zero(expression: Any) -> Coalesce:
    return Coalesce(expression, Value(0), output_field=IntegerField())


def _count(queryset: QuerySet, group: str) -> Coalesce:
    """The number of rows of a correlated queryset, as a subquery (0 when none)."""
    return _zero(Subquery(queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]))


def _sum(queryset: QuerySet, group: str, expression: Any) -> Coalesce:
    """The sum of `expression` over a correlated queryset, as a subquery (0 when none)."""
    return _zero(Subquery(queryset.order_by().values(group).annotate(total=Sum(expression)).values("total")[:1]))


def percent(part: int, whole: int) -> int | None:
    """`part` of `whole` in whole per cent, rounded; None when the whole is zero."""
    return round(100 * part / whole) if whole else None


def programme_projects(programme: Programme) -> QuerySet[Project]:
    return Project.objects.filter(application__funding_round__programme=programme)


def submitted_applications(programme: Programme) -> QuerySet[Application]:
    """Applications that have reached the county (submitted at least once); drafts are the kommune's own."""
    return Application.objects.filter(funding_round__programme=programme, submitted_at__isnull=False)


def _taking_part(programme: Programme) -> Q:
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


def _status_labels(choices: list[tuple[str, str]]) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


# Figures shared by the reports and the dashboards.


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
            granted=_zero(Subquery(account.values("granted")[:1])),
            paid=_zero(Subquery(account.values("paid")[:1])),
            applications_count=_count(
                submitted_applications(programme).filter(funding_round__county=OuterRef("pk")), "funding_round__county"
            ),
            projects_count=_count(programme_projects(programme).filter(county=OuterRef("pk")), "county"),
            municipality_count=_count(kommunar, "county"),
            taking_part=_count(kommunar.filter(_taking_part(programme)), "county"),
        )
        .order_by("number")
    )
    for county in counties:
        county.free = county.frame_total - county.granted
        county.taking_part_percent = percent(county.taking_part, county.municipality_count)
        county.granted_percent = percent(county.granted, county.frame_total)
    return counties


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
            granted=_zero(
                Sum(
                    F("applications__project__granted_amount") - F("applications__project__released_amount"),
                    filter=projects,
                )
            ),
            paid=_zero(Sum("applications__project__paid_amount", filter=projects)),
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
            taking_part=ExpressionWrapper(_taking_part(programme), output_field=BooleanField()),
        )
        .order_by("name", "number")
    )
    return rows


def status_rows(*, projects: QuerySet[Project]) -> list[dict[str, Any]]:
    """Projects by status, with granted and paid; in the order of the status list. One query."""
    labels = _status_labels(Project.Status.choices)
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


def county_money_chart(counties: list[County]) -> Chart:
    return bar_chart(
        id="chart-counties",
        title=_("Frames, granted and paid per county"),
        unit="kr",
        categories=[county.name for county in counties],
        series=[
            (_("Frames"), [county.frame_total for county in counties]),
            (_("Granted"), [county.granted for county in counties]),
            (_("Paid"), [county.paid for county in counties]),
        ],
        category_label=_("County"),
        description=_("Horizontal bars for each county authority: its frames, what it has granted and what is paid."),
    )


def county_participation_chart(counties: list[County]) -> Chart:
    return bar_chart(
        id="chart-participation",
        title=_("Kommunar taking part per county"),
        unit=pgettext("chart unit", "kommunar"),
        categories=[county.name for county in counties],
        series=[
            (_("All kommunar"), [county.municipality_count for county in counties]),
            (_("Taking part"), [county.taking_part for county in counties]),
        ],
        category_label=_("County"),
    )


def theme_chart(themes: list[Theme], *, id: str = "chart-themes") -> Chart:
    return bar_chart(
        id=id,
        title=_("Applications and projects per theme"),
        unit=pgettext("chart unit", "number"),
        categories=[theme.name for theme in themes],
        series=[
            (_("Applications"), [theme.applications_count for theme in themes]),
            (_("Projects"), [theme.projects_count for theme in themes]),
        ],
        category_label=_("Theme"),
    )


def municipality_chart(municipalities: list[Municipality]) -> Chart:
    """Granted and paid for the kommunar that lead a project (the others would only be empty rows)."""
    active = [m for m in municipalities if m.projects_count or m.granted]
    return bar_chart(
        id="chart-kommunar",
        title=_("Granted and paid per kommune"),
        unit="kr",
        categories=[m.name for m in active],
        series=[(_("Granted"), [m.granted for m in active]), (_("Paid"), [m.paid for m in active])],
        category_label=_("Kommune"),
    )


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


def project_list(*, projects: QuerySet[Project], themes: dict[int, Theme]) -> list[dict[str, Any]]:
    """A compact row per project for the lists: county, kommune, title, themes, status, granted, paid. Two queries."""
    labels = _status_labels(Project.Status.choices)
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


# The reports.


def project_report_data(*, project: Project) -> dict[str, Any]:
    """One project's progress report: facts, budget against costs, milestones, indicators against targets, and
    the narratives of its submitted and approved reports. Nothing internal: a coordinator may read it."""
    project = Project.objects.select_related(
        "county", "lead_municipality", "application__funding_round__programme", "application__decision"
    ).get(pk=project.pk)
    application = project.application
    programme = application.funding_round.programme
    answered = ReportCost.objects.filter(report__status__in=ANSWERED)
    latest_cost = answered.filter(budget_line=OuterRef("pk")).order_by(*LATEST_FIRST)
    lines = list(
        BudgetLine.objects.filter(application=application)
        .annotate(spent=_zero(Subquery(latest_cost.values("amount")[:1])))
        .order_by("pk")
    )
    category_labels = _status_labels(BudgetLine.Category.choices)
    categories: dict[str, dict[str, Any]] = {}
    for line in lines:
        line.left = line.amount - line.spent
        line.spent_percent = percent(line.spent, line.amount)
        category = categories.setdefault(
            line.category, {"label": category_labels.get(line.category, line.category), "budget": 0, "spent": 0}
        )
        category["budget"] += line.amount
        category["spent"] += line.spent
    for category in categories.values():
        category["left"] = category["budget"] - category["spent"]
        category["spent_percent"] = percent(category["spent"], category["budget"])
    budget_total = sum(line.amount for line in lines)
    spent_total = sum(line.spent for line in lines)

    latest_value = IndicatorValue.objects.filter(indicator=OuterRef("pk"), report__status__in=ANSWERED).order_by(
        *LATEST_FIRST
    )
    indicators = list(
        Indicator.objects.filter(project=project)
        .select_related("result_goal")
        .annotate(latest=Subquery(latest_value.values("value")[:1]))
        .order_by("result_goal__number", "pk")
    )
    goals: dict[int, dict[str, Any]] = {}
    for indicator in indicators:
        indicator.progress = (
            percent(indicator.latest - indicator.baseline, indicator.target - indicator.baseline)
            if indicator.latest is not None
            else None
        )
        goal = goals.setdefault(indicator.result_goal_id, {"goal": indicator.result_goal, "indicators": []})
        goal["indicators"].append(indicator)

    reports = list(project.reports.filter(status__in=ANSWERED).order_by("submitted_at", "pk"))
    report_status = _status_labels(ProgressReport.Status.choices)
    for report in reports:
        report.status_label = report_status.get(report.status, report.status)
        report.sections = [
            (capfirst(str(ProgressReport._meta.get_field(name).verbose_name)), getattr(report, name))
            for name in ("activities", "went_well", "challenges", "next_steps", "results", "lessons")
            if getattr(report, name).strip()
        ]
    milestone_status = _status_labels(Milestone.Status.choices)
    milestones = list(project.milestones.order_by("due_date", "pk"))
    for milestone in milestones:
        milestone.status_label = milestone_status.get(milestone.status, milestone.status)
    payments = list(project.payments.filter(status=Payment.Status.APPROVED).order_by("decided_at", "pk"))
    decision = getattr(application, "decision", None)
    return {
        "title": _("Project progress report"),
        "subtitle": project.title,
        "publisher": _("%(county)s county authority") % {"county": project.county.name},
        "programme": programme,
        "project": project,
        "status_label": _status_labels(Project.Status.choices).get(project.status, project.status),
        "application": application,
        "decided_at": decision.decided_at if decision and decision.outcome == Decision.Outcome.APPROVED else None,
        "partner_municipalities": list(application.partner_municipalities.order_by("name")),
        "themes": [theme.name for theme in application.themes.all()],
        "money": {
            "granted": project.granted_amount,
            "paid": project.paid_amount,
            "released": project.released_amount,
            "unpaid": project.unpaid,
            "paid_percent": percent(project.paid_amount, project.granted_amount),
        },
        "budget_lines": lines,
        "budget_categories": list(categories.values()),
        "budget_total": budget_total,
        "spent_total": spent_total,
        "left_total": budget_total - spent_total,
        "spent_percent": percent(spent_total, budget_total),
        "milestones": milestones,
        "indicator_goals": list(goals.values()),
        "reports": reports,
        "payments": payments,
    }


def county_report_data(*, county: County, programme: Programme) -> dict[str, Any]:
    """A county authority's report in a programme: frames and money, its kommunar, themes, statuses, overdue
    reports, charts and a list of its projects."""
    account = CountyAccount.objects.filter(county=county, programme=programme).first()
    frames = list(
        county.frames.filter(programme=programme).select_related("funding_round").order_by("granted_on", "pk")
    )
    frame_total = sum(frame.amount for frame in frames)
    granted = account.granted if account else 0
    paid = account.paid if account else 0
    municipalities = municipality_rows(county=county, programme=programme)
    themes = theme_rows(programme=programme, county=county)
    projects = programme_projects(programme).filter(county=county)
    applications = submitted_applications(programme).filter(funding_round__county=county)
    application_labels = _status_labels(Application.Status.choices)
    found = {
        row["status"]: row
        for row in applications.order_by().values("status").annotate(n=Count("pk"), requested=Sum("requested_amount"))
    }
    application_status = [
        {
            "label": label,
            "count": found.get(status, {}).get("n", 0),
            "requested": found.get(status, {}).get("requested") or 0,
        }
        for status, label in application_labels.items()
        if status != Application.Status.DRAFT
    ]
    by_status = status_rows(projects=projects)
    today = timezone.localdate()
    overdue = list(overdue_deadlines(projects=projects))
    for deadline in overdue:
        deadline.days_overdue = (today - deadline.due_on).days
    taking_part = sum(1 for m in municipalities if m.taking_part)
    all_themes = {theme.pk: theme for theme in themes}
    return {
        "title": _("County report"),
        "subtitle": _("%(county)s county authority") % {"county": county.name},
        "publisher": _("%(county)s county authority") % {"county": county.name},
        "programme": programme,
        "county": county,
        "frames": frames,
        "money": {
            "frames": frame_total,
            "granted": granted,
            "paid": paid,
            "free": frame_total - granted,
            "granted_percent": percent(granted, frame_total),
            "paid_percent": percent(paid, granted),
        },
        "applications_count": sum(row["count"] for row in application_status),
        "projects_count": sum(row["count"] for row in by_status),
        "municipalities": municipalities,
        "municipality_totals": {
            "count": len(municipalities),
            "taking_part": taking_part,
            "taking_part_percent": percent(taking_part, len(municipalities)),
            "applications": sum(m.applications_count for m in municipalities),
            "projects": sum(m.projects_count for m in municipalities),
            "granted": sum(m.granted for m in municipalities),
            "paid": sum(m.paid for m in municipalities),
        },
        "themes": themes,
        "project_status": by_status,
        "application_status": application_status,
        "overdue": overdue,
        "charts": [municipality_chart(municipalities), theme_chart(themes)],
        "projects": project_list(projects=projects, themes=all_themes),
    }


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
        f"{name}_{year}": _zero(expression(Q(**{f"{field}__gte": start[year], f"{field}__lt": start[year + 1]})))
        for year in range(first, last + 1)
        for name, expression in sums.items()
    }
    found = rows.aggregate(**aggregates)
    return {year: {name: found[f"{name}_{year}"] for name in sums} for year in range(first, last + 1)}


def _years(programme: Programme, applications: QuerySet[Application] | None = None) -> list[dict[str, Any]]:
    """Applications, projects (approved decisions), granted (as decided) and paid, by year: the programme's
    years, and any other year that has figures; of the programme's submitted applications, or of `applications`
    (and their decisions and payments). Six queries."""
    if applications is None:
        applications = submitted_applications(programme)
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
        for year, figures in _by_year(rows, field, **sums).items():
            if any(figures.values()):
                table[year].update(figures)
    years = sorted(set(range(programme.start_year, programme.end_year + 1)) | set(table))
    return [{"year": year, **table[year]} for year in years]


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


def _result_goal_rows(programme: Programme, projects: QuerySet[Project] | None = None) -> list[dict[str, Any]]:
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


def national_report_data(*, programme: Programme) -> dict[str, Any]:
    """The national evaluation report for the ministry: per county, kommunar taking part, themes and statuses,
    indicators against targets per result goal, year by year, charts, and an appendix of every project."""
    counties = county_rows(programme=programme)
    themes = theme_rows(programme=programme)
    projects = programme_projects(programme)
    all_kommunar = Municipality.objects.valid_on(structure_day(programme)).aggregate(
        total=Count("pk"), taking_part=Count("pk", filter=_taking_part(programme))
    )
    years = _years(programme)
    project_rows = project_list(projects=projects, themes={theme.pk: theme for theme in themes})
    appendix: dict[str, dict[str, Any]] = {}
    for row in project_rows:
        group = appendix.setdefault(row["county_number"], {"county": row["county_name"], "projects": []})
        group["projects"].append(row)
    totals = {
        "frames": sum(c.frame_total for c in counties),
        "granted": sum(c.granted for c in counties),
        "paid": sum(c.paid for c in counties),
        "free": sum(c.free for c in counties),
        "applications": sum(c.applications_count for c in counties),
        "projects": sum(c.projects_count for c in counties),
        "municipality_count": sum(c.municipality_count for c in counties),
        "taking_part": sum(c.taking_part for c in counties),
    }
    totals["taking_part_percent"] = percent(totals["taking_part"], totals["municipality_count"])
    totals["granted_percent"] = percent(totals["granted"], totals["frames"])
    totals["paid_percent"] = percent(totals["paid"], totals["granted"])
    return {
        "title": _("National evaluation report"),
        "subtitle": _("All county authorities, %(start)s–%(end)s")
        % {"start": programme.start_year, "end": programme.end_year},
        "publisher": _("Ministry of Local Government and Regional Development"),
        "programme": programme,
        "result_goals": list(programme.result_goals.order_by("number")),
        "counties": counties,
        "totals": totals,
        "kommunar": {
            "total": all_kommunar["total"],
            "taking_part": all_kommunar["taking_part"],
            "taking_part_percent": percent(all_kommunar["taking_part"], all_kommunar["total"]),
            "structure_year": programme.structure_year,
        },
        "themes": themes,
        "project_status": status_rows(projects=projects),
        "goal_rows": _result_goal_rows(programme),
        "years": years,
        "year_totals": {
            key: sum(year[key] for year in years) for key in ("applications", "projects", "granted", "paid")
        },
        "charts": {
            "counties": county_money_chart(counties),
            "participation": county_participation_chart(counties),
            "themes": theme_chart(themes),
            "years": column_chart(
                id="chart-years",
                title=_("Granted and paid per year"),
                unit="kr",
                categories=[str(year["year"]) for year in years],
                series=[(_("Granted"), [y["granted"] for y in years]), (_("Paid"), [y["paid"] for y in years])],
                category_label=_("Year"),
            ),
        },
        "appendix": list(appendix.values()),
        "project_count": len(project_rows),
    }


# The dashboards: the reports' figures, filtered, and regrouped under today's counties.

TODAY_STRUCTURE_YEAR = 2024


def year_rows(*, programme: Programme, year: int | None = None, theme: Theme | None = None) -> list[dict[str, Any]]:
    """The national report's year-by-year table; with `theme`, of the applications under it; with `year`, that
    year's row. Six queries."""
    rows = _years(programme, filtered_applications(programme=programme, theme=theme) if theme else None)
    return [row for row in rows if row["year"] == year] if year is not None else rows


def result_goal_rows(*, programme: Programme, projects: QuerySet[Project] | None = None) -> list[dict[str, Any]]:
    """The national report's indicators summed per result goal, of `projects` if given. Three queries."""
    return _result_goal_rows(programme, projects)


def filtered_projects(
    *, programme: Programme, year: int | None = None, theme: Theme | None = None
) -> QuerySet[Project]:
    """The programme's projects starting in `year` and under `theme`: what /prosjekt/?year=…&theme=… lists."""
    projects = programme_projects(programme)
    if year is not None:
        projects = projects.filter(period_start__year=year)
    if theme is not None:
        projects = projects.filter(
            Exists(Application.themes.through.objects.filter(application_id=OuterRef("application_id"), theme=theme))
        )
    return projects


def filtered_applications(
    *, programme: Programme, year: int | None = None, theme: Theme | None = None
) -> QuerySet[Application]:
    """Submitted applications to rounds opened in `year`, under `theme`: what /soknader/?year=…&themes=… lists."""
    applications = submitted_applications(programme)
    if year is not None:
        applications = applications.filter(funding_round__opens_at__year=year)
    if theme is not None:
        applications = applications.filter(
            Exists(Application.themes.through.objects.filter(application_id=OuterRef("pk"), theme=theme))
        )
    return applications


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


def today_county_map() -> dict[int, int]:
    """Every kommune (any version) -> the county its successor(s) belong to in today's structure, following SSB's
    change list. Where a kommune was split across counties, the county that got most of it (then the lowest
    number). Two queries, then a walk in Python."""
    kommunar = {
        pk: (county_id, valid_to)
        for pk, county_id, valid_to in Municipality.objects.values_list("pk", "county_id", "valid_to")
    }
    successors: dict[int, list[int]] = defaultdict(list)
    for old, new in MunicipalityChange.objects.values_list("old_id", "new_id"):
        successors[old].append(new)
    found: dict[int, int] = {}

    def current_of(pk: int) -> list[int]:
        seen, frontier, current = set(), [pk], []
        while frontier:
            one = frontier.pop()
            if one in seen or one not in kommunar:
                continue
            seen.add(one)
            if kommunar[one][1] is None:
                current.append(one)
            else:
                frontier.extend(successors.get(one, []))
        return current

    for pk in kommunar:
        counties = [kommunar[one][0] for one in current_of(pk)]
        if counties:
            found[pk] = max(sorted(set(counties)), key=counties.count)
        else:
            found[pk] = kommunar[pk][0]  # no successor known: stays where it was
    return found


def county_rows_today(*, programme: Programme, counties: list[County], figures: dict[Any, dict]) -> list[County]:
    """The figures of `county_rows` summed under today's county authorities: kommunar, taking part, projects,
    granted, paid and applications by each kommune's successor; frames with the county that most of the old
    county's kommunar went to (a frame belongs to a county authority, not to a kommune).

    `figures` are by lead kommune (figures_by(..., key="lead_municipality")). Five queries."""
    where = today_county_map()
    today = list(County.objects.valid_on(datetime.date(TODAY_STRUCTURE_YEAR, 1, 1)).order_by("number"))
    rows = {county.pk: county for county in today}
    for county in today:
        county.frame_total = county.granted = county.paid = 0
        county.applications_count = county.projects_count = county.municipality_count = county.taking_part = 0
    moved: dict[int, list[int]] = defaultdict(list)
    for pk, county_id, taking_part in (
        Municipality.objects.valid_on(structure_day(programme))
        .annotate(taking=ExpressionWrapper(_taking_part(programme), output_field=BooleanField()))
        .values_list("pk", "county_id", "taking")
    ):
        row = rows.get(where.get(pk, county_id))
        if row is None:
            continue
        moved[county_id].append(row.pk)
        row.municipality_count += 1
        row.taking_part += bool(taking_part)
    for kommune_id, figure in figures.items():
        row = rows.get(where.get(kommune_id))
        if row is not None:
            for name in ("projects_count", "granted", "paid", "applications_count"):
                setattr(row, name, getattr(row, name) + figure[name])
    for old in counties:
        targets = moved.get(old.pk) or [old.pk]
        target = rows.get(max(sorted(set(targets)), key=targets.count))
        if target is not None:
            target.frame_total += old.frame_total
    result = [row for row in today if row.is_county_authority]  # as county_rows: Oslo is no county authority
    for county in result:
        county.free = county.frame_total - county.granted
        county.taking_part_percent = percent(county.taking_part, county.municipality_count)
        county.granted_percent = percent(county.granted, county.frame_total)
    return result


def years_chart(years: list[dict[str, Any]]) -> Chart:
    return column_chart(
        id="chart-years",
        title=_("Granted and paid per year"),
        unit="kr",
        categories=[str(year["year"]) for year in years],
        series=[(_("Granted"), [y["granted"] for y in years]), (_("Paid"), [y["paid"] for y in years])],
        category_label=_("Year"),
    )
