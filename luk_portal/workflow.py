"""The one engine that moves every status in the portal.

Each model with a status declares its table of steps (`Transition`s by name) and registers it, with the field
that holds the status, the predicate that says who may take a step, and the recorder that writes the step's
timeline entry, as a `Flow` (each app does so in its AppConfig.ready). `take` is the only function that sets a
status: it checks that the step exists from the present status and that the person may take it, sets the
status and any other fields the step carries, saves with `update_fields`, and has the step recorded (who, when,
from, to and why). `require` checks a step before a service does anything else; `open_steps` lists the steps a
person may take now, for the buttons a page shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .errors import InvalidTransition, NotAllowed


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]  # "" stands for an object not saved yet
    target: str
    label: Promise
    may: str = ""  # the predicate in the app's permissions.py; empty: the step is the system's or part of another
    refusal: Promise | str = ""  # said to a person the predicate refuses
    event: str = ""  # the timeline entry's action; empty: the step's own name


@dataclass(frozen=True)
class Step:
    """A step taken, as its recorder sees it."""

    obj: models.Model
    action: str
    transition: Transition
    source: str
    by: Any
    reason: str
    internal: bool


@dataclass(frozen=True)
class Flow:
    table: Mapping[str, Transition]
    may: Callable[[Any, Any, str], bool]  # (user, obj, action) -> bool, from the app's permissions.py
    record: Callable[[Step], Any]  # writes the timeline entry and returns it
    field: str = "status"


_FLOWS: dict[type[models.Model], Flow] = {}


def register(model: type[models.Model], flow: Flow) -> None:
    _FLOWS[model] = flow


def flow_of(obj: models.Model | type[models.Model]) -> Flow:
    return _FLOWS[obj if isinstance(obj, type) else type(obj)]


def flows() -> dict[type[models.Model], Flow]:
    return dict(_FLOWS)


def can_apply(table: Mapping[str, Transition], action: str, status: str) -> bool:
    return status in table[action].sources


def check(table: Mapping[str, Transition], action: str, status: str) -> str:
    """The target status of `action` from `status`, or InvalidTransition with a message for the user."""
    if not can_apply(table, action, status):
        raise InvalidTransition(_("This step cannot be taken now: the case has moved on. Reload the page."))
    return table[action].target


def status_of(obj: models.Model) -> str:
    """The object's present status; "" for one not saved yet."""
    return getattr(obj, flow_of(obj).field) if obj.pk else ""


def require(obj: models.Model, action: str, *, by: Any) -> Transition:
    """The step, if `by` may take it on `obj` now: NotAllowed with the table's message, or InvalidTransition."""
    flow = flow_of(obj)
    transition = flow.table[action]
    if transition.may and not flow.may(by, obj, action):
        raise NotAllowed(str(transition.refusal))
    check(flow.table, action, status_of(obj))
    return transition


def open_steps(user: Any, obj: models.Model) -> list[str]:
    """The steps the person may take on the object now: its status is a source of each, and they may."""
    flow = flow_of(obj)
    status = status_of(obj)
    return [
        action
        for action, transition in flow.table.items()
        if status in transition.sources and transition.may and flow.may(user, obj, action)
    ]


def take(
    obj: models.Model,
    action: str,
    *,
    by: Any = None,
    reason: str = "",
    fields: tuple[str, ...] = (),
    values: Mapping[str, Any] | None = None,
    internal: bool = False,
    validate: bool = False,
) -> Any:
    """Take the step: check it, set the status and `values`, save the status with them and with `fields` (set
    on the object already), and write the step's timeline entry, which is returned."""
    flow = flow_of(obj)
    transition = require(obj, action, by=by)
    source = status_of(obj)
    setattr(obj, flow.field, transition.target)
    for name, value in (values or {}).items():
        setattr(obj, name, value)
    obj._history_user = by
    if validate:
        obj.full_clean()
    if obj.pk is None:
        obj.save()
    else:
        stamped = [field.name for field in obj._meta.concrete_fields if getattr(field, "auto_now", False)]
        obj.save(update_fields=[flow.field, *stamped, *fields, *(values or {})])
    return flow.record(Step(obj, action, transition, source, by, reason, internal))
