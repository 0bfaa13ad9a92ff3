"""The allowed transitions of every case with a status, in one table a model (TABLES), for the portal's one
engine (luk_portal/workflow.py).

A step names its sources, its target, its label, who may take it (`may`: the name of a predicate
`(user, obj) -> bool` in permissions.py, with the message for a refusal) and the timeline entry it writes.
luk_portal.workflow.take is the one function that takes a step; permissions.steps_open_to reads the same tables for the
buttons a page shows.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from luk_portal.workflow import Transition, can_apply, check

from .models import Application, ChangeRequest, CountyPlan, Payment, ProgressReport, Project

A = Application.Status
P = CountyPlan.Status


_LEAD = "is_lead_coordinator"
_OFFICER = "is_officer_for"
_DECIDER = "is_decision_maker_for"

APPLICATION_TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        frozenset({A.DRAFT, A.RETURNED}),
        A.SUBMITTED,
        _("Submitted"),
        _LEAD,
        _("Only the lead kommune's coordinators can submit this application."),
    ),
    "take": Transition(
        frozenset({A.SUBMITTED}),
        A.IN_REVIEW,
        _("Taken for review"),
        _OFFICER,
        _("Only the county's case officers can take this case."),
    ),
    "return": Transition(
        frozenset({A.IN_REVIEW}),
        A.RETURNED,
        _("Returned for changes"),
        _OFFICER,
        _("Only the county's case officers can return this case."),
    ),
    "recommend": Transition(
        frozenset({A.IN_REVIEW}),
        A.RECOMMENDED,
        _("Recommendation written"),
        _OFFICER,
        _("Only the county's case officers can recommend."),
    ),
    "send_back": Transition(
        frozenset({A.RECOMMENDED}),
        A.IN_REVIEW,
        _("Sent back to the case officer"),
        _DECIDER,
        _("Only the county's decision-makers can decide this case."),
    ),
    "approve": Transition(
        frozenset({A.RECOMMENDED}),
        A.APPROVED,
        _("Approved"),
        _DECIDER,
        _("Only the county's decision-makers can decide this case."),
    ),
    "reject": Transition(
        frozenset({A.RECOMMENDED}),
        A.REJECTED,
        _("Rejected"),
        _DECIDER,
        _("Only the county's decision-makers can decide this case."),
    ),
}

PLAN_TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        frozenset({P.DRAFT, P.RETURNED}),
        P.SUBMITTED,
        _("Submitted"),
        "can_write_plan",
        _("Only the county authority's staff can submit its plan."),
    ),
    "return": Transition(
        frozenset({P.SUBMITTED}),
        P.RETURNED,
        _("Returned for changes"),
        "can_settle_plan",
        _("Only the ministry can return a county plan."),
    ),
    "approve": Transition(
        frozenset({P.SUBMITTED}),
        P.APPROVED,
        _("Approved"),
        "can_settle_plan",
        _("Only the ministry can approve a county plan."),
    ),
}

R = ProgressReport.Status

REPORT_TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        frozenset({R.DRAFT, R.RETURNED}),
        R.SUBMITTED,
        _("Report submitted"),
        "can_edit_report",
        _("Only the lead kommune's coordinators submit reports."),
        "report_submit",
    ),
    "approve": Transition(
        frozenset({R.SUBMITTED}),
        R.APPROVED,
        _("Report approved"),
        "can_review_report",
        _("Only the county's case officers approve reports."),
        "report_approve",
    ),
    "return": Transition(
        frozenset({R.SUBMITTED}),
        R.RETURNED,
        _("Report returned for changes"),
        "can_review_report",
        _("Only the county's case officers approve reports."),
        "report_return",
    ),
}

PAY = Payment.Status

PAYMENT_TRANSITIONS: dict[str, Transition] = {
    "approve": Transition(
        frozenset({PAY.REQUESTED}),
        PAY.APPROVED,
        _("Payment approved"),
        "can_decide_payment",
        _("Only the county's case officers decide payments."),
        "payment_approve",
    ),
    "refuse": Transition(
        frozenset({PAY.REQUESTED}),
        PAY.REFUSED,
        _("Payment refused"),
        "can_decide_payment",
        _("Only the county's case officers decide payments."),
        "payment_refuse",
    ),
    # A payment still asked for when its project closes or is cancelled: part of that step, which checks.
    "withdraw": Transition(frozenset({PAY.REQUESTED}), PAY.REFUSED, _("Payment refused"), event="payment_refuse"),
}

CH = ChangeRequest.Status

CHANGE_TRANSITIONS: dict[str, Transition] = {
    "approve": Transition(
        frozenset({CH.REQUESTED}),
        CH.APPROVED,
        _("Change approved"),
        "can_decide_change",
        _("Only the county's case officers decide change requests."),
        "change_approve",
    ),
    "refuse": Transition(
        frozenset({CH.REQUESTED}),
        CH.REFUSED,
        _("Change refused"),
        "can_decide_change",
        _("Only the county's case officers decide change requests."),
        "change_refuse",
    ),
}

PR = Project.Status

PROJECT_TRANSITIONS: dict[str, Transition] = {
    "close": Transition(
        frozenset({PR.ACTIVE}),
        PR.CLOSED,
        _("Project closed"),
        "can_close_project",
        _("Only the county's staff close projects."),
        "project_close",
    ),
    # The project closes by itself when the final report is approved and the whole grant paid: part of the
    # approval or payment that completes it, which checks.
    "complete": Transition(frozenset({PR.ACTIVE}), PR.CLOSED, _("Project closed"), event="project_close"),
    "cancel": Transition(
        frozenset({PR.ACTIVE}),
        PR.CANCELLED,
        _("Project cancelled"),
        "can_close_project",
        _("Only the county's staff cancel projects."),
        "project_cancel",
    ),
}

# Every model with a status that is a workflow, and its table.
TABLES: dict[type, dict[str, Transition]] = {
    Application: APPLICATION_TRANSITIONS,
    CountyPlan: PLAN_TRANSITIONS,
    ProgressReport: REPORT_TRANSITIONS,
    Payment: PAYMENT_TRANSITIONS,
    ChangeRequest: CHANGE_TRANSITIONS,
    Project: PROJECT_TRANSITIONS,
}

# Timeline entries that are not transitions of an application or a plan.
EVENT_LABELS = {
    "created": _("Created"),
    "message": _("Message"),
    "letter": _("Decision letter made"),
    "attachment": _("Attachment added"),
    "project_created": _("Project started"),
    "schedule": _("Report schedule set"),
    "plan": _("Project plan changed"),
    "report_created": _("Report started"),
    "report_submit": _("Report submitted"),
    "report_approve": _("Report approved"),
    "report_return": _("Report returned for changes"),
    "payment_request": _("Payment requested"),
    "payment_approve": _("Payment approved"),
    "payment_refuse": _("Payment refused"),
    "change_request": _("Change requested"),
    "change_approve": _("Change approved"),
    "change_refuse": _("Change refused"),
    "project_close": _("Project closed"),
    "project_cancel": _("Project cancelled"),
}


def event_label(action: str) -> str:
    if action in EVENT_LABELS:
        return str(EVENT_LABELS[action])
    transition = APPLICATION_TRANSITIONS.get(action) or PLAN_TRANSITIONS.get(action)
    return str(transition.label if transition else action)


__all__ = ["TABLES", "Transition", "can_apply", "check", "event_label"]
