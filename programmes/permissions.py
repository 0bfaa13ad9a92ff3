"""Who may see and change what in the programme's structure. Every view, list and service asks here.

The rules (DESIGN.md, "Access rules"): a coordinator sees its own kommunar; county staff see everything of
their own county authority and its kommunar; the ministry sees everything, and changes only programme
set-up and county plans. Another party's object answers 404, so ids reveal nothing; an object one may see
but not change answers 403.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from luk_portal import data_version

from .models import County, CountyFrame, FundingRound, Membership, Municipality

Role = Membership.Role
MEMBERSHIPS_KEPT_SECONDS = 60


@dataclass(frozen=True)
class Scope:
    """A person's active memberships, boiled down to the ids that decide access."""

    ministry: bool
    officer_county_ids: frozenset[int]
    decision_county_ids: frozenset[int]
    municipality_ids: frozenset[int]
    coordinator_county_ids: frozenset[int]

    @property
    def staff_county_ids(self) -> frozenset[int]:
        """The counties the person works in, as case officer or decision-maker."""
        return self.officer_county_ids | self.decision_county_ids

    @property
    def is_empty(self) -> bool:
        return not (self.ministry or self.staff_county_ids or self.municipality_ids)


EMPTY_SCOPE = Scope(False, frozenset(), frozenset(), frozenset(), frozenset())


def scope_of(user: Any) -> Scope:
    """The person's scope, computed once per user object (from memberships_of: one query for both)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_luk_scope", None)
    if cached is not None:
        return cached
    rows = memberships_of(user)
    scope = Scope(
        ministry=any(m.role == Role.MINISTRY_ADVISER for m in rows),
        officer_county_ids=frozenset(m.county_id for m in rows if m.role == Role.CASE_OFFICER),
        decision_county_ids=frozenset(m.county_id for m in rows if m.role == Role.DECISION_MAKER),
        municipality_ids=frozenset(m.municipality_id for m in rows if m.role == Role.COORDINATOR),
        coordinator_county_ids=frozenset(m.municipality.county_id for m in rows if m.role == Role.COORDINATOR),
    )
    user._luk_scope = scope
    return scope


def members(**holding: Any) -> QuerySet[Membership]:
    """The active memberships holding a role somewhere (`role=`, `role__in=`, `county_id=`, `municipality=`), with
    their people: who a step in the grant cycle waits for."""
    return Membership.objects.filter(is_active=True, **holding).select_related("user")


def is_programme_staff(user: Any) -> bool:
    """Ministry advisers and county staff: the people who decide on money and read others' cases."""
    scope = scope_of(user)
    return scope.ministry or bool(scope.staff_county_ids)


def access_key(user: Any) -> tuple[Any, ...]:
    """What the person may see, as a key for what is kept per person (their work queue): it changes when their
    memberships do."""
    scope = scope_of(user)
    return tuple(
        sorted(value) if isinstance(value, frozenset) else value
        for value in (getattr(scope, field.name) for field in dataclasses.fields(scope))
    )


def memberships_of(user: Any) -> list[Membership]:
    """The person's active memberships with their places, for the header, the start page and the scope; read
    once per user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_luk_memberships", None)
    if cached is None:
        # Kept across requests while the data is unchanged (a membership's every change writes a history row,
        # which changes the stamp), and for a minute at most.
        cached = user._luk_memberships = data_version.kept(
            "memberships",
            (user.pk,),
            lambda: list(
                Membership.objects.filter(user=user, is_active=True)
                .select_related("county", "municipality", "municipality__county")
                .order_by("role", "county__number", "municipality__number")
            ),
            seconds=MEMBERSHIPS_KEPT_SECONDS,
        )
    return cached


# Yes/no checks


def is_ministry(user: Any) -> bool:
    return scope_of(user).ministry


def can_grant_frames(user: Any) -> bool:
    """The ministry grants the county authorities their frames."""
    return scope_of(user).ministry


def is_coordinator(user: Any) -> bool:
    return bool(scope_of(user).municipality_ids)


def is_case_officer(user: Any) -> bool:
    return bool(scope_of(user).officer_county_ids)


def is_decision_maker(user: Any) -> bool:
    return bool(scope_of(user).decision_county_ids)


def is_county_staff(user: Any) -> bool:
    return bool(scope_of(user).staff_county_ids)


def can_apply_to_round(user: Any, funding_round: FundingRound) -> bool:
    """A coordinator of a kommune in the round's county may apply to it (whether the round is open is not asked)."""
    return funding_round.county_id in scope_of(user).coordinator_county_ids


def can_view_county(user: Any, county: County) -> bool:
    scope = scope_of(user)
    return scope.ministry or county.pk in scope.staff_county_ids


def can_view_municipality(user: Any, municipality: Municipality) -> bool:
    scope = scope_of(user)
    return (
        scope.ministry or municipality.county_id in scope.staff_county_ids or municipality.pk in scope.municipality_ids
    )


def can_change_round(user: Any, funding_round: FundingRound) -> bool:
    """County case officers run their county's municipal rounds; the ministry runs the national rounds."""
    scope = scope_of(user)
    if funding_round.kind == FundingRound.Kind.MUNICIPAL:
        return funding_round.county_id in scope.officer_county_ids
    return scope.ministry


def can_open_municipal_round(user: Any, county: County) -> bool:
    return county.pk in scope_of(user).officer_county_ids


# List scoping


def counties_visible_to(user: Any) -> QuerySet[County]:
    scope = scope_of(user)
    if scope.ministry:
        return County.objects.filter(is_county_authority=True)
    return County.objects.filter(pk__in=scope.staff_county_ids)


def municipalities_visible_to(user: Any) -> QuerySet[Municipality]:
    scope = scope_of(user)
    if scope.ministry:
        return Municipality.objects.all()
    return Municipality.objects.filter(Q(county_id__in=scope.staff_county_ids) | Q(pk__in=scope.municipality_ids))


def rounds_visible_to(user: Any) -> QuerySet[FundingRound]:
    """The ministry sees every round; county staff the national rounds and their own county's; coordinators
    the rounds open to their kommunar."""
    scope = scope_of(user)
    if scope.ministry:
        return FundingRound.objects.all()
    national = ~Q(kind=FundingRound.Kind.MUNICIPAL) if scope.staff_county_ids else Q(pk__in=[])
    own = Q(county_id__in=scope.staff_county_ids | scope.coordinator_county_ids)
    return FundingRound.objects.filter(national | own)


def frames_visible_to(user: Any) -> QuerySet[CountyFrame]:
    scope = scope_of(user)
    if scope.ministry:
        return CountyFrame.objects.all()
    return CountyFrame.objects.filter(county_id__in=scope.staff_county_ids)


# Object fetches: 404 for what the person may not see, 403 for what they may see but not change


def get_county_for_user(user: Any, pk: int) -> County:
    """The county authority, if the person may see it (as counties_visible_to); else 404. The counties are
    reference data: kept in the cache (data_version)."""
    try:
        number = int(pk)
    except (ValueError, TypeError):
        raise Http404 from None
    county = data_version.kept("county", (number,), lambda: County.objects.filter(pk=number).first())
    scope = scope_of(user)
    if county is None or not ((scope.ministry and county.is_county_authority) or county.pk in scope.staff_county_ids):
        raise Http404
    return county


def get_municipality_for_user(user: Any, pk: int) -> Municipality:
    try:
        return municipalities_visible_to(user).select_related("county").get(pk=pk)
    except (Municipality.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_round_for_user(user: Any, pk: int, *, write: bool = False) -> FundingRound:
    try:
        funding_round = rounds_visible_to(user).select_related("programme", "county").get(pk=pk)
    except (FundingRound.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_change_round(user, funding_round):
        raise PermissionDenied
    return funding_round


def get_frame_for_user(user: Any, pk: int) -> CountyFrame:
    try:
        return frames_visible_to(user).select_related("county", "programme").get(pk=pk)
    except (CountyFrame.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
