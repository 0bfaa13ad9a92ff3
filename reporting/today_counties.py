"""The national figures regrouped under today's county authorities (the 2024 structure): each kommune's figures go
to the county its successors belong to today, each frame to the county that got most of the old county's kommunar.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper

from programmes.models import County, Municipality, MunicipalityChange, Programme
from programmes.selectors import structure_day

from .figures import county_shares, takes_part

TODAY_STRUCTURE_YEAR = 2024


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
        .annotate(taking=ExpressionWrapper(takes_part(programme), output_field=BooleanField()))
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
        county_shares(county)
    return result
