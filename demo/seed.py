"""Demo data for trying the portal out and for benchmarks: people for every role (people.py), their hand-made
cases (cases.py, made through the services), and national data for the whole country (national/, made in bulk).

Deterministic: the same --seed and --scale give the same data; running it again adds nothing twice.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import override_settings

from luk_portal import data_version
from programmes.services import programme_setup_luk, refdata_load

from .cases import demo_cases
from .national import demo_national
from .people import (
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DEMO_PEOPLE,
    DemoPerson,
    demo_factors_ensure,
    ensure_people,
    scaled_people,
)


def demo_seed(*, scale: int = 1, seed: int = 2010, cases: bool = True, national: bool = True) -> list[DemoPerson]:
    """Reference data, the LUK programme, the demo people and their cases; returns the people to show.

    With `cases` and `national`, also the cases of 2010-2014 in the whole country, about 500·scale
    applications (demo_national); without `cases`, only the people.
    """
    refdata_load()
    programme = programme_setup_luk()
    with transaction.atomic():
        ensure_people([*DEMO_PEOPLE, *scaled_people(scale=scale, seed=seed)])
        user_model = get_user_model()
        if not user_model.objects.filter(username="admin").exists():
            user_model.objects.create_superuser("admin", f"admin@{DEMO_DOMAIN}", DEMO_PASSWORD)
        demo_factors_ensure()
    if not cases:
        return list(DEMO_PEOPLE)
    # The demo people need no e-mail about the cases the demo makes for them.
    # (The transaction commits inside the override, so the e-mails sent on commit go nowhere too.)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        demo_cases(programme=programme)
    if national:
        demo_national(programme=programme, scale=scale, seed=seed)
        # Thousands of rows written at once: the query planner needs fresh statistics, or it may choose plans
        # that take seconds instead of milliseconds (seen on both SQLite and PostgreSQL right after seeding).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        data_version.changed()  # written in bulk: no signal tells the kept pages
    return list(DEMO_PEOPLE)
