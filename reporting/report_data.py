"""What the PDF reports show: the whole template context of each report, read in a fixed number of queries.

A selector module (read only). Every figure a report shares with the dashboards is read from figures.py; what
is here is each report's own layout of them, and the project report's budget, indicators and narratives. The
report job calls these inside `translation.override(job.language)`, so every label made here is already in the
report's language; the job adds `generated_at` and `language`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from applications.models import (
    Application,
    BudgetLine,
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
from programmes.models import County, Programme

from . import charts, figures
from .figures import ANSWERED, LATEST_FIRST, percent, status_labels

# The project report


def _budget(application: Application) -> dict[str, Any]:
    """The budget lines against the latest costs reported on them, by line, by category and in all."""
    answered = ReportCost.objects.filter(report__status__in=ANSWERED)
    latest_cost = answered.filter(budget_line=OuterRef("pk")).order_by(*LATEST_FIRST)
    lines = list(
        BudgetLine.objects.filter(application=application)
        .annotate(spent=figures.zero(Subquery(latest_cost.values("amount")[:1])))
        .order_by("pk")
    )
    category_labels = status_labels(BudgetLine.Category.choices)
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
    return {
        "budget_lines": lines,
        "budget_categories": list(categories.values()),
        "budget_total": budget_total,
        "spent_total": spent_total,
        "left_total": budget_total - spent_total,
        "spent_percent": percent(spent_total, budget_total),
    }


def _indicator_goals(project: Project) -> list[dict[str, Any]]:
    """The project's indicators, latest reported value against baseline and target, under their result goals."""
    latest_value = IndicatorValue.objects.filter(indicator=OuterRef("pk"), report__status__in=ANSWERED).order_by(
        *LATEST_FIRST
    )
    indicators = (
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
    return list(goals.values())


def _narratives(project: Project) -> list[ProgressReport]:
    """The project's submitted and approved reports, each with its status and the sections it has text in."""
    reports = list(project.reports.filter(status__in=ANSWERED).order_by("submitted_at", "pk"))
    report_status = status_labels(ProgressReport.Status.choices)
    for report in reports:
        report.status_label = report_status.get(report.status, report.status)
        report.sections = [
            (capfirst(str(ProgressReport._meta.get_field(name).verbose_name)), getattr(report, name))
            for name in ("activities", "went_well", "challenges", "next_steps", "results", "lessons")
            if getattr(report, name).strip()
        ]
    return reports


def _milestones(project: Project) -> list[Any]:
    milestone_status = status_labels(Milestone.Status.choices)
    milestones = list(project.milestones.order_by("due_date", "pk"))
    for milestone in milestones:
        milestone.status_label = milestone_status.get(milestone.status, milestone.status)
    return milestones


def project_report_data(*, project: Project) -> dict[str, Any]:
    """One project's progress report: facts, budget against costs, milestones, indicators against targets, and
    the narratives of its submitted and approved reports. Nothing internal: a coordinator may read it."""
    project = Project.objects.select_related(
        "county", "lead_municipality", "application__funding_round__programme", "application__decision"
    ).get(pk=project.pk)
    application = project.application
    budget = _budget(application)
    decision = getattr(application, "decision", None)
    return {
        "title": _("Project progress report"),
        "subtitle": project.title,
        "publisher": _("%(county)s county authority") % {"county": project.county.name},
        "programme": application.funding_round.programme,
        "project": project,
        "status_label": status_labels(Project.Status.choices).get(project.status, project.status),
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
        **budget,
        "milestones": _milestones(project),
        "indicator_goals": _indicator_goals(project),
        "reports": _narratives(project),
        "payments": list(project.payments.filter(status=Payment.Status.APPROVED).order_by("decided_at", "pk")),
    }


# The county report


def _county_money(money: dict[str, Any]) -> dict[str, Any]:
    """The county's money as the report shows it: frames, granted, paid and free, and the shares."""
    frame_total, account = money["frame_total"], money["account"]
    granted = account.granted if account else 0
    paid = account.paid if account else 0
    return {
        "frames": frame_total,
        "granted": granted,
        "paid": paid,
        "free": frame_total - granted,
        "granted_percent": percent(granted, frame_total),
        "paid_percent": percent(paid, granted),
    }


def _overdue(projects: Any) -> list[Any]:
    today = timezone.localdate()
    overdue = list(overdue_deadlines(projects=projects))
    for deadline in overdue:
        deadline.days_overdue = (today - deadline.due_on).days
    return overdue


def county_report_data(*, county: County, programme: Programme) -> dict[str, Any]:
    """A county authority's report in a programme: frames and money, its kommunar, themes, statuses, overdue
    reports, charts and a list of its projects."""
    money = figures.county_money(county=county, programme=programme)
    municipalities = figures.municipality_rows(county=county, programme=programme)
    themes = figures.theme_rows(programme=programme, county=county)
    projects = figures.programme_projects(programme).filter(county=county)
    applications = figures.submitted_applications(programme).filter(funding_round__county=county)
    application_status = figures.application_status_rows(applications=applications)
    by_status = figures.status_rows(projects=projects)
    return {
        "title": _("County report"),
        "subtitle": _("%(county)s county authority") % {"county": county.name},
        "publisher": _("%(county)s county authority") % {"county": county.name},
        "programme": programme,
        "county": county,
        "frames": money["frames"],
        "money": _county_money(money),
        "applications_count": sum(row["count"] for row in application_status),
        "projects_count": sum(row["count"] for row in by_status),
        "municipalities": municipalities,
        "municipality_totals": figures.municipality_totals(municipalities),
        "themes": themes,
        "project_status": by_status,
        "application_status": application_status,
        "overdue": _overdue(projects),
        "charts": [charts.municipality_chart(municipalities), charts.theme_chart(themes)],
        "projects": figures.project_rows(projects=projects, themes={theme.pk: theme for theme in themes}),
    }


# The national report


def _appendix(project_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The projects under their counties, in the rows' order."""
    appendix: dict[str, dict[str, Any]] = {}
    for row in project_rows:
        group = appendix.setdefault(row["county_number"], {"county": row["county_name"], "projects": []})
        group["projects"].append(row)
    return list(appendix.values())


def _national_totals(counties: list[Any]) -> dict[str, Any]:
    """The county rows' totals, under the names the report's template gives them."""
    totals = figures.county_totals(counties)
    renamed = {"frame_total": "frames", "applications_count": "applications", "projects_count": "projects"}
    return {renamed.get(name, name): value for name, value in totals.items()}


def national_report_data(*, programme: Programme) -> dict[str, Any]:
    """The national evaluation report for the ministry: per county, kommunar taking part, themes and statuses,
    indicators against targets per result goal, year by year, charts, and an appendix of every project."""
    counties = figures.county_rows(programme=programme)
    themes = figures.theme_rows(programme=programme)
    projects = figures.programme_projects(programme)
    years = figures.year_rows(programme=programme)
    project_rows = figures.project_rows(projects=projects, themes={theme.pk: theme for theme in themes})
    return {
        "title": _("National evaluation report"),
        "subtitle": _("All county authorities, %(start)s–%(end)s")
        % {"start": programme.start_year, "end": programme.end_year},
        "publisher": _("Ministry of Local Government and Regional Development"),
        "programme": programme,
        "result_goals": list(programme.result_goals.order_by("number")),
        "counties": counties,
        "totals": _national_totals(counties),
        "kommunar": {
            **figures.kommunar_taking_part(programme=programme),
            "structure_year": programme.structure_year,
        },
        "themes": themes,
        "project_status": figures.status_rows(projects=projects),
        "goal_rows": figures.result_goal_rows(programme=programme),
        "years": years,
        "year_totals": figures.year_totals(years),
        "charts": {
            "counties": charts.county_money_chart(counties),
            "participation": charts.county_participation_chart(counties),
            "themes": charts.theme_chart(themes),
            "years": charts.years_chart(years),
        },
        "appendix": _appendix(project_rows),
        "project_count": len(project_rows),
    }
