"""Everything that writes in a project: it is made from an approved decision, the county sets its report
schedule, the coordinator and the county keep its plan (milestones, indicators), and it is closed or cancelled.

Money rules, each checked with the project row locked: total paid never exceeds the granted amount (also a
database constraint); the last 25 % is paid only after the final report is approved (payments.py); what is not
paid when a project is closed or cancelled goes back to the county's free frame.
"""

from __future__ import annotations

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luk_portal.errors import LukError
from luk_portal.formats import format_kroner
from programmes.services import account_release

from .. import notifications, permissions
from ..models import Decision, Indicator, IndicatorValue, Milestone, Payment, Project, ReportDeadline
from . import steps
from .common import event, final_report_approved, locked_project, require, require_active
from .rows import sync_rows

__all__ = [
    "DEFAULT_REPORT_MONTHS",
    "latest_due_date",
    "missing_indicator_goals",
    "project_cancel",
    "project_close",
    "project_create",
    "project_plan_save",
    "schedule_set",
]

DEFAULT_REPORT_MONTHS = 6
FINAL_REPORT_AFTER_MONTHS = 3


def project_create(*, decision: Decision) -> Project:
    """The project an approved application becomes; called within the decision's transaction."""
    application = decision.application
    start = application.period_start or timezone.localdate()
    end = application.period_end or start + relativedelta(years=1)
    project = Project.objects.create(
        application=application,
        county=application.funding_round.county,
        lead_municipality=application.lead_municipality,
        title=application.title,
        period_start=start,
        period_end=end,
        granted_amount=decision.amount,
        report_every_months=DEFAULT_REPORT_MONTHS,
        final_report_due=end + relativedelta(months=FINAL_REPORT_AFTER_MONTHS),
    )
    deadlines_make(project)
    event(project=project, actor=decision.decided_by, action="project_created", comment=format_kroner(decision.amount))
    return project


def deadlines_make(project: Project, fixed_dates: list[datetime.date] | None = None) -> None:
    """Progress-report deadlines every N months through the period (or on fixed dates), and the final one.

    Deadlines that a report already answers are kept, and so are those that stay as they were (with the
    reminders already sent for them); the others are made anew. Without an interval and without new dates (an
    extension of a project on fixed dates), the fixed dates stay as the county set them.
    """
    if fixed_dates is None and not project.report_every_months:
        fixed_dates = list(project.deadlines.filter(final=False).values_list("due_on", flat=True))
    dates = sorted(set(fixed_dates or []))
    if not dates and project.report_every_months:
        due = project.period_start + relativedelta(months=project.report_every_months)
        while due < project.period_end:
            dates.append(due)
            due += relativedelta(months=project.report_every_months)
    project.deadlines.filter(reports__isnull=True).exclude(final=False, due_on__in=dates).exclude(
        final=True, due_on=project.final_report_due
    ).delete()
    kept = set(project.deadlines.values_list("due_on", "final"))
    for due in dates:
        if (due, False) not in kept:
            ReportDeadline.objects.create(project=project, due_on=due, final=False)
    if not project.deadlines.filter(final=True).exists():
        ReportDeadline.objects.create(project=project, due_on=project.final_report_due, final=True)
    else:
        project.deadlines.filter(final=True).update(due_on=project.final_report_due)


def latest_due_date(project: Project) -> datetime.date:
    """The last day a report of the project may fall due: its end plus settings.REPORT_DUE_MARGIN_YEARS."""
    return project.period_end + relativedelta(years=settings.REPORT_DUE_MARGIN_YEARS)


def _check_due_dates(project: Project, *, final_due: datetime.date, fixed_dates: list[datetime.date]) -> None:
    """Every due date lies within the project's period and the margin after it."""
    first, last = project.period_start, latest_due_date(project)
    window = {"first": first.strftime("%d.%m.%Y"), "last": last.strftime("%d.%m.%Y")}
    errors: dict[str, list[str]] = {}
    if final_due > last:
        errors["final_due"] = [_("The final report must be due by %(last)s at the latest.") % window]
    outside = [day for day in fixed_dates if not first <= day <= last]
    if outside:
        errors["fixed_dates"] = [
            _("%(dates)s: a report must be due between %(first)s and %(last)s.")
            % {**window, "dates": ", ".join(day.strftime("%d.%m.%Y") for day in outside)}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def schedule_set(
    *,
    project: Project,
    by: AbstractUser,
    every_months: int | None = None,
    fixed_dates: list[datetime.date] | None = None,
    final_due: datetime.date,
) -> Project:
    """The county sets when progress reports are due (every N months, or fixed dates) and the final report."""
    project = locked_project(project)
    require(permissions.can_set_schedule(by, project), _("Only the county's case officers set the report schedule."))
    require_active(project)
    if not every_months and not fixed_dates:
        raise ValidationError({"every_months": [_("Give an interval in months, or fixed dates.")]})
    if final_due < project.period_start:
        raise ValidationError({"final_due": [_("The final report cannot be due before the project starts.")]})
    _check_due_dates(project, final_due=final_due, fixed_dates=fixed_dates or [])
    project.report_every_months = None if fixed_dates else every_months
    project.final_report_due = final_due
    project.save(update_fields=["report_every_months", "final_report_due"])
    deadlines_make(project, fixed_dates)
    event(
        project=project,
        actor=by,
        action="schedule",
        comment=", ".join(d.strftime("%d.%m.%Y") for d in project.deadlines.values_list("due_on", flat=True)),
    )
    return project


@transaction.atomic
def project_plan_save(
    *, project: Project, by: AbstractUser, milestones: list[dict[str, Any]], indicators: list[dict[str, Any]]
) -> Project:
    """Milestones (name, due date, status) and indicators (result goal, name, unit, baseline, target)."""
    project = locked_project(project)
    require(
        permissions.can_edit_project_plan(by, project),
        _("Only the lead kommune's coordinators and the county's case officers change the project plan."),
    )
    require_active(project)
    goals = set(project.application.result_goals.values_list("pk", flat=True))
    for row in indicators:
        if not row.get("delete") and row["result_goal"].pk not in goals:
            raise ValidationError(
                {"indicators": [_("An indicator must belong to a result goal the project addresses.")]}
            )
        if row.get("delete") and row.get("pk") and IndicatorValue.objects.filter(indicator_id=row["pk"]).exists():
            raise ValidationError(
                {"indicators": [_("An indicator that reports have given values for cannot be removed.")]}
            )
    sync_rows(Milestone, owner={"project": project}, rows=milestones, fields=("name", "due_date", "status"))
    sync_rows(
        Indicator,
        owner={"project": project},
        rows=indicators,
        fields=("result_goal", "name", "unit", "baseline", "target"),
    )
    event(project=project, actor=by, action="plan")
    return project


def missing_indicator_goals(project: Project) -> list[Any]:
    """The result goals of the project that have no indicator yet."""
    covered = set(project.indicators.values_list("result_goal_id", flat=True))
    return [goal for goal in project.application.result_goals.order_by("number") if goal.pk not in covered]


# Closing and cancelling


def release(project: Project, *, by: AbstractUser, action: str, comment: str) -> None:
    """Close or cancel the project (the step `action`): what is not paid goes back to the county's free frame,
    and the payments still asked for are refused with the same words."""
    unpaid = project.granted_amount - project.paid_amount - project.released_amount
    if unpaid:
        account_release(county=project.county, programme=project.application.funding_round.programme, amount=unpaid)
    project.released_amount += unpaid
    project.closed_at = timezone.now()
    for payment in project.payments.select_for_update().filter(status=Payment.Status.REQUESTED):
        payment.decided_by, payment.decided_at, payment.reasons = by, timezone.now(), comment
        steps.take(
            payment,
            "withdraw",
            by=by,
            reason=f"{format_kroner(payment.amount)}: {comment}".strip(": "),
            fields=("decided_by", "decided_at", "reasons"),
        )
    released = _("%(amount)s released to the county's free frame.") % {"amount": format_kroner(unpaid)}
    steps.take(project, action, by=by, reason=f"{comment}\n{released}".strip(), fields=("released_amount", "closed_at"))


def close_if_done(project: Project, *, by: AbstractUser) -> None:
    """After the approved final report and the last payment, the project closes by itself."""
    if (
        project.status == Project.Status.ACTIVE
        and final_report_approved(project)
        and (project.paid_amount == project.granted_amount)
    ):
        release(
            project, by=by, action="complete", comment=_("The final report is approved and the whole grant is paid.")
        )


@transaction.atomic
def project_close(*, project: Project, by: AbstractUser, comment: str = "") -> Project:
    """Close the project after its final report is approved; what is not paid goes back to the county."""
    project = locked_project(project)
    require(permissions.can_close_project(by, project), _("Only the county's staff close projects."))
    require_active(project)
    if not final_report_approved(project):
        raise LukError(_("A project closes after its final report is approved. Cancel it instead, with reasons."))
    release(project, by=by, action="close", comment=comment.strip())
    notifications.on_commit_project(project, "closed")
    return project


@transaction.atomic
def project_cancel(*, project: Project, by: AbstractUser, reasons: str) -> Project:
    """The county cancels the project with reasons; what is not paid goes back to the county's free frame."""
    project = locked_project(project)
    require(permissions.can_close_project(by, project), _("Only the county's staff cancel projects."))
    require_active(project)
    if not reasons.strip():
        raise ValidationError({"reasons": [_("Give the reasons for cancelling the project.")]})
    release(project, by=by, action="cancel", comment=reasons.strip())
    notifications.on_commit_project(project, "cancelled", message=reasons.strip())
    return project
