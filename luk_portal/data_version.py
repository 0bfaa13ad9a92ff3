"""The data version: what the expensive fragments of pages are kept under in Django's cache.

A dashboard's figures sum the whole programme; making them costs more the more data there is. They are kept in
Django's cache (as are a person's work queue and memberships, the current programme and the counties) under a
key that holds the data's *stamp*: the data version (DataVersion, raised when a transaction that saved or deleted
a row of the applications or programmes apps commits, and by the bulk writers through `changed()`) and the highest
row id of every table of those apps, their history and many-to-many tables included (which also sees rows
written in bulk, without signals). The next request after a change finds nothing under the new stamp and makes
the fragment again. The stamp is one query of index lookups, whatever the size of the data; it is read once per
request, so that every server process sees a change at once and a page is made from one state of the data.
Pages themselves are made for each request (their forms carry the request's own CSRF token); only the
fragments that are the same for everyone who may see them, or one person's own, are kept.

A change no stamp can see (an edit in the database by hand, a queryset `update()`) is picked up after
DASHBOARD_CACHE_SECONDS at the latest.
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
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import get_language

from .models import DataVersion

T = TypeVar("T")
logger = logging.getLogger(__name__)

# Raise when what is kept changes shape, so that nothing kept by the old code is used.
FORMAT = 1
STAMPED_APPS = ("applications", "programmes")


@functools.cache
def _stamp_sql() -> str:
    quote = connection.ops.quote_name
    parts = [f"(SELECT MAX({quote('number')}) FROM {quote(DataVersion._meta.db_table)})"]  # noqa: S608
    for label in STAMPED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            # Names from the models' own metadata, quoted: nothing from outside.
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            parts.append(f"(SELECT MAX({pk}) FROM {table})")  # noqa: S608
    return "SELECT " + ", ".join(parts)


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


# The data version: raised once per committed transaction that saved or deleted a row of the stamped apps (by
# the model signals below), and by the bulk writers (refdata, the demo data) through `changed()`. The highest ids
# alone miss two things: a change in place of a row without history (a theme's name), and on PostgreSQL a
# transaction that took its ids before another one but commits after it.


def changed() -> None:
    """Raise the data version when the current transaction commits (at once outside one); once per transaction.
    What this request reads from now on is stamped afresh (its own writes change the stamp)."""
    _request.stamp = None
    if any(func is _raise_version for _ids, func, *_rest in connection.run_on_commit):
        return
    transaction.on_commit(_raise_version)


def _raise_version() -> None:
    if not DataVersion.objects.filter(pk=1).update(number=F("number") + 1):
        try:
            with transaction.atomic():
                DataVersion.objects.create(pk=1, number=1)
        except IntegrityError:  # made meanwhile by another process
            DataVersion.objects.filter(pk=1).update(number=F("number") + 1)


@receiver(post_save)
@receiver(post_delete)
@receiver(m2m_changed)
def _data_changed(sender: Any, **kwargs: Any) -> None:
    if sender._meta.app_label in STAMPED_APPS:
        changed()


# A request reads the stamp once: its pages are made from one state of the data.
_request = threading.local()


@receiver(request_started)
def _request_begins(**kwargs: Any) -> None:
    _request.open, _request.stamp = True, None


@receiver(request_finished)
def _request_ends(**kwargs: Any) -> None:
    _request.open, _request.stamp = False, None


def kept(name: str, parts: tuple[Any, ...], make: Callable[[], T], *, seconds: int | None = None) -> T:
    """`make()`, or what it gave before for the same name, parts, language, day and data (Django's cache, under a
    key holding the data stamp); kept for at most `seconds` (DASHBOARD_CACHE_SECONDS unless less is given)."""
    most = settings.DASHBOARD_CACHE_SECONDS
    seconds = most if seconds is None else min(seconds, most)
    if seconds <= 0:
        return make()
    key_text = repr((FORMAT, connection.settings_dict["NAME"], name, parts, get_language(), timezone.localdate()))
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
