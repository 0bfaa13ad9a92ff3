"""The demo people: for every role in the three demo counties, and (at a larger scale, or for the national data)
in every county authority and many kommunar; their published password and second-factor secret.

Deterministic: the same seed and scale give the same people; making them again adds nothing twice.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db.models import Q

from programmes.models import County, Membership, Municipality
from programmes.services import membership_create

DEMO_PASSWORD = "LUK-demo-2010!"
# The demo staff's authenticator-app secret (base32), published like the password so that a newcomer can sign in:
# `python manage.py demo_totp` prints the current code, or put the secret in an authenticator app.
DEMO_TOTP_SECRET = "LUKDEMOSTAFFSECRETKEYFORTOTPAAAA"
DEMO_DOMAIN = "demo.luk-portalen.example"
Role = Membership.Role


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    roles: tuple[tuple[str, str], ...]  # (role, SSB number of the county or kommune; "" for the ministry)


# The three demo counties (2010 numbers) and two kommunar in each.
DEMO_COUNTIES = {"17": ("nt", ("1702", "1719")), "15": ("mr", ("1504", "1519")), "20": ("fi", ("2012", "2004"))}

DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("departementet", "Demo", "Rådgjevar i departementet", ((Role.MINISTRY_ADVISER, ""),)),
    *(
        person
        for county_number, (prefix, municipalities) in DEMO_COUNTIES.items()
        for person in (
            DemoPerson(
                f"{prefix}.saksbehandlar",
                "Demo",
                f"Saksbehandlar {prefix.upper()}",
                ((Role.CASE_OFFICER, county_number),),
            ),
            DemoPerson(f"{prefix}.leiar", "Demo", f"Leiar {prefix.upper()}", ((Role.DECISION_MAKER, county_number),)),
            *(
                DemoPerson(f"k{number}.koordinator", "Demo", f"Koordinator {number}", ((Role.COORDINATOR, number),))
                for number in municipalities
            ),
        )
    ),
    # One person with several memberships: an inter-municipal project in Innherred (Levanger and Verdal).
    DemoPerson(
        "innherred.koordinator",
        "Demo",
        "Koordinator Innherred",
        ((Role.COORDINATOR, "1719"), (Role.COORDINATOR, "1721")),
    ),
)


def _place(role: str, number: str) -> dict[str, County | Municipality | None]:
    if role == Role.MINISTRY_ADVISER:
        return {}
    if role == Role.COORDINATOR:
        return {"municipality": Municipality.objects.get(number=number, valid_from__isnull=True)}
    return {"county": County.objects.get(number=number)}


def _demo_user_create(person: DemoPerson, *, password_hash: str) -> AbstractBaseUser:
    """As programmes.services.user_create, with the demo password hashed once for all the demo people.

    Hashing it anew for each (PBKDF2, about half a second) would take minutes for the hundreds of people that
    --scale 10 makes; the password is the same public one for all of them anyway.
    """
    user = get_user_model()(
        username=person.username,
        first_name=person.first_name,
        last_name=person.last_name,
        email=f"{person.username}@{DEMO_DOMAIN}",
    )
    validate_password(DEMO_PASSWORD, user)
    user.password = password_hash
    user.full_clean()
    user.save()
    return user


def _ensure_person(person: DemoPerson, *, password_hash: str) -> None:
    user = get_user_model().objects.filter(username=person.username).first()
    if user is None:
        user = _demo_user_create(person, password_hash=password_hash)
    for role, number in person.roles:
        membership_create(user=user, role=role, **_place(role, number))


def county_staff() -> list[DemoPerson]:
    """A case officer and a decision-maker in each county authority outside the three demo counties."""
    people = []
    for county in County.objects.filter(is_county_authority=True, number__lte="20").exclude(number__in=DEMO_COUNTIES):
        prefix = f"f{county.number}"
        people.append(
            DemoPerson(
                f"{prefix}.saksbehandlar",
                "Demo",
                f"Saksbehandlar {county.number}",
                ((Role.CASE_OFFICER, county.number),),
            )
        )
        people.append(
            DemoPerson(f"{prefix}.leiar", "Demo", f"Leiar {county.number}", ((Role.DECISION_MAKER, county.number),))
        )
    return people


def scaled_people(*, scale: int, seed: int) -> list[DemoPerson]:
    """At scale N > 1: staff in every county authority, and coordinators in a growing share of the kommunar."""
    if scale <= 1:
        return []
    rng = random.Random(seed)
    people = county_staff()
    numbers = sorted(
        Municipality.objects.filter(valid_from__isnull=True, county__is_county_authority=True).values_list(
            "number", flat=True
        )
    )
    for number in sorted(rng.sample(numbers, min(len(numbers), 43 * scale))):
        people.append(
            DemoPerson(f"k{number}.koordinator", "Demo", f"Koordinator {number}", ((Role.COORDINATOR, number),))
        )
    return people


def ensure_people(people: Iterable[DemoPerson]) -> None:
    """Make those of the people that are missing, and give them their memberships (idempotent)."""
    people = list(people)
    known = get_user_model().objects.filter(username__in=[p.username for p in people]).count()
    password_hash = make_password(DEMO_PASSWORD) if known < len(people) else ""
    for person in people:
        _ensure_person(person, password_hash=password_hash)


def demo_factors_ensure() -> None:
    """Staff and administrators sign in with two factors: the demo ones share the published demo secret."""
    from accounts.services import factor_totp_add

    staff_roles = [*Membership.COUNTY_ROLES, Role.MINISTRY_ADVISER]
    staff = Q(memberships__role__in=staff_roles, memberships__is_active=True) | Q(is_staff=True) | Q(is_superuser=True)
    for user in get_user_model().objects.filter(staff).distinct():
        factor_totp_add(user=user, secret=DEMO_TOTP_SECRET)
