"""The one place where a case's status changes: a step from its model's table in workflow.TABLES.

`require` checks a step before the service does anything else (who may take it, and from which status);
`take` checks it again, sets the status, saves with `update_fields` and writes the step's one timeline entry
with who, when, from, to and why.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from luk_portal.errors import NotAllowed

from .. import permissions
from ..models import Application, CaseEvent, CountyPlan, Project
from ..workflow import TABLES, Transition, check


def require(obj: models.Model, action: str, *, by: AbstractUser) -> Transition:
    """The step, if `by` may take it on `obj` now: NotAllowed with the table's message, or InvalidTransition."""
    table = TABLES[type(obj)]
    transition = table[action]
    if transition.may and not permissions.may_take(by, obj, action):
        raise NotAllowed(str(transition.refusal))
    check(table, action, obj.status)
    return transition


def _case_of(obj: models.Model) -> dict[str, Any]:
    """Whose timeline the entry goes on: the application's, the plan's, or the project's."""
    if isinstance(obj, Application):
        return {"application": obj}
    if isinstance(obj, CountyPlan):
        return {"county_plan": obj}
    if isinstance(obj, Project):
        return {"project": obj}
    return {"project_id": obj.project_id}


def take(
    obj: models.Model,
    action: str,
    *,
    by: AbstractUser,
    reason: str = "",
    fields: tuple[str, ...] = (),
    internal: bool = False,
    validate: bool = False,
) -> CaseEvent:
    """Take the step: check it, set the status, save the status with `fields`, and write the timeline entry."""
    transition = require(obj, action, by=by)
    source = obj.status
    obj.status = transition.target
    obj._history_user = by
    if validate:
        obj.full_clean()
    stamped = [field.name for field in obj._meta.concrete_fields if getattr(field, "auto_now", False)]
    obj.save(update_fields=["status", *stamped, *fields])
    return CaseEvent.objects.create(
        **_case_of(obj),
        actor=by,
        at=timezone.now(),
        action=transition.event or action,
        from_status=source,
        to_status=transition.target,
        comment=reason,
        internal=internal,
    )
