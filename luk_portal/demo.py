"""Demo data for trying the portal out and for benchmarks: people for every role, made through the services.

Deterministic: the same --seed and --scale give the same data; running it again adds nothing twice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings

from programmes.models import County, Membership, Municipality
from programmes.services import membership_create, programme_setup_luk, refdata_load, user_create

DEMO_PASSWORD = "LUK-demo-2010!"
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


def _ensure_person(person: DemoPerson) -> None:
    user_model = get_user_model()
    user = user_model.objects.filter(username=person.username).first()
    if user is None:
        user = user_create(
            username=person.username,
            password=DEMO_PASSWORD,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{person.username}@{DEMO_DOMAIN}",
        )
    for role, number in person.roles:
        membership_create(user=user, role=role, **_place(role, number))


def _scaled_people(*, scale: int, seed: int) -> list[DemoPerson]:
    """At scale N > 1: staff in every county authority, and coordinators in a growing share of the kommunar."""
    if scale <= 1:
        return []
    rng = random.Random(seed)
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


def demo_seed(*, scale: int = 1, seed: int = 2010, cases: bool = True) -> list[DemoPerson]:
    """Reference data, the LUK programme, the demo people and their cases; returns the people to show."""
    refdata_load()
    programme = programme_setup_luk()
    with transaction.atomic():
        for person in (*DEMO_PEOPLE, *_scaled_people(scale=scale, seed=seed)):
            _ensure_person(person)
        user_model = get_user_model()
        if not user_model.objects.filter(username="admin").exists():
            user_model.objects.create_superuser("admin", f"admin@{DEMO_DOMAIN}", DEMO_PASSWORD)
    if not cases:
        return list(DEMO_PEOPLE)
    from .demo_cases import demo_cases

    # The demo people need no e-mail about the cases the demo makes for them.
    # (The transaction commits inside the override, so the e-mails sent on commit go nowhere too.)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        demo_cases(programme=programme)
    return list(DEMO_PEOPLE)
