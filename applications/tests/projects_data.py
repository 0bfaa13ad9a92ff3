"""What the project tests share: a project, one with a plan, one with two budget lines, and small helpers."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from applications.models import (
    CaseEvent,
    Project,
    ReportDeadline,
)
from applications.tests import factories
from programmes.models import ResultGoal

D = datetime.date
START, END = D(2026, 1, 1), D(2027, 12, 31)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def deadlines(project: Project) -> list[tuple[datetime.date, bool]]:
    return list(
        ReportDeadline.objects.filter(project=project).order_by("due_on", "final").values_list("due_on", "final")
    )


def last_event(project: Project) -> CaseEvent:
    return CaseEvent.objects.filter(project=project).order_by("-pk").first()


STEP = ("action", "actor", "from_status", "to_status")  # what a step's event says


def last_event_says(project: Project, *fields: str) -> tuple:
    """The project's last event's `fields`."""
    event = last_event(project)
    return tuple(getattr(event, name) for name in fields)


def refusal_needs_text(obj, field: str, *, status: str, refuse: Callable[[str], object], blank: str, text: str) -> None:
    """`refuse(blank)`, a refusal with `field` left blank, raises a ValidationError named on `field` and `obj` keeps
    its `status`; `refuse(text)` then goes through."""
    with pytest.raises(ValidationError) as raised:
        refuse(blank)
    assert field in raised.value.message_dict
    obj.refresh_from_db()
    assert obj.status == status
    refuse(text)


def goal(number: int) -> ResultGoal:
    return ResultGoal.objects.get(programme=factories.luk(), number=number)


def indicator_row(number: int = 1, **overrides) -> dict:
    return {
        "result_goal": goal(number),
        "name": "Unge som flyttar heim",
        "unit": "personar",
        "baseline": 10,
        "target": 30,
        **overrides,
    }
