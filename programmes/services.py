"""Everything that writes programme data: reference data, programme set-up, people and memberships."""

from __future__ import annotations

import csv
import datetime
import json
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from luk_portal import data_version
from luk_portal.errors import LukError, NotAllowed
from luk_portal.formats import format_kroner

from . import permissions
from .models import (
    County,
    CountyAccount,
    CountyFrame,
    FundingRound,
    Membership,
    Municipality,
    MunicipalityChange,
    Programme,
    ResultGoal,
    Theme,
)

REFDATA_DIR = Path(__file__).resolve().parent / "refdata"


class RefdataError(Exception):
    """The reference files do not tell one consistent story."""


def _read_csv(name: str) -> list[dict[str, str]]:
    with (REFDATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class _Version:
    number: str
    name: str
    county_number: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None = None
    language_form: str = ""
    population: int | None = None
    successors: list[tuple[str, datetime.date | None]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, datetime.date | None]:
        return (self.number, self.valid_from)


def _municipality_versions() -> tuple[dict[tuple, _Version], list[tuple[datetime.date, tuple, tuple]]]:
    """Walk SSB's change list from the 2010 kommunar to 2024: every version of every kommune, and the links.

    A new number or a new name is a new version; a kommune that absorbs others under its own number and
    name carries on as the same version.
    """
    versions: dict[tuple, _Version] = {}
    active: dict[str, tuple] = {}
    for row in _read_csv("kommunar_2010.csv"):
        version = _Version(row["kommunenummer"], row["namn"], row["fylkesnummer"], None)
        versions[version.key] = version
        active[version.number] = version.key

    links: list[tuple[datetime.date, tuple, tuple]] = []
    rows = sorted(_read_csv("kommuneendringar_2011_2024.csv"), key=lambda r: r["dato"])
    for day_text, day_rows in groupby(rows, key=lambda r: r["dato"]):
        day = datetime.date.fromisoformat(day_text)
        day_rows = list(day_rows)
        closed: set[tuple] = set()
        for row in day_rows:
            old_key = active.get(row["gammalt_nummer"])
            if old_key is None or versions[old_key].name != row["gammalt_namn"]:
                raise RefdataError(f"{day}: {row['gammalt_nummer']} {row['gammalt_namn']} is not a kommune then")
            closed.add(old_key)
        created: dict[str, tuple] = {}
        for row in day_rows:
            old_key = active[row["gammalt_nummer"]]
            number, name = row["nytt_nummer"], row["nytt_namn"]
            carried = active.get(number)
            if number in created:
                new_key = created[number]
            elif carried and carried not in closed and versions[carried].name == name:
                new_key = carried
            else:
                version = _Version(number, name, number[:2], day)
                versions[version.key] = version
                new_key = created[number] = version.key
                if carried and carried not in closed:
                    # The kommune took a new name while absorbing others: its old version ends too.
                    closed.add(carried)
                    links.append((day, carried, new_key))
            links.append((day, old_key, new_key))
        for key in closed:
            versions[key].valid_to = day - datetime.timedelta(days=1)
            if active.get(key[0]) == key:
                del active[key[0]]
        active.update(created)

    expected = {row["kommunenummer"]: row for row in _read_csv("kommunar_2024.csv")}
    if set(active) != set(expected):
        raise RefdataError(f"the change list does not lead to the 2024 kommunar: {set(active) ^ set(expected)}")
    for number, row in expected.items():
        version = versions[active[number]]
        # The 2024 list gives the short name (Trondheim) where SSB's official one has more (Trondheim - Tråante).
        if row["namn"] not in version.name:
            raise RefdataError(f"{number} is {version.name!r} after the change list, {row['namn']!r} in 2024")
        version.language_form = row["maalform"]
        version.population = int(row["innbyggjarar"])
    return versions, links


@transaction.atomic
def refdata_load() -> dict[str, int]:
    """Load fylke, kommunar and SSB's change list from the project's copy; running it again changes nothing."""
    counties: dict[str, County] = {}
    sources = [
        ("fylke_2010.csv", lambda row: row["fylkeskommune"] == "ja"),
        ("fylke_2020_2023.csv", lambda row: True),
        ("fylke_2024.csv", lambda row: row["fylkesnummer"] != "03"),
    ]
    for filename, is_authority in sources:
        for row in _read_csv(filename):
            county, _created = County.objects.update_or_create(
                number=row["fylkesnummer"],
                defaults={"name": row["namn"], "is_county_authority": is_authority(row)},
            )
            counties[county.number] = county

    versions, links = _municipality_versions()
    existing = {(m.number, m.valid_from): m for m in Municipality.objects.all()}
    to_create, to_update = [], []
    fields = ["name", "county_id", "valid_to", "language_form", "population"]
    for key, version in versions.items():
        values = {
            "name": version.name,
            "county_id": counties[version.county_number].pk,
            "valid_to": version.valid_to,
            "language_form": version.language_form,
            "population": version.population,
        }
        municipality = existing.get(key)
        if municipality is None:
            to_create.append(Municipality(number=version.number, valid_from=version.valid_from, **values))
        elif any(getattr(municipality, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(municipality, name, value)
            to_update.append(municipality)
    # Close old versions before new current ones arrive, so "one current version per number" always holds.
    Municipality.objects.bulk_update(to_update, fields)
    Municipality.objects.bulk_create(to_create)
    by_key = {(m.number, m.valid_from): m.pk for m in Municipality.objects.all()}

    known = set(MunicipalityChange.objects.values_list("old_id", "new_id"))
    MunicipalityChange.objects.bulk_create(
        [
            MunicipalityChange(date=day, old_id=by_key[old], new_id=by_key[new])
            for day, old, new in links
            if (by_key[old], by_key[new]) not in known
        ]
    )

    _set_county_validity()
    data_version.changed()  # written in bulk: no signal tells the kept pages
    return {
        "counties": County.objects.count(),
        "municipalities": Municipality.objects.count(),
        "changes": MunicipalityChange.objects.count(),
    }


def _set_county_validity() -> None:
    """A fylke is valid from its first kommune's start to its last kommune's end (open where any is open)."""
    for county in County.objects.prefetch_related("municipalities"):
        starts = [m.valid_from for m in county.municipalities.all()]
        ends = [m.valid_to for m in county.municipalities.all()]
        valid_from = None if not starts or None in starts else min(starts)
        valid_to = None if not ends or None in ends else max(ends)
        if (county.valid_from, county.valid_to) != (valid_from, valid_to):
            county.valid_from, county.valid_to = valid_from, valid_to
            county.save(update_fields=["valid_from", "valid_to"])


@transaction.atomic
def programme_setup_luk() -> Programme:
    """The LUK programme, its five result goals, themes and the 2009 start-up round with 1 MNOK to each county.

    Idempotent: running it again updates texts and adds nothing twice.
    """
    spec = json.loads((REFDATA_DIR / "luk.json").read_text(encoding="utf-8"))
    programme, _created = Programme.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            key: spec[key]
            for key in (
                "name_nn",
                "name_nb",
                "name_en",
                "description_nn",
                "description_nb",
                "description_en",
                "start_year",
                "end_year",
                "structure_year",
            )
        },
    )
    for goal in spec["result_goals"]:
        ResultGoal.objects.update_or_create(
            programme=programme,
            number=goal["number"],
            defaults={"text_nn": goal["nn"], "text_nb": goal["nb"], "text_en": goal["en"]},
        )
    for theme in spec["themes"]:
        Theme.objects.update_or_create(
            programme=programme,
            code=theme["code"],
            defaults={"name_nn": theme["nn"], "name_nb": theme["nb"], "name_en": theme["en"]},
        )

    startup = spec["startup_round"]
    structure_day = datetime.date(programme.structure_year, 1, 1)
    counties = list(County.objects.valid_on(structure_day).filter(is_county_authority=True))
    funding_round, _created = FundingRound.objects.get_or_create(
        programme=programme,
        kind=FundingRound.Kind.STARTUP,
        defaults={
            "name": startup["name"],
            "description": startup["description"],
            "budget": startup["amount_per_county"] * len(counties),
            "opens_at": parse_datetime(startup["opens_at"]),
            "deadline": parse_datetime(startup["deadline"]),
        },
    )
    granted = set(funding_round.frames.values_list("county_id", flat=True))
    for county in counties:
        if county.pk not in granted:
            _frame_add(
                by=None,
                county=county,
                programme=programme,
                amount=startup["amount_per_county"],
                granted_on=datetime.date.fromisoformat(startup["granted_on"]),
                funding_round=funding_round,
                note=startup["name"],
            )
    return programme


def account_for(*, county: County, programme: Programme, lock: bool = False) -> CountyAccount:
    """The county's account in the programme; with lock=True, locked for the rest of the transaction."""
    account, _created = CountyAccount.objects.get_or_create(county=county, programme=programme)
    if lock:
        account = CountyAccount.objects.select_for_update().get(pk=account.pk)
    return account


@transaction.atomic
def frame_grant(
    *,
    by: AbstractUser,
    county: County,
    programme: Programme,
    amount: int,
    granted_on: datetime.date,
    funding_round: FundingRound | None = None,
    note: str = "",
) -> CountyFrame:
    """Money the ministry grants a county authority: a new frame, and the account's frames grow by it. Only the
    ministry grants; the frame records who did."""
    if not permissions.can_grant_frames(by):
        raise NotAllowed(_("Only the ministry grants frames to the county authorities."))
    return _frame_add(
        by=by,
        county=county,
        programme=programme,
        amount=amount,
        granted_on=granted_on,
        funding_round=funding_round,
        note=note,
    )


def _frame_add(
    *,
    by: AbstractUser | None,
    county: County,
    programme: Programme,
    amount: int,
    granted_on: datetime.date,
    funding_round: FundingRound | None = None,
    note: str = "",
) -> CountyFrame:
    """The frame and the account's sum; `by` None only for the start-up grants of the programme's set-up."""
    account = account_for(county=county, programme=programme, lock=True)
    frame = CountyFrame(
        county=county,
        programme=programme,
        amount=amount,
        granted_on=granted_on,
        funding_round=funding_round,
        note=note,
        granted_by=by,
    )
    frame.full_clean()
    frame.save()
    account.framed += amount
    account.save(update_fields=["framed"])
    return frame


def account_reserve(*, county: County, programme: Programme, amount: int) -> CountyAccount:
    """Take `amount` from the county's free frame (frames minus granted); refuse if it would go below zero.

    The account row is locked first, so two decisions at the same moment are made one after the other.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("account_reserve must run inside the caller's transaction")
    account = account_for(county=county, programme=programme, lock=True)
    if amount > account.free:
        raise LukError(
            _("The amount is more than the county's free frame (%(free)s).") % {"free": format_kroner(account.free)},
            field="amount",
        )
    account.granted += amount
    account.save(update_fields=["granted"])
    return account


@transaction.atomic
def round_open(
    *,
    by: AbstractUser,
    county: County,
    programme: Programme,
    name: str,
    budget: int,
    opens_at: datetime.datetime,
    deadline: datetime.datetime,
    description: str = "",
    themes: list[Theme] | None = None,
) -> FundingRound:
    """A county case officer opens a round for the county's kommunar."""
    if not permissions.can_open_municipal_round(by, county):
        raise NotAllowed(_("Only the county's case officers can open a round for its kommunar."))
    funding_round = FundingRound(
        programme=programme,
        kind=FundingRound.Kind.MUNICIPAL,
        county=county,
        name=name,
        description=description,
        budget=budget,
        opens_at=opens_at,
        deadline=deadline,
    )
    funding_round._history_user = by
    funding_round.full_clean()
    funding_round.save()
    funding_round.themes.set(themes or [])
    return funding_round


ROUND_FIELDS = ("name", "description", "budget", "opens_at", "deadline")


@transaction.atomic
def round_update(
    *, funding_round: FundingRound, by: AbstractUser, themes: list[Theme] | None = None, **changes: object
) -> FundingRound:
    """Change a round's text, budget or dates (those who may change it: see permissions.can_change_round)."""
    funding_round = FundingRound.objects.select_for_update().get(pk=funding_round.pk)
    if not permissions.can_change_round(by, funding_round):
        raise NotAllowed(_("You cannot change this round."))
    unknown = set(changes) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"round_update does not change {sorted(unknown)}")
    for name, value in changes.items():
        setattr(funding_round, name, value)
    funding_round._history_user = by
    funding_round.full_clean()
    funding_round.save(update_fields=list(changes) or None)
    if themes is not None:
        funding_round.themes.set(themes)
    return funding_round


def user_create(
    *, username: str, password: str, first_name: str = "", last_name: str = "", email: str = ""
) -> AbstractUser:
    """A person who can log in; the password must pass the portal's validators."""
    from django.contrib.auth.password_validation import validate_password

    user_model = get_user_model()
    user = user_model(username=username, first_name=first_name, last_name=last_name, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def membership_create(
    *,
    user: AbstractUser,
    role: str,
    county: County | None = None,
    municipality: Municipality | None = None,
) -> Membership:
    """Give a person a role in the ministry, a county authority or a kommune (idempotent)."""
    membership, created = Membership.objects.get_or_create(
        user=user, role=role, county=county, municipality=municipality, defaults={"is_active": True}
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    return membership


def account_pay(*, county: County, programme: Programme, amount: int) -> CountyAccount:
    """Record a payment on the county's account (paid never above granted: a database constraint too)."""
    account = account_for(county=county, programme=programme, lock=True)
    account.paid += amount
    account.full_clean()
    account.save(update_fields=["paid"])
    return account


def account_release(*, county: County, programme: Programme, amount: int) -> CountyAccount:
    """Give an unused grant back to the county's free frame (a project closed or cancelled)."""
    account = account_for(county=county, programme=programme, lock=True)
    account.granted -= amount
    account.full_clean()
    account.save(update_fields=["granted"])
    return account
