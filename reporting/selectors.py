"""What the start pages and dashboards read, each in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from applications.models import Project
from applications.permissions import applications_visible_to
from programmes.models import County, CountyFrame, FundingRound, Municipality, Programme
from programmes.selectors import municipalities_of_county, rounds_open, structure_day


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
