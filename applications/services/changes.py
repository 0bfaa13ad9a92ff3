"""Change requests of a project: the coordinator applies to extend its period or to move money between budget
lines, and the county's case officer approves or refuses."""

from __future__ import annotations

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luk_portal.errors import LukError
from luk_portal.formats import format_kroner

from .. import notifications, permissions
from ..models import BudgetLine, ChangeRequest, Project
from . import steps
from .common import MAX_PROJECT_YEARS, event, locked_project, require, require_active
from .projects import deadlines_make

__all__ = ["MAX_PROJECT_YEARS", "change_request_create", "change_request_decide"]


def _budget_snapshot(project: Project) -> list[dict[str, Any]]:
    return [
        {"id": line.pk, "category": line.category, "description": line.description, "amount": line.amount}
        for line in project.application.budget_lines.order_by("pk")
    ]


@transaction.atomic
def change_request_create(
    *,
    project: Project,
    by: AbstractUser,
    kind: str,
    reasons: str,
    new_period_end: datetime.date | None = None,
    budget_after: dict[int, int] | None = None,
) -> ChangeRequest:
    """The coordinator applies to extend the period, or to move money between budget lines (same total)."""
    project = locked_project(project)
    require(permissions.can_request_change(by, project), _("Only the lead kommune's coordinators request changes."))
    require_active(project)
    errors: dict[str, list[str]] = {}
    if not reasons.strip():
        errors["reasons"] = [_("Give the reasons for the change.")]
    before = _budget_snapshot(project)
    after: list[dict[str, Any]] = []
    if kind == ChangeRequest.Kind.EXTEND:
        if new_period_end and new_period_end > project.period_start + relativedelta(years=MAX_PROJECT_YEARS):
            errors["new_period_end"] = [_("A project can last at most %(years)s years.") % {"years": MAX_PROJECT_YEARS}]
        elif not new_period_end or new_period_end <= project.period_end:
            errors["new_period_end"] = [
                _("Give a new end date after the present one (%(end)s).")
                % {"end": project.period_end.strftime("%d.%m.%Y")}
            ]
    elif kind == ChangeRequest.Kind.BUDGET:
        budget_after = budget_after or {}
        after = [{**line, "amount": budget_after.get(line["id"], line["amount"])} for line in before]
        if sum(line["amount"] for line in after) != sum(line["amount"] for line in before):
            errors["budget"] = [
                _("Moving money between lines keeps the total (%(total)s).")
                % {"total": format_kroner(sum(line["amount"] for line in before))}
            ]
        elif after == before:
            errors["budget"] = [_("Change at least one line.")]
    else:
        errors["kind"] = [_("Choose what to change.")]
    if errors:
        raise ValidationError(errors)
    change = ChangeRequest(
        project=project,
        kind=kind,
        reasons=reasons.strip(),
        new_period_end=new_period_end,
        period_end_before=project.period_end,
        budget_before=before,
        budget_after=after,
        requested_by=by,
        requested_at=timezone.now(),
    )
    change.save()
    event(project=project, actor=by, action="change_request", comment=f"{change.get_kind_display()}: {change.reasons}")
    notifications.on_commit_project(project, "change_requested")
    return change


@transaction.atomic
def change_request_decide(
    *, change_request: ChangeRequest, by: AbstractUser, approve: bool, comment: str = ""
) -> ChangeRequest:
    change = ChangeRequest.objects.select_for_update(of=("self",)).get(pk=change_request.pk)
    project = locked_project(change.project)
    require(permissions.can_decide_change(by, change), _("Only the county's case officers decide change requests."))
    if change.status != ChangeRequest.Status.REQUESTED:
        raise LukError(_("This change request is already decided. Reload the page."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": [_("Give the reasons for refusing.")]})
    if approve:
        if change.kind == ChangeRequest.Kind.EXTEND:
            if project.period_end != change.period_end_before:
                raise LukError(_("The project period has changed since the request was made; ask for a new request."))
            delta = change.new_period_end - project.period_end
            project.period_end = change.new_period_end
            project.final_report_due = project.final_report_due + delta
            project._history_user = by
            project.save(update_fields=["period_end", "final_report_due"])
            deadlines_make(project)
        else:
            if _budget_snapshot(project) != change.budget_before:
                raise LukError(_("The budget has changed since the request was made; ask for a new request."))
            for line in change.budget_after:
                budget_line = BudgetLine.objects.get(pk=line["id"])
                if budget_line.amount != line["amount"]:
                    budget_line.amount = line["amount"]
                    budget_line._history_user = by
                    budget_line.save(update_fields=["amount"])
    change.decided_by, change.decided_at, change.decision_comment = by, timezone.now(), comment.strip()
    steps.take(
        change,
        "approve" if approve else "refuse",
        by=by,
        reason=f"{change.get_kind_display()}" + (f": {change.decision_comment}" if change.decision_comment else ""),
        fields=("decided_by", "decided_at", "decision_comment"),
    )
    notifications.on_commit_project(project, "change_decided")
    return change
