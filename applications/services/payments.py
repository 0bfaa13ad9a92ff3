"""Payments of a project's grant: the coordinator asks, resting on a report, and the county's case officer decides.

With the project row locked: never more than granted in all, and the last 25 % only after the final report is
approved.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from luk_portal.errors import LukError
from luk_portal.formats import format_kroner
from programmes.services import account_pay

from .. import notifications, permissions
from ..models import Payment, ProgressReport, Project
from . import steps
from .common import RStatus, event, final_report_approved, locked_project, require, require_active
from .projects import close_if_done

__all__ = ["FINAL_HOLD_PERCENT", "final_report_approved", "payable_now", "payment_decide", "payment_request"]

FINAL_HOLD_PERCENT = 25


def payable_now(project: Project) -> int:
    """What can be paid now: up to the granted amount, and only up to 75 % before the final report is approved."""
    ceiling = project.granted_amount
    if not final_report_approved(project):
        ceiling = project.granted_amount * (100 - FINAL_HOLD_PERCENT) // 100
    return max(0, ceiling - project.paid_amount - project.released_amount)


@transaction.atomic
def payment_request(*, project: Project, by: AbstractUser, amount: int, report: ProgressReport) -> Payment:
    """The coordinator asks for a payment, resting on one of the project's submitted or approved reports."""
    project = locked_project(project)
    require(permissions.can_request_payment(by, project), _("Only the lead kommune's coordinators request payments."))
    require_active(project)
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
    event(project=project, actor=by, action="payment_request", comment=format_kroner(amount))
    notifications.on_commit_project(project, "payment_requested")
    return payment


@transaction.atomic
def payment_decide(*, payment: Payment, by: AbstractUser, approve: bool, reasons: str = "") -> Payment:
    """The case officer approves (the money is paid) or refuses with reasons.

    With the project locked: never more than granted in all, and the last 25 % only after the final report.
    """
    # The project first, then the payment: the same order as closing and cancelling, so they cannot deadlock.
    project = locked_project(Project(pk=Payment.objects.values_list("project_id", flat=True).get(pk=payment.pk)))
    payment = Payment.objects.select_for_update(of=("self",)).get(pk=payment.pk)
    payment.project = project
    require(permissions.can_decide_payment(by, payment), _("Only the county's case officers decide payments."))
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
        close_if_done(project, by=by)
    return payment
