"""The rows of a list that belongs to a case (budget lines, partners, milestones, indicators), saved from a form."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from luk_portal.errors import LukError


def sync_rows(
    model: type[models.Model], *, owner: dict[str, models.Model], rows: list[dict[str, Any]], fields: tuple[str, ...]
) -> None:
    """Save a list's rows as a form sent them, row by row.

    A row with a "pk" is updated in place, and only when something in it changed (so its id and its history
    stay); with "delete": True it is removed. A row without one is created. Rows the list does not mention stay
    as they are: only an explicit removal deletes. A "pk" that is not one of the owner's rows is refused.
    """
    existing = model.objects.filter(**owner).in_bulk()
    for data in rows:
        pk = data.get("pk")
        if pk:
            row = existing.get(pk)
            if row is None:
                raise LukError(_("The list has changed since you opened it. Reload the page."))
            if data.get("delete"):
                row.delete()
                continue
        else:
            row = model(**owner)
        changed = [name for name in fields if not pk or getattr(row, name) != data[name]]
        if not changed:
            continue
        for name in changed:
            setattr(row, name, data[name])
        row.full_clean(exclude=list(owner))
        row.save()
