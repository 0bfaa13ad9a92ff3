"""A report job's states (queued → running → done, or failed with a reason the asker can read), as a table for
the portal's one engine (luk_portal/workflow.py). Every step is the system's: the asker's right to ask is
checked before the job exists (permissions.can_ask_report); the worker takes the rest."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from luk_portal import workflow
from luk_portal.workflow import Transition

from . import permissions
from .models import ReportJob, ReportJobEvent

S = ReportJob.State

JOB_TRANSITIONS: dict[str, Transition] = {
    "ask": Transition(frozenset({""}), S.QUEUED, _("Asked for")),
    # The same report over unchanged data: the finished file is used, and the job is done at once.
    "reuse": Transition(frozenset({""}), S.DONE, _("Made from the finished file")),
    "start": Transition(frozenset({S.QUEUED}), S.RUNNING, _("Started")),
    # Started again after the worker that had it was lost.
    "restart": Transition(frozenset({S.RUNNING}), S.RUNNING, _("Started again")),
    "finish": Transition(frozenset({S.RUNNING}), S.DONE, _("Finished")),
    "fail": Transition(frozenset({S.QUEUED, S.RUNNING}), S.FAILED, _("Failed")),
}


def record(step: workflow.Step) -> ReportJobEvent:
    return ReportJobEvent.objects.create(
        job=step.obj, by=step.by, from_state=step.source, to_state=step.transition.target, reason=step.reason
    )


def register() -> None:
    workflow.register(
        ReportJob, workflow.Flow(table=JOB_TRANSITIONS, may=permissions.may_take_job_step, record=record, field="state")
    )
