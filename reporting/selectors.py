"""What the start pages and dashboards read, each in a fixed number of queries."""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.utils import timezone

from applications.models import CaseEvent, Payment, ProgressReport, Project, ReportDeadline
from applications.permissions import applications_visible_to
from programmes.models import County, FundingRound, Municipality, Programme, Theme
from programmes.permissions import counties_visible_to
from programmes.selectors import municipalities_of_county, programme_current, rounds_open, structure_day

from . import charts, figures, today_counties
from .models import ReportJob, ReportJobEvent


def county_overview(*, county: County, programme: Programme | None) -> dict[str, Any]:
    """The county's frames, kommunar and rounds."""
    rounds = list(county.rounds.filter(programme=programme).order_by("-opens_at"))
    return {
        "county": county,
        "programme": programme,
        **figures.county_money(county=county, programme=programme),
        "municipalities": list(municipalities_of_county(county=county, programme=programme)),
        "rounds": rounds,
    }


def municipality_overview(*, municipality: Municipality, programme: Programme | None, user: Any) -> dict[str, Any]:
    """The kommune, its county, the rounds open to it, and who carries it on today."""
    rounds = FundingRound.objects.filter(
        kind=FundingRound.Kind.MUNICIPAL, county_id=municipality.county_id, programme=programme
    )
    return {
        "municipality": municipality,
        "county": municipality.county,
        "programme": programme,
        "open_rounds": list(rounds_open(rounds=rounds)),
        "applications": list(
            # Partner kommunar can be in any county: only the cases this person may see.
            applications_visible_to(user)
            .filter(Q(lead_municipality=municipality) | Q(partner_municipalities=municipality))
            .distinct()
            .select_related("funding_round", "lead_municipality")
            .order_by("-updated_at")[:50]
        ),
        "successors": [m for m in municipality.current_successors() if m.pk != municipality.pk],
        "projects": list(
            Project.objects.filter(lead_municipality=municipality)
            .annotate(
                next_due=Min("deadlines__due_on", filter=~Q(deadlines__reports__status__in=["submitted", "approved"]))
            )
            .order_by("status", "-created_at")
        ),
    }


# The dashboards: the reports' figures (figures.py), with the dashboard's filters, each figure linked to its list.


def _list_query(**params: Any) -> str:
    """The query string of a filtered list, without the empty filters."""
    return urlencode({key: value.pk if hasattr(value, "pk") else value for key, value in params.items() if value})


def _theme_rows(*, programme: Programme, county: County | None, year: int | None, theme: Theme | None) -> list[Theme]:
    """The themes (only `theme`, if given), each with its lists."""
    themes = figures.theme_rows(programme=programme, county=county, year=year)
    if theme is not None:
        themes = [row for row in themes if row.pk == theme.pk]
    for row in themes:
        row.links = {
            "projects": _list_query(theme=row.pk, year=year),
            "applications": _list_query(themes=row.pk, year=year),
        }
    return themes


def _status_rows(*, projects: QuerySet[Project], year: int | None, theme: Theme | None) -> list[dict[str, Any]]:
    statuses = figures.status_rows(projects=projects)
    for row in statuses:
        row["link"] = _list_query(status=row["status"], theme=theme, year=year)
    return statuses


def _national_counties(
    *, programme: Programme, year: int | None, theme: Theme | None, today: bool
) -> tuple[list[County], QuerySet[Project]]:
    """The county rows (in the programme's structure, or summed under today's counties), narrowed by `year` and
    `theme`, each with its lists; and the projects they count."""
    counties = figures.county_rows(programme=programme)
    projects = figures.filtered_projects(programme=programme, year=year, theme=theme)
    applications = figures.filtered_applications(programme=programme, year=year, theme=theme)
    if today:
        by_kommune = figures.figures_by(projects, applications, key="lead_municipality")
        counties = today_counties.county_rows_today(programme=programme, counties=counties, figures=by_kommune)
    elif year is not None or theme is not None:
        figures.narrow(counties, figures.figures_by(projects, applications, key="county"))
        for county in counties:
            figures.county_shares(county)
    for county in counties:
        county.links = (
            None
            if today
            else {
                "projects": _list_query(county=county.pk, theme=theme, year=year),
                "applications": _list_query(county=county.pk, themes=theme, year=year),
                "payments": _list_query(county=county.pk),
            }
        )
    return counties, projects


def _national_years(*, programme: Programme, year: int | None, theme: Theme | None) -> list[dict[str, Any]]:
    years = figures.year_rows(programme=programme, year=year, theme=theme)
    for row in years:  # each figure down to its cases: submitted, granted and paid that year
        row["links"] = {
            "applications": _list_query(submitted=row["year"], themes=theme),
            "projects": _list_query(granted_year=row["year"], theme=theme),
            # The payment register has no theme filter: with a theme, the paid figure has no list of its own.
            "payments": None if theme else _list_query(decided_year=row["year"], status="approved"),
        }
    return years


def _national_totals(counties: list[County], *, year: int | None, theme: Theme | None) -> dict[str, Any]:
    totals = figures.county_totals(counties)
    totals["links"] = {
        "applications": _list_query(themes=theme, year=year),
        "projects": _list_query(theme=theme, year=year),
        # The payment register filters neither by theme nor by the project's start: only unfiltered.
        "payments": None if year is not None or theme is not None else _list_query(status="approved"),
    }
    return totals


def national_dashboard(
    *,
    programme: Programme | None,
    year: int | None = None,
    theme: Theme | None = None,
    structure: str = "2010",
) -> dict[str, Any]:
    """Everything the ministry's dashboard shows, in the same figures as the national report: key figures, a row
    per county authority (in the programme's structure, or summed under today's counties), themes, statuses,
    years, indicators per result goal, and the charts. A fixed number of queries, whatever the data's size.

    `year` and `theme` narrow the projects and applications (as the lists' filters do), and with them the
    themes, statuses, years (the year's row; the theme's applications) and result goals (the projects' indicators);
    frames and kommunar taking part are the whole programme's."""
    if programme is None:
        return {"programme": None}
    filtered = year is not None or theme is not None
    today = structure == str(today_counties.TODAY_STRUCTURE_YEAR)
    counties, projects = _national_counties(programme=programme, year=year, theme=theme, today=today)
    themes = _theme_rows(programme=programme, county=None, year=year, theme=theme)
    years = _national_years(programme=programme, year=year, theme=theme)
    goal_rows = figures.result_goal_rows(programme=programme, projects=projects if filtered else None)
    for row in goal_rows:
        row["link"] = _list_query(result_goal=row["goal"].pk, theme=theme, year=year)
    return {
        "programme": programme,
        "filtered": filtered,
        "today_structure": today,
        "structure_year": today_counties.TODAY_STRUCTURE_YEAR if today else programme.structure_year,
        "counties": counties,
        "totals": _national_totals(counties, year=year, theme=theme),
        "themes": themes,
        "project_status": _status_rows(projects=projects, year=year, theme=theme),
        "years": years,
        "year_totals": figures.year_totals(years),
        "goal_rows": goal_rows,
        "charts": [
            charts.county_money_chart(counties),
            charts.county_participation_chart(counties),
            charts.theme_chart(themes),
            charts.years_chart(years),
        ],
    }


def _county_municipalities(
    *, county: County, programme: Programme, year: int | None, theme: Theme | None
) -> list[Municipality]:
    """The county's kommune rows, narrowed by `year` and `theme`, each with its lists."""
    municipalities = figures.municipality_rows(county=county, programme=programme)
    filtered = year is not None or theme is not None
    if filtered:
        projects = figures.filtered_projects(programme=programme, year=year, theme=theme).filter(county=county)
        applications = figures.filtered_applications(programme=programme, year=year, theme=theme).filter(
            funding_round__county=county
        )
        figures.narrow(municipalities, figures.figures_by(projects, applications, key="lead_municipality"))
    for municipality in municipalities:
        municipality.links = {
            "projects": _list_query(lead_municipality=municipality.pk, theme=theme, year=year),
            "applications": _list_query(lead_municipality=municipality.pk, themes=theme, year=year),
            # The payment register filters neither by theme nor by the project's start: only unfiltered.
            "payments": None if filtered else _list_query(kommune=municipality.pk, status="approved"),
        }
    return municipalities


def county_dashboard(
    *, county: County, programme: Programme | None, year: int | None = None, theme: Theme | None = None
) -> dict[str, Any]:
    """A county's dashboard: its money and frames, a row per kommune (with the report's figures, narrowed by
    `year` and `theme` as the lists filter), themes, project statuses and the charts. A fixed number of queries."""
    context = county_overview(county=county, programme=programme)
    if programme is None:
        return context
    municipalities = _county_municipalities(county=county, programme=programme, year=year, theme=theme)
    projects = figures.filtered_projects(programme=programme, year=year, theme=theme).filter(county=county)
    themes = _theme_rows(programme=programme, county=county, year=year, theme=theme)
    context.update(
        {
            # The county's own lists (the ministry's lists hold every county; the county's staff see theirs).
            "county_query": _list_query(county=county.pk),
            "paid_query": _list_query(county=county.pk, status="approved"),
            "filtered": year is not None or theme is not None,
            "municipality_rows": municipalities,
            "municipality_totals": figures.municipality_totals(municipalities),
            "themes": themes,
            "project_status": _status_rows(projects=projects, year=year, theme=theme),
            "charts": [charts.municipality_chart(municipalities), charts.theme_chart(themes)],
        }
    )
    return context


def municipality_dashboard(*, municipality: Municipality, programme: Programme | None, user: Any) -> dict[str, Any]:
    """The kommune page: its cases, projects, the reports due (with dates) and its payments. Fixed queries."""
    context = municipality_overview(municipality=municipality, programme=programme, user=user)
    led = Project.objects.filter(lead_municipality=municipality)
    context["reports_due"] = list(
        ReportDeadline.objects.filter(project__in=led, project__status=Project.Status.ACTIVE)
        .exclude(reports__status__in=[ProgressReport.Status.SUBMITTED, ProgressReport.Status.APPROVED])
        .select_related("project")
        .order_by("due_on", "pk")
        .distinct()[:50]
    )
    context["payments"] = list(
        Payment.objects.filter(project__in=led).select_related("project").order_by("-requested_at", "pk")[:50]
    )
    context["today"] = timezone.localdate()
    context["lists"] = {
        "applications": _list_query(lead_municipality=municipality.pk),
        "projects": _list_query(lead_municipality=municipality.pk),
        "payments": _list_query(kommune=municipality.pk),
    }
    return context


# Report jobs

# Raise when a report's layout or content changes, so that files made by the old code are not served again.
REPORT_FORMAT = 1

# Per table: how its rows reach a county, and how they reach a project (None: not part of a project's report).
_STAMP_SOURCES: tuple[tuple[str, str, str, str | None, tuple[str, ...]], ...] = (
    # (app label, model, path to the county id, path to the project id, fields to sum)
    ("applications", "HistoricalApplication", "funding_round__county_id", None, ()),
    ("applications", "HistoricalBudgetLine", "application__funding_round__county_id", None, ()),
    ("applications", "HistoricalProject", "county_id", "id", ()),
    ("applications", "HistoricalMilestone", "project__county_id", "project_id", ()),
    ("applications", "HistoricalIndicator", "project__county_id", "project_id", ()),
    ("applications", "HistoricalProgressReport", "project__county_id", "project_id", ()),
    ("applications", "HistoricalPayment", "project__county_id", "project_id", ()),
    ("programmes", "HistoricalCountyFrame", "county_id", None, ()),
    ("programmes", "HistoricalCountyAccount", "county_id", None, ()),
    # Tables without history, or written in bulk (the national demo data): their size and sums.
    ("applications", "Project", "county_id", "id", ("granted_amount", "paid_amount", "released_amount")),
    ("applications", "ProgressReport", "project__county_id", "project_id", ()),
    ("applications", "IndicatorValue", "report__project__county_id", "report__project_id", ("value",)),
    ("applications", "ReportCost", "report__project__county_id", "report__project_id", ("amount",)),
    ("applications", "Payment", "project__county_id", "project_id", ("amount",)),
)


def report_stamp(*, kind: str, programme: Programme, county: County | None = None, project: Any = None) -> str:
    """A fingerprint of everything a report is made from: equal fingerprints mean the report would not change.

    Every change to the cases goes through a service and leaves a history row or a timeline entry; the
    fingerprint takes, per table in the report's scope, the row count, the newest id and the sums of money and
    values. A fixed number of small aggregate queries, whatever the size of the data.
    """
    figures: list[Any] = [REPORT_FORMAT, kind, programme.pk, county.pk if county else None]
    events = CaseEvent.objects.all()
    if project is not None:
        figures.append(project.pk)
        events = events.filter(Q(project=project) | Q(application_id=project.application_id))
    elif county is not None:
        events = events.filter(
            Q(application__funding_round__county=county) | Q(project__county=county) | Q(county_plan__county=county)
        )
    figures.append(sorted(events.aggregate(n=Count("pk"), last=Max("pk")).items()))
    for app_label, model_name, county_path, project_path, sums in _STAMP_SOURCES:
        model = apps.get_model(app_label, model_name)
        rows = model.objects.all()
        if project is not None:
            if project_path is None:
                continue
            rows = rows.filter(**{project_path: project.pk})
        elif county is not None:
            rows = rows.filter(**{county_path: county.pk})
        key = "history_id" if model_name.startswith("Historical") else "pk"
        aggregates = {"n": Count(key), "last": Max(key), **{field: Sum(field) for field in sums}}
        figures.append([model_name, sorted(rows.aggregate(**aggregates).items())])
    if project is not None:
        # The budget lines and events of the application the project came from.
        budget = apps.get_model("applications", "HistoricalBudgetLine").objects.filter(
            application_id=project.application_id
        )
        figures.append(sorted(budget.aggregate(n=Count("history_id"), last=Max("history_id")).items()))
    return hashlib.sha256(json.dumps(figures, default=str).encode()).hexdigest()


def report_jobs_of(*, user: Any) -> QuerySet[ReportJob]:
    """The report jobs this person asked for, newest first."""
    return ReportJob.objects.filter(requested_by=user).select_related("county", "project", "programme")


def report_job_timeline(*, job: ReportJob) -> list[ReportJobEvent]:
    return list(job.events.select_related("by"))


def counties_for_reports(*, user: Any) -> list[County]:
    """The county authorities whose county report this person may ask for."""
    programme = programme_current()
    day = structure_day(programme) if programme else None
    counties = counties_visible_to(user).filter(is_county_authority=True)
    if day is not None:
        counties = counties.valid_on(day)
    return list(counties.order_by("number"))


def report_file_name(*, job: ReportJob) -> str:
    """The name the PDF is saved under on the asker's machine, e.g. LUK-fylkesrapport-17-2026-11-25-nn.pdf."""
    what = {
        ReportJob.Kind.PROJECT: f"prosjektrapport-{job.project_id}",
        ReportJob.Kind.COUNTY: f"fylkesrapport-{job.county.number if job.county else ''}",
        ReportJob.Kind.NATIONAL: "evalueringsrapport",
    }[job.kind]
    made = (job.finished_at or job.created_at).date().isoformat()
    return f"LUK-{what}-{made}-{job.language}.pdf"
