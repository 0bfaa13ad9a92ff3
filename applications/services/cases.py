"""Everything that writes in an application's case: the coordinator's draft, its attachments and submission, and
the county's review up to the recommendation (the decision is in decisions.py, county plans in plans.py).

Each state change is one atomic service: lock the row, check the person may do it, check the step against the
table in workflow.py, change, validate, save, write the timeline entry, and send e-mail or start a task once the
transaction has committed.
"""

from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luk_portal.errors import LukError, NotAllowed
from luk_portal.formats import format_kroner
from programmes.models import FundingRound, Municipality, ResultGoal, Theme

from .. import notifications, permissions
from ..models import Application, ApplicationVersion, Attachment, BudgetLine, Partner, Recommendation
from . import steps
from .common import MAX_PROJECT_YEARS, event, fields_set, locked_application, more_than_applied, require, upload_keep
from .rows import sync_rows

Status = Application.Status

__all__ = [
    "DRAFT_FIELDS",
    "application_create",
    "application_return",
    "application_save_draft",
    "application_submit",
    "application_take",
    "attachment_add",
    "attachment_remove",
    "recommendation_make",
    "submit_errors",
]


# Applications: the coordinator's part


@transaction.atomic
def application_create(
    *, by: AbstractUser, funding_round: FundingRound, lead_municipality: Municipality, title: str = ""
) -> Application:
    """A coordinator starts a draft application from one of its kommunar to the kommune's county's round."""
    require(
        permissions.can_apply_for(by, lead_municipality),
        _("You can only apply on behalf of a kommune you are coordinator for."),
    )
    if funding_round.kind != FundingRound.Kind.MUNICIPAL or funding_round.county_id != lead_municipality.county_id:
        raise LukError(
            _("This round is not open to %(kommune)s.") % {"kommune": lead_municipality.name}, field="funding_round"
        )
    if funding_round.deadline < timezone.now():
        raise LukError(_("The deadline of this round has passed."), field="funding_round")
    application = Application(
        funding_round=funding_round,
        lead_municipality=lead_municipality,
        title=title.strip(),
        created_by=by,
        contact_name=by.get_full_name(),
        contact_email=by.email,
    )
    application._history_user = by
    application.save()
    event(application=application, actor=by, action="created", to_status=application.status)
    return application


DRAFT_FIELDS = (
    "title",
    "summary",
    "background",
    "goals",
    "activities",
    "period_start",
    "period_end",
    "requested_amount",
    "own_contribution",
    "other_public",
    "private",
    "contact_name",
    "contact_email",
    "contact_phone",
)


@transaction.atomic
def application_save_draft(
    *,
    application: Application,
    by: AbstractUser,
    fields: dict[str, Any],
    themes: list[Theme] | None = None,
    result_goals: list[ResultGoal] | None = None,
    partner_municipalities: list[Municipality] | None = None,
    budget_lines: list[dict[str, Any]] | None = None,
    partners: list[dict[str, Any]] | None = None,
) -> Application:
    """Save what the coordinator has written so far; nothing is required yet, so nothing is lost.

    Budget lines and partners, when given, are saved row by row (see rows.sync_rows): a row with a "pk" is
    updated or, with "delete", removed; a row without one is added; rows not mentioned stay.
    """
    application = locked_application(application)
    if not permissions.is_lead_coordinator(by, application):
        raise NotAllowed(_("Only the lead kommune's coordinators can change this application."))
    if not permissions.can_edit(by, application):
        raise NotAllowed(_("The application can only be changed while it is a draft or returned for changes."))
    fields_set(application, fields, allowed=DRAFT_FIELDS, service="application_save_draft")
    application._history_user = by
    application.full_clean(validate_constraints=True)
    application.save()
    if themes is not None:
        application.themes.set(themes)
    if result_goals is not None:
        application.result_goals.set(result_goals)
    if partner_municipalities is not None:
        application.partner_municipalities.set(
            [m for m in partner_municipalities if m.pk != application.lead_municipality_id]
        )
    if budget_lines is not None:
        sync_rows(
            BudgetLine,
            owner={"application": application},
            rows=budget_lines,
            fields=("category", "description", "amount"),
        )
    if partners is not None:
        sync_rows(Partner, owner={"application": application}, rows=partners, fields=("name", "kind"))
    return application


def submit_errors(application: Application) -> dict[str, list[str]]:
    """Everything that stops the application from being submitted, by field; empty when it is complete."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    required = {
        "title": _("Give the project a title."),
        "summary": _("Write a short summary."),
        "background": _("Describe the background."),
        "goals": _("Describe the goals."),
        "activities": _("Describe the planned activities."),
        "contact_name": _("Name a contact person."),
        "contact_email": _("Give the contact person's e-mail address."),
    }
    for field, message in required.items():
        if not str(getattr(application, field) or "").strip():
            add(field, message)
    if not application.themes.exists():
        add("themes", _("Choose at least one theme."))
    if not application.result_goals.exists():
        add("result_goals", _("Choose at least one result goal the project addresses."))
    if not application.period_start:
        add("period_start", _("Give the date the project starts."))
    if not application.period_end:
        add("period_end", _("Give the date the project ends."))
    elif application.period_start and application.period_end > application.period_start + relativedelta(
        years=MAX_PROJECT_YEARS
    ):
        add("period_end", _("A project can last at most %(years)s years.") % {"years": MAX_PROJECT_YEARS})
    lines = list(application.budget_lines.all())
    budget_total = sum(line.amount for line in lines)
    if not lines or budget_total <= 0:
        add("budget", _("Add at least one budget line with an amount."))
    if application.requested_amount <= 0:
        add("requested_amount", _("Give the amount of LUK funds you apply for."))
    elif application.requested_amount > application.funding_round.budget:
        add(
            "requested_amount",
            _("The amount is more than the round's whole budget (%(budget)s).")
            % {"budget": format_kroner(application.funding_round.budget)},
        )
    if lines and application.financing_total != budget_total:
        add(
            "financing",
            _("The financing plan (%(financing)s) must add up to the budget (%(budget)s).")
            % {"financing": format_kroner(application.financing_total), "budget": format_kroner(budget_total)},
        )
    return errors


def _snapshot(application: Application) -> dict[str, Any]:
    """The application as the county will read it, kept for ever as this version."""
    return {
        **{field: str(getattr(application, field) or "") for field in DRAFT_FIELDS},
        "lead_municipality": str(application.lead_municipality),
        "partner_municipalities": [str(m) for m in application.partner_municipalities.order_by("number")],
        "themes": [t.name_nn for t in application.themes.all()],
        "result_goals": [g.number for g in application.result_goals.order_by("number")],
        "budget_lines": [
            {"category": line.category, "description": line.description, "amount": line.amount}
            for line in application.budget_lines.all()
        ],
        "partners": [{"name": p.name, "kind": p.kind} for p in application.partners.all()],
        "attachments": [a.name for a in application.attachments.all()],
    }


@transaction.atomic
def application_submit(*, application: Application, by: AbstractUser) -> Application:
    """Send the application to the county. Refused with every missing piece by field, or after the deadline.

    The deadline holds for the first submission; an application the county returned can be sent again later.
    """
    application = locked_application(application)
    steps.require(application, "submit", by=by)
    now = timezone.now()
    if now < application.funding_round.opens_at:
        raise LukError(
            _("The round opens %(opens)s; the application can be submitted from then.")
            % {"opens": timezone.localtime(application.funding_round.opens_at).strftime("%d.%m.%Y %H:%M")}
        )
    if application.status == Status.DRAFT and now > application.funding_round.deadline:
        raise LukError(
            _("The deadline of the round was %(deadline)s; the application can no longer be submitted.")
            % {"deadline": timezone.localtime(application.funding_round.deadline).strftime("%d.%m.%Y %H:%M")}
        )
    errors = submit_errors(application)
    if errors:
        raise ValidationError(errors)
    application.version += 1
    application.submitted_at = now
    if not application.case_number:
        application.case_number = f"{now.year}/{application.funding_round.county.number}-{application.pk:05d}"
    ApplicationVersion.objects.create(
        application=application,
        number=application.version,
        submitted_at=now,
        submitted_by=by,
        content=_snapshot(application),
    )
    steps.take(application, "submit", by=by, fields=("version", "submitted_at", "case_number"))
    notifications.on_commit_application(application, "submitted")
    return application


@transaction.atomic
def attachment_add(*, application: Application, by: AbstractUser, upload: UploadedFile) -> Attachment:
    """Attach a document; its type is checked by its content, its size against the limit."""
    application = locked_application(application)
    require(
        permissions.can_edit(by, application), _("Attachments can only be added while you can edit the application.")
    )
    attachment = upload_keep(Attachment, application=application, upload=upload, by=by)
    event(application=application, actor=by, action="attachment", comment=attachment.name)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: AbstractUser) -> None:
    application = locked_application(attachment.application)
    require(
        permissions.can_edit(by, application), _("Attachments can only be removed while you can edit the application.")
    )
    attachment.file.delete(save=False)
    attachment.delete()


# Review: the county's part


@transaction.atomic
def application_take(*, application: Application, by: AbstractUser) -> Application:
    """A case officer takes the submitted case to review it."""
    application = locked_application(application)
    steps.require(application, "take", by=by)
    application.officer = by
    steps.take(application, "take", by=by, fields=("officer",))
    return application


@transaction.atomic
def application_return(*, application: Application, by: AbstractUser, message: str) -> Application:
    """The case officer returns the case to the coordinator with a message saying what to change."""
    application = locked_application(application)
    steps.require(application, "return", by=by)
    if not message.strip():
        raise LukError(_("Write what the coordinator should change."), field="message")
    steps.take(application, "return", by=by, reason=message.strip())
    notifications.on_commit_application(application, "returned", message=message.strip())
    return application


@transaction.atomic
def recommendation_make(
    *,
    application: Application,
    by: AbstractUser,
    outcome: str,
    reasons: str,
    amount: int | None = None,
    conditions: str = "",
) -> Recommendation:
    """The case officer recommends approval (with an amount and conditions) or rejection, with reasons."""
    application = locked_application(application)
    steps.require(application, "recommend", by=by)
    errors: dict[str, list[str]] = {}
    if not reasons.strip():
        errors["reasons"] = [_("Give the reasons for the recommendation.")]
    if outcome == Recommendation.Outcome.APPROVE:
        if not amount or amount <= 0:
            errors["amount"] = [_("Give the amount you recommend.")]
        elif amount > application.requested_amount:
            errors["amount"] = [more_than_applied(application.requested_amount)]
    else:
        amount = None
    if errors:
        raise ValidationError(errors)
    recommendation = Recommendation(
        application=application,
        author=by,
        outcome=outcome,
        amount=amount,
        conditions=conditions.strip(),
        reasons=reasons.strip(),
    )
    recommendation.full_clean()
    recommendation.save()
    # The recommendation itself is an internal document until the decision: the timeline only says it exists.
    steps.take(application, "recommend", by=by)
    notifications.on_commit_application(application, "recommended", exclude=by)
    return recommendation
