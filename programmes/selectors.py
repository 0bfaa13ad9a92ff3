"""The read side of programme data: what pages and reports show of programmes, rounds and frames."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet, Sum
from django.utils import timezone

from .models import County, CountyFrame, FundingRound, Municipality, Programme


def programme_current() -> Programme | None:
    """The programme the portal shows by default: the most recent one."""
    return Programme.objects.order_by("-start_year").first()


def structure_day(programme: Programme | None) -> datetime.date:
    """The day whose fylke and kommunar a programme works in (1 January of its structure year)."""
    year = programme.structure_year if programme else timezone.localdate().year
    return datetime.date(year, 1, 1)


def municipalities_of_county(*, county: County, programme: Programme | None) -> QuerySet[Municipality]:
    """The county's kommunar as they were in the programme's structure year."""
    return county.municipalities.valid_on(structure_day(programme)).order_by("number")


def frame_total(*, frames: QuerySet[CountyFrame]) -> int:
    return frames.aggregate(total=Sum("amount"))["total"] or 0


def rounds_open(*, rounds: QuerySet[FundingRound]) -> QuerySet[FundingRound]:
    now = timezone.now()
    return rounds.filter(opens_at__lte=now, deadline__gte=now)


def letter_language(*, municipality: Municipality) -> str:
    """The language of documents sent to a kommune (språklova § 13): bokmål where the kommune has chosen
    bokmål, else nynorsk (also where it is neutral or unknown). A 2010 kommune is judged by its successors
    today; if they disagree, nynorsk."""
    forms = {m.language_form for m in municipality.current_successors()}
    return "nb" if forms == {Municipality.LanguageForm.BOKMAL} else "nn"
