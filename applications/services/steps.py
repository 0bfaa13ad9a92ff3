"""The grant cycle's steps, taken by the portal's one engine (luk_portal/workflow.py) from the tables in
applications/workflow.py.

`register` hands the engine each table, with permissions.may_take for who may take a step and `record` for
its one timeline entry (a CaseEvent with who, when, from, to and why). `require` and `take` are the engine's.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from luk_portal import workflow
from luk_portal.workflow import require, take

from .. import permissions
from ..models import Application, CaseEvent, CountyPlan, Project
from ..workflow import TABLES

__all__ = ["register", "require", "take"]


def _case_of(obj: models.Model) -> dict[str, Any]:
    """Whose timeline the entry goes on: the application's, the plan's, or the project's."""
    if isinstance(obj, Application):
        return {"application": obj}
    if isinstance(obj, CountyPlan):
        return {"county_plan": obj}
    if isinstance(obj, Project):
        return {"project": obj}
    return {"project_id": obj.project_id}


def record(step: workflow.Step) -> CaseEvent:
    return CaseEvent.objects.create(
        **_case_of(step.obj),
        actor=step.by,
        at=timezone.now(),
        action=step.transition.event or step.action,
        from_status=step.source,
        to_status=step.transition.target,
        comment=step.reason,
        internal=step.internal,
    )


def register() -> None:
    for model, table in TABLES.items():
        workflow.register(model, workflow.Flow(table=table, may=permissions.may_take, record=record))
