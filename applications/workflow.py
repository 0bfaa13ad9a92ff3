"""The allowed transitions of applications and county plans, in one table each.

Services check a step against the table before they change anything; permissions.py combines the table
with the person's role; pages show only the buttons for the steps that apply.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from luk_portal.errors import InvalidTransition

from .models import Application, CountyPlan, ProgressReport

A = Application.Status
P = CountyPlan.Status


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    label: Promise


APPLICATION_TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(frozenset({A.DRAFT, A.RETURNED}), A.SUBMITTED, _("Submitted")),
    "take": Transition(frozenset({A.SUBMITTED}), A.IN_REVIEW, _("Taken for review")),
    "return": Transition(frozenset({A.IN_REVIEW}), A.RETURNED, _("Returned for changes")),
    "recommend": Transition(frozenset({A.IN_REVIEW}), A.RECOMMENDED, _("Recommendation written")),
    "send_back": Transition(frozenset({A.RECOMMENDED}), A.IN_REVIEW, _("Sent back to the case officer")),
    "approve": Transition(frozenset({A.RECOMMENDED}), A.APPROVED, _("Approved")),
    "reject": Transition(frozenset({A.RECOMMENDED}), A.REJECTED, _("Rejected")),
}

PLAN_TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(frozenset({P.DRAFT, P.RETURNED}), P.SUBMITTED, _("Submitted")),
    "return": Transition(frozenset({P.SUBMITTED}), P.RETURNED, _("Returned for changes")),
    "approve": Transition(frozenset({P.SUBMITTED}), P.APPROVED, _("Approved")),
}

R = ProgressReport.Status

REPORT_TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(frozenset({R.DRAFT, R.RETURNED}), R.SUBMITTED, _("Report submitted")),
    "approve": Transition(frozenset({R.SUBMITTED}), R.APPROVED, _("Report approved")),
    "return": Transition(frozenset({R.SUBMITTED}), R.RETURNED, _("Report returned for changes")),
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


def can_apply(table: dict[str, Transition], action: str, status: str) -> bool:
    return status in table[action].sources


def check(table: dict[str, Transition], action: str, status: str) -> str:
    """The target status of `action` from `status`, or InvalidTransition with a message for the user."""
    if not can_apply(table, action, status):
        raise InvalidTransition(_("This step cannot be taken now: the case has moved on. Reload the page."))
    return table[action].target


def event_label(action: str) -> str:
    if action in EVENT_LABELS:
        return str(EVENT_LABELS[action])
    transition = APPLICATION_TRANSITIONS.get(action) or PLAN_TRANSITIONS.get(action)
    return str(transition.label if transition else action)
