"""Everything that writes in the grant cycle, part 2: projects, their plan and schedule, progress and final
reports, payments, change requests, closing and cancelling, and the reminders for overdue reports.

Money rules, each checked with the project row locked: total paid never exceeds the granted amount (also a
database constraint); the last 25 % is paid only after the final report is approved; what is not paid when
a project is closed or cancelled goes back to the county's free frame.
"""

from __future__ import annotations

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from luk_portal.errors import LukError, NotAllowed
from luk_portal.formats import format_kroner
from programmes.services import account_pay, account_release

from .. import notifications, permissions
from ..files import check_upload
from ..models import (
    BudgetLine,
    CaseEvent,
    ChangeRequest,
    Decision,
    Indicator,
    IndicatorValue,
    Milestone,
    MilestoneUpdate,
    Payment,
    ProgressReport,
    Project,
    ReminderSent,
    ReportAttachment,
    ReportCost,
    ReportDeadline,
)
from . import steps
from .rows import sync_rows

__all__ = [
    "DEFAULT_REPORT_MONTHS",
    "FINAL_HOLD_PERCENT",
    "MAX_PROJECT_YEARS",
    "REMINDER_INTERVAL_DAYS",
    "change_request_create",
    "change_request_decide",
    "latest_due_date",
    "payable_now",
    "payment_decide",
    "payment_request",
    "project_cancel",
    "project_close",
    "project_create",
    "project_plan_save",
    "reminders_send",
    "report_attachment_add",
    "report_create",
    "report_decide",
    "report_save_draft",
    "report_submit",
    "report_submit_errors",
    "schedule_set",
]

DEFAULT_REPORT_MONTHS = 6
MAX_PROJECT_YEARS = 10
FINAL_REPORT_AFTER_MONTHS = 3
FINAL_HOLD_PERCENT = 25
REMINDER_INTERVAL_DAYS = 7

RStatus = ProgressReport.Status


def _event(
    *, project: Project, actor: AbstractUser, action: str, comment: str = "", from_status: str = "", to_status: str = ""
) -> None:
    CaseEvent.objects.create(
        project=project,
        actor=actor,
        at=timezone.now(),
        action=action,
        comment=comment,
        from_status=from_status,
        to_status=to_status,
    )


def _locked(project: Project) -> Project:
    return (
        Project.objects.select_for_update(of=("self",))
        .select_related("county", "lead_municipality", "application__funding_round__programme")
        .get(pk=project.pk)
    )


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise NotAllowed(message)


def _require_active(project: Project) -> None:
    if project.status != Project.Status.ACTIVE:
        raise LukError(
            _("The project is %(status)s; nothing more can be done on it.")
            % {"status": project.get_status_display().lower()}
        )


# Project and plan


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
    _make_deadlines(project)
    _event(project=project, actor=decision.decided_by, action="project_created", comment=format_kroner(decision.amount))
    return project


def _make_deadlines(project: Project, fixed_dates: list[datetime.date] | None = None) -> None:
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
    project = _locked(project)
    _require(permissions.can_set_schedule(by, project), _("Only the county's case officers set the report schedule."))
    _require_active(project)
    if not every_months and not fixed_dates:
        raise ValidationError({"every_months": [_("Give an interval in months, or fixed dates.")]})
    if final_due < project.period_start:
        raise ValidationError({"final_due": [_("The final report cannot be due before the project starts.")]})
    _check_due_dates(project, final_due=final_due, fixed_dates=fixed_dates or [])
    project.report_every_months = None if fixed_dates else every_months
    project.final_report_due = final_due
    project.save(update_fields=["report_every_months", "final_report_due"])
    _make_deadlines(project, fixed_dates)
    _event(
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
    project = _locked(project)
    _require(
        permissions.can_edit_project_plan(by, project),
        _("Only the lead kommune's coordinators and the county's case officers change the project plan."),
    )
    _require_active(project)
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
    _event(project=project, actor=by, action="plan")
    return project


def missing_indicator_goals(project: Project) -> list[Any]:
    """The result goals of the project that have no indicator yet."""
    covered = set(project.indicators.values_list("result_goal_id", flat=True))
    return [goal for goal in project.application.result_goals.order_by("number") if goal.pk not in covered]


# Reports

# A report under way: still the coordinator's to write.
OPEN_REPORT_STATUSES = (RStatus.DRAFT, RStatus.RETURNED)


@transaction.atomic
def report_create(*, project: Project, by: AbstractUser, final: bool = False) -> ProgressReport:
    """A draft report; the final report once, the progress reports answering the next open deadline.

    A deadline has at most one report under way (a draft, or one returned for changes): when it has one, that
    report is returned and nothing new is made.
    """
    project = _locked(project)
    _require(permissions.can_write_reports(by, project), _("Only the lead kommune's coordinators write reports."))
    _require_active(project)
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
    _event(
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


def _locked_report(report: ProgressReport) -> ProgressReport:
    return ProgressReport.objects.select_for_update(of=("self",)).select_related("project").get(pk=report.pk)


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
    report = _locked_report(report)
    _require(
        permissions.can_edit_report(by, report),
        _("The report can only be changed by the coordinator while it is a draft or returned."),
    )
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"report_save_draft does not change {sorted(unknown)}")
    for name, value in fields.items():
        setattr(report, name, value if value is not None else report._meta.get_field(name).get_default())
    report.full_clean()
    report.save()
    project = report.project
    if costs is not None:
        lines = set(project.application.budget_lines.values_list("pk", flat=True))
        report.costs.all().delete()
        ReportCost.objects.bulk_create(
            ReportCost(report=report, budget_line_id=line, amount=amount)
            for line, amount in costs.items()
            if line in lines and amount is not None
        )
    if indicator_values is not None:
        own = set(project.indicators.values_list("pk", flat=True))
        report.indicator_values.all().delete()
        IndicatorValue.objects.bulk_create(
            IndicatorValue(report=report, indicator_id=pk, value=value)
            for pk, value in indicator_values.items()
            if pk in own and value is not None
        )
    if milestone_statuses is not None:
        own = set(project.milestones.values_list("pk", flat=True))
        report.milestone_updates.all().delete()
        MilestoneUpdate.objects.bulk_create(
            MilestoneUpdate(report=report, milestone_id=pk, status=status)
            for pk, status in milestone_statuses.items()
            if pk in own and status
        )
    return report


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
    report = _locked_report(report)
    steps.require(report, "submit", by=by)
    _require_active(report.project)
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
    report = _locked_report(report)
    project = _locked(report.project)
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
        _close_if_done(project, by=by)
    return report


@transaction.atomic
def report_attachment_add(*, report: ProgressReport, by: AbstractUser, upload: UploadedFile) -> ReportAttachment:
    report = _locked_report(report)
    _require(permissions.can_edit_report(by, report), _("Attachments can only be added while you can edit the report."))
    content_type = check_upload(upload)
    attachment = ReportAttachment(
        report=report, name=upload.name[:255], content_type=content_type, size=upload.size, uploaded_by=by
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


# Payments


def final_report_approved(project: Project) -> bool:
    return project.reports.filter(final=True, status=RStatus.APPROVED).exists()


def payable_now(project: Project) -> int:
    """What can be paid now: up to the granted amount, and only up to 75 % before the final report is approved."""
    ceiling = project.granted_amount
    if not final_report_approved(project):
        ceiling = project.granted_amount * (100 - FINAL_HOLD_PERCENT) // 100
    return max(0, ceiling - project.paid_amount - project.released_amount)


@transaction.atomic
def payment_request(*, project: Project, by: AbstractUser, amount: int, report: ProgressReport) -> Payment:
    """The coordinator asks for a payment, resting on one of the project's submitted or approved reports."""
    project = _locked(project)
    _require(permissions.can_request_payment(by, project), _("Only the lead kommune's coordinators request payments."))
    _require_active(project)
    errors: dict[str, list[str]] = {}
    report = ProgressReport.objects.get(pk=report.pk)  # as it is now, not as the caller last saw it
    if report.project_id != project.pk or report.status not in (RStatus.SUBMITTED, RStatus.APPROVED):
        errors["report"] = [_("Choose a submitted or approved report of this project.")]
    pending = project.payments.filter(status=Payment.Status.REQUESTED).aggregate(total=Sum("amount"))["total"] or 0
    available = project.granted_amount - project.paid_amount - project.released_amount - pending
    if not amount or amount <= 0:
        errors["amount"] = [_("Give the amount.")]
    elif amount > available:
        errors["amount"] = [
            _("The amount is more than what is left of the grant (%(left)s, with the requests already waiting).")
            % {"left": format_kroner(max(available, 0))}
        ]
    if errors:
        raise ValidationError(errors)
    payment = Payment(project=project, report=report, amount=amount, requested_by=by, requested_at=timezone.now())
    payment._history_user = by
    payment.save()
    _event(project=project, actor=by, action="payment_request", comment=format_kroner(amount))
    notifications.on_commit_project(project, "payment_requested")
    return payment


@transaction.atomic
def payment_decide(*, payment: Payment, by: AbstractUser, approve: bool, reasons: str = "") -> Payment:
    """The case officer approves (the money is paid) or refuses with reasons.

    With the project locked: never more than granted in all, and the last 25 % only after the final report.
    """
    # The project first, then the payment: the same order as closing and cancelling, so they cannot deadlock.
    project = _locked(Project(pk=Payment.objects.values_list("project_id", flat=True).get(pk=payment.pk)))
    payment = Payment.objects.select_for_update(of=("self",)).get(pk=payment.pk)
    payment.project = project
    _require(permissions.can_decide_payment(by, payment), _("Only the county's case officers decide payments."))
    if payment.status != Payment.Status.REQUESTED:
        raise LukError(_("This payment is already decided. Reload the page."))
    if approve:
        if payment.amount > payable_now(project):
            if final_report_approved(project):
                message = _("The amount is more than what is left of the grant (%(left)s).")
            else:
                message = _(
                    "Only %(left)s can be paid before the final report is approved: the last 25 %% of "
                    "the grant waits for it."
                )
            raise ValidationError({"amount": [message % {"left": format_kroner(payable_now(project))}]})
        project.paid_amount += payment.amount
        project.save(update_fields=["paid_amount"])
        account_pay(county=project.county, programme=project.application.funding_round.programme, amount=payment.amount)
    elif not reasons.strip():
        raise ValidationError({"reasons": [_("Give the reasons for refusing.")]})
    payment.decided_by, payment.decided_at, payment.reasons = by, timezone.now(), reasons.strip()
    steps.take(
        payment,
        "approve" if approve else "refuse",
        by=by,
        reason=format_kroner(payment.amount) + (f": {payment.reasons}" if payment.reasons else ""),
        fields=("decided_by", "decided_at", "reasons"),
    )
    notifications.on_commit_project(project, "payment_decided")
    if approve:
        _close_if_done(project, by=by)
    return payment


# Change requests


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
    project = _locked(project)
    _require(permissions.can_request_change(by, project), _("Only the lead kommune's coordinators request changes."))
    _require_active(project)
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
    _event(project=project, actor=by, action="change_request", comment=f"{change.get_kind_display()}: {change.reasons}")
    notifications.on_commit_project(project, "change_requested")
    return change


@transaction.atomic
def change_request_decide(
    *, change_request: ChangeRequest, by: AbstractUser, approve: bool, comment: str = ""
) -> ChangeRequest:
    change = ChangeRequest.objects.select_for_update(of=("self",)).get(pk=change_request.pk)
    project = _locked(change.project)
    _require(permissions.can_decide_change(by, change), _("Only the county's case officers decide change requests."))
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
            _make_deadlines(project)
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


# Closing and cancelling


def _release(project: Project, *, by: AbstractUser, action: str, comment: str) -> None:
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


def _close_if_done(project: Project, *, by: AbstractUser) -> None:
    """After the approved final report and the last payment, the project closes by itself."""
    if (
        project.status == Project.Status.ACTIVE
        and final_report_approved(project)
        and (project.paid_amount == project.granted_amount)
    ):
        _release(
            project, by=by, action="complete", comment=_("The final report is approved and the whole grant is paid.")
        )


@transaction.atomic
def project_close(*, project: Project, by: AbstractUser, comment: str = "") -> Project:
    """Close the project after its final report is approved; what is not paid goes back to the county."""
    project = _locked(project)
    _require(permissions.can_close_project(by, project), _("Only the county's staff close projects."))
    _require_active(project)
    if not final_report_approved(project):
        raise LukError(_("A project closes after its final report is approved. Cancel it instead, with reasons."))
    _release(project, by=by, action="close", comment=comment.strip())
    notifications.on_commit_project(project, "closed")
    return project


@transaction.atomic
def project_cancel(*, project: Project, by: AbstractUser, reasons: str) -> Project:
    """The county cancels the project with reasons; what is not paid goes back to the county's free frame."""
    project = _locked(project)
    _require(permissions.can_close_project(by, project), _("Only the county's staff cancel projects."))
    _require_active(project)
    if not reasons.strip():
        raise ValidationError({"reasons": [_("Give the reasons for cancelling the project.")]})
    _release(project, by=by, action="cancel", comment=reasons.strip())
    notifications.on_commit_project(project, "cancelled", message=reasons.strip())
    return project


# Reminders


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
