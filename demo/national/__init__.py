"""National demo data: every kommune and county authority of 2010, through LUK's whole run, 2010-2014.

At scale N: about 500·N applications, 300·N projects, 1 500·N progress and final reports and 800·N payments,
in 18 county authorities × 5 yearly rounds, in the states a programme that ended in 2014 has seen from today:
applications decided (most approved, some rejected; a few returned and never sent again, a few drafts never
sent), projects closed (final report approved, grant paid, or the unspent part released) or cancelled.

The rows are written in bulk (context.insert: multi-row INSERTs with the values prepared as bulk_create
prepares them), since the services write one object at a time and are far too slow for a benchmark; but as
the services would have left them: the same statuses, the same timeline entries (CaseEvent), the money rules
(never more paid than granted, the last 25 % after the final report) and the county accounts. simple_history
keeps no history rows for them, and no e-mail is sent. Deterministic for a seed; made once: a database that
has the national rounds already is left as it is.
"""

from __future__ import annotations

from django.core.management.color import no_style
from django.db import connection, models, transaction

from programmes.models import CountyAccount, FundingRound, Programme

from ..people import DEMO_PEOPLE, county_staff, ensure_people
from .applications import CountyCases
from .context import ROUND_NAME, YEARS, Context, Rows

__all__ = ["demo_national", "national_data_exists"]


def demo_national(*, programme: Programme, scale: int = 1, seed: int = 2010) -> bool:
    """Make the national data once; returns False (and changes nothing) if the database has it already."""
    if national_data_exists(programme=programme):
        return False
    with transaction.atomic():
        ensure_people([*DEMO_PEOPLE, *county_staff()])  # a case officer and a decision-maker in every county
        context = Context.load(programme=programme, scale=scale, seed=seed)
        totals: dict[int, list[int]] = {}
        for county, municipalities, count in context.allocation():
            rows = Rows()
            CountyCases(context, rows, county, municipalities).make(count)
            rows.save()
            totals[county.pk] = rows.money
        _accounts_add(programme=programme, totals=totals)
        _reset_sequences(list(context.next_ids))
    return True


def national_data_exists(*, programme: Programme) -> bool:
    """Whether the national rounds are there (the first of them, 2010, stands for all)."""
    prefix = ROUND_NAME.format(year=YEARS[0], county="")
    return FundingRound.objects.filter(programme=programme, name__startswith=prefix).exists()


def _accounts_add(*, programme: Programme, totals: dict[int, list[int]]) -> None:
    """Add the national frames, grants and payments to the county accounts, as the services would have."""
    for county_id, (framed, granted, paid) in sorted(totals.items()):
        account, _created = CountyAccount.objects.get_or_create(county_id=county_id, programme=programme)
        account = CountyAccount.objects.select_for_update().get(pk=account.pk)
        account.framed += framed
        account.granted += granted
        account.paid += paid
        account.full_clean()
        account.save(update_fields=["framed", "granted", "paid"])


def _reset_sequences(tables: list[type[models.Model]]) -> None:
    """The rows came with their ids: move PostgreSQL's sequences past them (SQLite's follow by themselves)."""
    statements = connection.ops.sequence_reset_sql(no_style(), tables)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
