"""What the start pages and dashboards read, each in a fixed number of queries."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.apps import apps
from django.db.models import Count, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from applications.models import CaseEvent, Project
from applications.permissions import applications_visible_to
from programmes.models import County, CountyFrame, FundingRound, Municipality, Programme
from programmes.permissions import counties_visible_to
from programmes.selectors import municipalities_of_county, programme_current, rounds_open, structure_day

from .models import ReportJob, ReportJobEvent


def national_overview(*, programme: Programme | None) -> dict[str, Any]:
    """Per county authority in the programme's structure: its frames; nationally: their sum."""
    if programme is None:
        return {"programme": None, "counties": [], "frame_total": 0, "result_goals": [], "themes": []}
    day = structure_day(programme)
    frames = (
        CountyFrame.objects.filter(programme=programme, county=OuterRef("pk"))
        .values("county")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    kommunar = (
        Municipality.objects.valid_on(day)
        .filter(county=OuterRef("pk"))
        .values("county")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # Subqueries, not joins: a join of frames and kommunar would multiply each sum by the other's rows.
    counties = list(
        County.objects.valid_on(day)
        .filter(is_county_authority=True)
        .annotate(
            frame_total=Coalesce(Subquery(frames), 0),
            municipality_count=Coalesce(Subquery(kommunar), 0),
        )
        .order_by("number")
    )
    return {
        "programme": programme,
        "counties": counties,
        "frame_total": sum(county.frame_total for county in counties),
        "result_goals": list(programme.result_goals.all()),
        "themes": list(programme.themes.all()),
    }


def county_overview(*, county: County, programme: Programme | None) -> dict[str, Any]:
    """The county's frames, kommunar and rounds."""
    frames = list(county.frames.filter(programme=programme).select_related("funding_round"))
    account = county.accounts.filter(programme=programme).first()
    rounds = list(county.rounds.filter(programme=programme).order_by("-opens_at"))
    return {
        "county": county,
        "programme": programme,
        "frames": frames,
        "frame_total": sum(frame.amount for frame in frames),
        "account": account,
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
