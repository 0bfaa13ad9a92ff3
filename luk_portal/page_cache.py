"""What pages read often and the data rarely changes, kept while that data is unchanged.

A dashboard's figures sum the whole programme; making them costs more the more data there is. They are made
once per state of the data and kept in the cache (as are a person's work queue and memberships, the current
programme and the counties), under a key that holds the data's *stamp*: the highest row
id of every table of the applications and programmes apps, their history tables and the many-to-many tables
included. Every change the portal makes writes a row somewhere among them (a state change writes a timeline
entry; a save of a model with history writes a history row; new rows raise their table's highest id), so the
next request after a change finds no figures under the new stamp and makes them again. The stamp is one query
of index lookups, whatever the size of the data; it is read from the database on every request, so that every
server process sees a change at once.

A change no stamp can see (an edit in the database by hand, an update of reference data in place) is picked up
after DASHBOARD_CACHE_SECONDS at the latest.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import get_language

T = TypeVar("T")
logger = logging.getLogger(__name__)

# Raise when what is kept changes shape, so that nothing kept by the old code is used.
FORMAT = 1
STAMPED_APPS = ("applications", "programmes")

# Tests bump this between tests: their databases roll back, and ids come round again.
generation = 0


@functools.cache
def _stamp_sql() -> str:
    quote = connection.ops.quote_name
    parts = []
    for label in STAMPED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            # Names from the models' own metadata, quoted: nothing from outside.
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            parts.append(f"(SELECT MAX({pk}) FROM {table})")  # noqa: S608
    return "SELECT " + ", ".join(sorted(parts))


def data_stamp() -> str:
    """The data's stamp: one query of index lookups (see the module's description); read once per request."""
    stamp = getattr(_request, "stamp", None)
    if stamp is None:
        with connection.cursor() as cursor:
            cursor.execute(_stamp_sql())
            row = cursor.fetchone()
        stamp = ",".join("" if value is None else str(value) for value in row)
        if getattr(_request, "open", False):
            _request.stamp = stamp
    return stamp


# A request reads the stamp once: its pages are made from one state of the data.
_request = threading.local()


@receiver(request_started)
def _request_begins(**kwargs: Any) -> None:
    _request.open, _request.stamp = True, None


@receiver(request_finished)
def _request_ends(**kwargs: Any) -> None:
    _request.open, _request.stamp = False, None


def kept(name: str, parts: tuple[Any, ...], make: Callable[[], T], *, seconds: int | None = None) -> T:
    """`make()`, or what it gave before for the same name, parts, language, day and data; kept for at most
    `seconds` (DASHBOARD_CACHE_SECONDS unless less is given)."""
    most = settings.DASHBOARD_CACHE_SECONDS
    seconds = most if seconds is None else min(seconds, most)
    if seconds <= 0:
        return make()
    key_text = repr(
        (FORMAT, generation, connection.settings_dict["NAME"], name, parts, get_language(), timezone.localdate())
    )
    key = f"luk:{name}:{hashlib.sha256(f'{key_text}|{data_stamp()}'.encode()).hexdigest()}"
    try:
        value = cache.get(key)
    except Exception:  # a cache that cannot be reached costs speed, never the page
        logger.warning("The cache cannot be reached: %s is made without it.", name, exc_info=True)
        return make()
    if value is None:
        value = make()
        try:
            cache.set(key, value, seconds)
        except Exception:  # as above
            logger.warning("The cache cannot be reached: %s is not kept.", name, exc_info=True)
    return value
