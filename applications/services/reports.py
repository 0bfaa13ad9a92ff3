"""Everything that writes in a project's reports: progress and final reports, their attachments, the county's
decision on them, and the reminders for overdue reports."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luk_portal.errors import LukError

from .. import notifications, permissions
from ..models import (
    IndicatorValue,
    MilestoneUpdate,
    ProgressReport,
    Project,
    ReminderSent,
    ReportAttachment,
    ReportCost,
    ReportDeadline,
)
from . import steps
from .common import RStatus, event, fields_set, locked_project, locked_report, require, require_active, upload_keep
from .projects import close_if_done, missing_indicator_goals

__all__ = [
    "REMINDER_INTERVAL_DAYS",
    "reminders_send",
    "report_attachment_add",
    "report_create",
    "report_decide",
    "report_save_draft",
    "report_submit",
    "report_submit_errors",
]

REMINDER_INTERVAL_DAYS = 7


# A report under way: still the coordinator's to write.
OPEN_REPORT_STATUSES = (RStatus.DRAFT, RStatus.RETURNED)


@transaction.atomic
def report_create(*, project: Project, by: AbstractUser, final: bool = False) -> ProgressReport:
    """A draft report; the final report once, the progress reports answering the next open deadline.

    A deadline has at most one report under way (a draft, or one returned for changes): when it has one, that
    report is returned and nothing new is made.
    """
    project = locked_project(project)
    require(permissions.can_write_reports(by, project), _("Only the lead kommune's coordinators write reports."))
    require_active(project)
    if final and project.reports.filter(final=True).exists():
        raise LukError(_("The project has its final report already."))
    open_deadlines = project.deadlines.filter(final=final).exclude(
        reports__status__in=[RStatus.SUBMITTED, RStatus.APPROVED]
    )
    deadline = open_deadlines.order_by("due_on").first()
    started = project.reports.filter(final=final, deadline=deadline, status__in=OPEN_REPORT_STATUSES).first()
    if started:
        # One report a deadline: asking again (a second click, a repeated post) opens the one begun.
        return started
    last = project.reports.filter(status=RStatus.APPROVED).order_by("-period_to").first()
    report = ProgressReport.objects.create(
        project=project,
        deadline=deadline,
        final=final,
        created_by=by,
        period_from=(last.period_to + datetime.timedelta(days=1)) if last and last.period_to else project.period_start,
        period_to=deadline.due_on if deadline and not final else (project.period_end if final else None),
    )
    event(
        project=project, actor=by, action="report_created", comment=_("Final report") if final else _("Progress report")
    )
    return report


REPORT_FIELDS = (
    "period_from",
    "period_to",
    "activities",
    "went_well",
    "challenges",
    "next_steps",
    "results",
    "lessons",
)


@transaction.atomic
def report_save_draft(
    *,
    report: ProgressReport,
    by: AbstractUser,
    fields: dict[str, Any],
    costs: dict[int, int] | None = None,
    indicator_values: dict[int, int] | None = None,
    milestone_statuses: dict[int, str] | None = None,
) -> ProgressReport:
    """Save what the coordinator has written; nothing is required until the report is submitted."""
    report = locked_report(report)
    require(
        permissions.can_edit_report(by, report),
        _("The report can only be changed by the coordinator while it is a draft or returned."),
    )
    fields_set(report, fields, allowed=REPORT_FIELDS, service="report_save_draft")
    report.full_clean()
    report.save()
    project = report.project
    if costs is not None:
        lines = project.application.budget_lines.values_list("pk", flat=True)
        _figures_replace(report.costs, ReportCost, costs, own=lines, key="budget_line_id", value="amount")
    if indicator_values is not None:
        indicators = project.indicators.values_list("pk", flat=True)
        _figures_replace(
            report.indicator_values, IndicatorValue, indicator_values, own=indicators, key="indicator_id", value="value"
        )
    if milestone_statuses is not None:
        milestones = project.milestones.values_list("pk", flat=True)
        _figures_replace(
            report.milestone_updates,
            MilestoneUpdate,
            milestone_statuses,
            own=milestones,
            key="milestone_id",
            value="status",
        )
    return report


def _figures_replace(rows: Any, model: type[Any], figures: dict[int, Any], *, own: Any, key: str, value: str) -> None:
    """Replace the report's figures (`rows`, a related manager) with `figures` by the pk of what they are about;
    figures about something not the project's own, and empty ones, are left out."""
    own = set(own)
    rows.all().delete()
    report = rows.instance
    model.objects.bulk_create(
        model(report=report, **{key: pk, value: figure})
        for pk, figure in figures.items()
        if pk in own and figure is not None and figure != ""
    )


def report_submit_errors(report: ProgressReport) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    project = report.project
    if not report.period_from or not report.period_to:
        errors["period_to"] = [_("Give the period the report covers.")]
    elif report.period_to < report.period_from:
        errors["period_to"] = [_("The period cannot end before it starts.")]
    required = {
        "activities": _("Describe the activities done."),
        "went_well": _("Write what went well."),
        "challenges": _("Write about the challenges."),
        "next_steps": _("Write the next steps."),
    }
    if report.final:
        required.update(results=_("Describe the results against the targets."), lessons=_("Write the lessons learned."))
        required.pop("next_steps")
    for field, message in required.items():
        if not getattr(report, field).strip():
            errors[field] = [message]
    missing_goals = missing_indicator_goals(project)
    if missing_goals:
        errors["indicators"] = [
            _("The project plan needs an indicator for result goal %(goals)s before a report can be submitted.")
            % {"goals": ", ".join(str(g.number) for g in missing_goals)}
        ]
    given = set(report.indicator_values.values_list("indicator_id", flat=True))
    if set(project.indicators.values_list("pk", flat=True)) - given:
        errors.setdefault("indicators", []).append(_("Give a value for every indicator."))
    lines = set(project.application.budget_lines.values_list("pk", flat=True))
    if lines - set(report.costs.values_list("budget_line_id", flat=True)):
        errors["costs"] = [_("Give the costs so far for every budget line (0 where there are none).")]
    return errors


@transaction.atomic
def report_submit(*, report: ProgressReport, by: AbstractUser) -> ProgressReport:
    report = locked_report(report)
    steps.require(report, "submit", by=by)
    require_active(report.project)
    errors = report_submit_errors(report)
    if errors:
        raise ValidationError(errors)
    for update in report.milestone_updates.select_related("milestone"):
        if update.milestone.status != update.status:
            update.milestone.status = update.status
            update.milestone.save(update_fields=["status"])
    report.submitted_at = timezone.now()
    steps.take(report, "submit", by=by, reason=_report_name(report), fields=("submitted_at",))
    notifications.on_commit_project(report.project, "report_submitted")
    return report


def _report_name(report: ProgressReport) -> str:
    name = _("Final report") if report.final else _("Progress report")
    if report.period_from and report.period_to:
        name += f" {report.period_from:%d.%m.%Y}–{report.period_to:%d.%m.%Y}"
    return name


@transaction.atomic
def report_decide(*, report: ProgressReport, by: AbstractUser, approve: bool, message: str = "") -> ProgressReport:
    """The case officer approves the report, or returns it to the coordinator with a message."""
    report = locked_report(report)
    project = locked_project(report.project)
    action = "approve" if approve else "return"
    steps.require(report, action, by=by)
    if not approve and not message.strip():
        raise ValidationError({"message": [_("Write what the coordinator should change.")]})
    report.decided_at = timezone.now()
    steps.take(report, action, by=by, reason=message.strip() or _report_name(report), fields=("decided_at",))
    notifications.on_commit_project(
        project, "report_approved" if approve else "report_returned", message=message.strip()
    )
    if approve and report.final:
        close_if_done(project, by=by)
    return report


@transaction.atomic
def report_attachment_add(*, report: ProgressReport, by: AbstractUser, upload: UploadedFile) -> ReportAttachment:
    report = locked_report(report)
    require(permissions.can_edit_report(by, report), _("Attachments can only be added while you can edit the report."))
    return upload_keep(ReportAttachment, report=report, upload=upload, by=by)


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind the coordinators of every overdue report, once per interval however often this runs.

    Returns how many reminders were sent now.
    """
    today = today or timezone.localdate()
    overdue = (
        ReportDeadline.objects.filter(project__status=Project.Status.ACTIVE, due_on__lt=today)
        .exclude(reports__status__in=[RStatus.SUBMITTED, RStatus.APPROVED])
        .select_related("project")
        .distinct()
    )
    sent = 0
    for deadline in overdue:
        interval = (today - deadline.due_on).days // REMINDER_INTERVAL_DAYS
        try:
            with transaction.atomic():
                ReminderSent.objects.create(deadline=deadline, interval=interval, sent_at=timezone.now())
                notifications.on_commit_project(deadline.project, "report_overdue", deadline=deadline)
        except IntegrityError:
            continue  # already reminded in this interval (perhaps by a run at the same moment)
        sent += 1
    return sent
