"""Everything that writes in the grant cycle, part 1: applications, review, recommendation, decision, county plans.

Each state change is one atomic service: lock the row, check the person may do it, check the step against the
table in workflow.py, change, validate, save, write the timeline entry, and send e-mail or start a task once the
transaction has committed.
"""

from __future__ import annotations

import hashlib
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luk_portal.errors import LukError, NotAllowed
from luk_portal.formats import format_kroner
from programmes.models import FundingRound, Municipality, ResultGoal, Theme
from programmes.services import account_reserve, frame_grant

from .. import notifications, permissions
from ..files import check_upload
from ..models import (
    Application,
    ApplicationVersion,
    Attachment,
    BudgetLine,
    CaseEvent,
    CountyPlan,
    Decision,
    Partner,
    Recommendation,
)
from . import steps
from .rows import sync_rows

Status = Application.Status
MAX_PROJECT_YEARS = 10

__all__ = [
    "DRAFT_FIELDS",
    "PLAN_FIELDS",
    "application_create",
    "application_return",
    "application_save_draft",
    "application_submit",
    "application_take",
    "attachment_add",
    "attachment_remove",
    "decision_letter_store",
    "decision_make",
    "plan_approve",
    "plan_create",
    "plan_return",
    "plan_save_draft",
    "plan_submit",
    "plan_submit_errors",
    "recommendation_make",
    "submit_errors",
]


def _event(
    *,
    actor: AbstractUser,
    action: str,
    application: Application | None = None,
    plan: CountyPlan | None = None,
    from_status: str = "",
    to_status: str = "",
    comment: str = "",
    internal: bool = False,
) -> CaseEvent:
    return CaseEvent.objects.create(
        application=application,
        county_plan=plan,
        actor=actor,
        at=timezone.now(),
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        internal=internal,
    )


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("funding_round", "funding_round__county", "funding_round__programme", "lead_municipality")
        .get(pk=application.pk)
    )


def _move(
    application: Application,
    *,
    by: AbstractUser,
    action: str,
    comment: str = "",
    fields: tuple = (),
    internal: bool = False,
) -> None:
    """Take the step on the application (steps.take) and save the given fields with it."""
    steps.take(application, action, by=by, reason=comment, fields=fields, internal=internal)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise NotAllowed(message)


# Applications: the coordinator's part


@transaction.atomic
def application_create(
    *, by: AbstractUser, funding_round: FundingRound, lead_municipality: Municipality, title: str = ""
) -> Application:
    """A coordinator starts a draft application from one of its kommunar to the kommune's county's round."""
    _require(
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
    _event(application=application, actor=by, action="created", to_status=application.status)
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
    application = _locked(application)
    if not permissions.is_lead_coordinator(by, application):
        raise NotAllowed(_("Only the lead kommune's coordinators can change this application."))
    if not permissions.can_edit(by, application):
        raise NotAllowed(_("The application can only be changed while it is a draft or returned for changes."))
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"application_save_draft does not change {sorted(unknown)}")
    for name, value in fields.items():
        setattr(application, name, value if value is not None else application._meta.get_field(name).get_default())
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
    application = _locked(application)
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
    _move(application, by=by, action="submit", fields=("version", "submitted_at", "case_number"))
    notifications.on_commit_application(application, "submitted")
    return application


@transaction.atomic
def attachment_add(*, application: Application, by: AbstractUser, upload: UploadedFile) -> Attachment:
    """Attach a document; its type is checked by its content, its size against the limit."""
    application = _locked(application)
    _require(
        permissions.can_edit(by, application), _("Attachments can only be added while you can edit the application.")
    )
    content_type = check_upload(upload)
    attachment = Attachment(
        application=application, name=upload.name[:255], content_type=content_type, size=upload.size, uploaded_by=by
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    _event(application=application, actor=by, action="attachment", comment=attachment.name)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: AbstractUser) -> None:
    application = _locked(attachment.application)
    _require(
        permissions.can_edit(by, application), _("Attachments can only be removed while you can edit the application.")
    )
    attachment.file.delete(save=False)
    attachment.delete()


# Review: the county's part


@transaction.atomic
def application_take(*, application: Application, by: AbstractUser) -> Application:
    """A case officer takes the submitted case to review it."""
    application = _locked(application)
    steps.require(application, "take", by=by)
    application.officer = by
    _move(application, by=by, action="take", fields=("officer",))
    return application


@transaction.atomic
def application_return(*, application: Application, by: AbstractUser, message: str) -> Application:
    """The case officer returns the case to the coordinator with a message saying what to change."""
    application = _locked(application)
    steps.require(application, "return", by=by)
    if not message.strip():
        raise LukError(_("Write what the coordinator should change."), field="message")
    _move(application, by=by, action="return", comment=message.strip())
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
    application = _locked(application)
    steps.require(application, "recommend", by=by)
    errors: dict[str, list[str]] = {}
    if not reasons.strip():
        errors["reasons"] = [_("Give the reasons for the recommendation.")]
    if outcome == Recommendation.Outcome.APPROVE:
        if not amount or amount <= 0:
            errors["amount"] = [_("Give the amount you recommend.")]
        elif amount > application.requested_amount:
            errors["amount"] = [
                _("The amount cannot be more than applied for (%(requested)s).")
                % {"requested": format_kroner(application.requested_amount)}
            ]
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
    _move(application, by=by, action="recommend")
    notifications.on_commit_application(application, "recommended", exclude=by)
    return recommendation


@transaction.atomic
def decision_make(
    *,
    application: Application,
    by: AbstractUser,
    outcome: str,
    reasons: str = "",
    amount: int | None = None,
    conditions: str = "",
) -> Decision | None:
    """A decision-maker approves, rejects, or sends the case back to the case officer.

    Never on a recommendation the same person wrote. Approval takes the amount from the county's free frame,
    with the county's account locked, so two decisions at once cannot together grant more than it holds.
    Returns the decision, or None when the case was sent back.
    """
    application = _locked(application)
    _require(
        permissions.is_decision_maker_for(by, application), _("Only the county's decision-makers can decide this case.")
    )
    recommendation = application.recommendations.order_by("-created_at", "-pk").first()
    if recommendation is not None and recommendation.author_id == by.pk:
        raise NotAllowed(_("You wrote the recommendation, so someone else must make the decision."))
    action = {"approve": "approve", "reject": "reject", "send_back": "send_back"}.get(outcome)
    if action is None:
        raise LukError(_("Choose approve, reject or send back."), field="outcome")
    steps.require(application, action, by=by)
    reasons = reasons.strip()
    if action == "send_back":
        if not reasons:
            raise ValidationError({"reasons": [_("Write what the case officer should look at again.")]})
        # The decision-maker's word to the case officer is internal, like the recommendation it is about.
        _move(application, by=by, action="send_back", comment=reasons, internal=True)
        return None
    if not reasons:
        raise ValidationError({"reasons": [_("Give the reasons for the decision.")]})
    if action == "approve":
        if not amount or amount <= 0:
            raise ValidationError({"amount": [_("Give the amount granted.")]})
        if amount > application.requested_amount:
            raise ValidationError(
                {
                    "amount": [
                        _("The amount cannot be more than applied for (%(requested)s).")
                        % {"requested": format_kroner(application.requested_amount)}
                    ]
                }
            )
        try:
            account_reserve(
                county=application.funding_round.county, programme=application.funding_round.programme, amount=amount
            )
        except LukError as error:
            raise ValidationError({"amount": [error.message]}) from error
    else:
        amount = None
    decision = Decision(
        application=application,
        recommendation=recommendation,
        recommended_by_id=recommendation.author_id,
        decided_by=by,
        outcome=Decision.Outcome.APPROVED if action == "approve" else Decision.Outcome.REJECTED,
        amount=amount,
        conditions=conditions.strip() if action == "approve" else "",
        reasons=reasons,
        decided_at=timezone.now(),
    )
    decision._history_user = by
    decision.full_clean()
    decision.save()
    summary = decision.get_outcome_display() + (f": {format_kroner(amount)}" if amount else "")
    _move(application, by=by, action=action, comment=summary)
    if action == "approve":
        from .projects import project_create

        project_create(decision=decision)
    transaction.on_commit(lambda: _start_letter(decision.pk))
    notifications.on_commit_application(application, "decided")
    return decision


def _start_letter(decision_id: int) -> None:
    from ..tasks import decision_letter_make

    decision_letter_make.delay(decision_id)


@transaction.atomic
def decision_letter_store(*, decision_id: int, pdf: bytes, language: str) -> Decision:
    """Keep the decision letter. Once kept it never changes: a second call leaves the first letter as it is."""
    decision = Decision.objects.select_for_update().get(pk=decision_id)
    if decision.letter:
        return decision
    digest = hashlib.sha256(pdf).hexdigest()
    decision.letter.save(f"vedtak-{decision.application_id}-{digest[:12]}.pdf", ContentFile(pdf), save=False)
    decision.letter_sha256 = digest
    decision.letter_language = language
    decision.save(update_fields=["letter", "letter_sha256", "letter_language"])
    _event(application=decision.application, actor=decision.decided_by, action="letter")
    return decision


# County plans


@transaction.atomic
def plan_create(*, by: AbstractUser, county: Any, programme: Any, title: str = "") -> CountyPlan:
    _require(permissions.can_write_plan_for(by, county.pk), _("Only the county authority's staff can write its plan."))
    plan = CountyPlan(county=county, programme=programme, title=title.strip(), created_by=by)
    plan._history_user = by
    plan.save()
    _event(plan=plan, actor=by, action="created", to_status=plan.status)
    return plan


PLAN_FIELDS = ("title", "requested_amount", "period_start", "period_end", "activities", "budget")


@transaction.atomic
def plan_save_draft(
    *,
    plan: CountyPlan,
    by: AbstractUser,
    fields: dict[str, Any],
    themes: list[Theme] | None = None,
    municipalities: list[Municipality] | None = None,
) -> CountyPlan:
    plan = CountyPlan.objects.select_for_update().get(pk=plan.pk)
    _require(
        permissions.can_edit_plan(by, plan),
        _("The plan can only be changed by the county while it is a draft or returned."),
    )
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"plan_save_draft does not change {sorted(unknown)}")
    for name, value in fields.items():
        setattr(plan, name, value if value is not None else plan._meta.get_field(name).get_default())
    plan._history_user = by
    plan.full_clean()
    plan.save()
    if themes is not None:
        plan.themes.set(themes)
    if municipalities is not None:
        plan.municipalities.set([m for m in municipalities if m.county_id == plan.county_id])
    return plan


def plan_submit_errors(plan: CountyPlan) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, message in {
        "title": _("Give the plan a title."),
        "activities": _("Describe the activities."),
        "budget": _("Describe the budget."),
    }.items():
        if not str(getattr(plan, field) or "").strip():
            errors[field] = [message]
    if plan.requested_amount <= 0:
        errors["requested_amount"] = [_("Give the amount the county applies for.")]
    if not plan.period_start:
        errors["period_start"] = [_("Give the date the plan starts.")]
    if not plan.period_end:
        errors["period_end"] = [_("Give the date the plan ends.")]
    elif plan.period_start and plan.period_end < plan.period_start:
        errors["period_end"] = [_("The plan cannot end before it starts.")]
    if not plan.themes.exists():
        errors["themes"] = [_("Choose at least one theme.")]
    if not plan.municipalities.exists():
        errors["municipalities"] = [_("Name the kommunar involved.")]
    return errors


def _move_plan(plan: CountyPlan, *, by: AbstractUser, action: str, comment: str = "", fields: tuple = ()) -> None:
    steps.take(plan, action, by=by, reason=comment, fields=fields, validate=True)


@transaction.atomic
def plan_submit(*, plan: CountyPlan, by: AbstractUser) -> CountyPlan:
    plan = CountyPlan.objects.select_for_update().select_related("county").get(pk=plan.pk)
    steps.require(plan, "submit", by=by)
    errors = plan_submit_errors(plan)
    if errors:
        raise ValidationError(errors)
    plan.submitted_at = timezone.now()
    _move_plan(plan, by=by, action="submit", fields=("submitted_at",))
    notifications.on_commit_plan(plan, "submitted")
    return plan


@transaction.atomic
def plan_return(*, plan: CountyPlan, by: AbstractUser, message: str) -> CountyPlan:
    plan = CountyPlan.objects.select_for_update().select_related("county").get(pk=plan.pk)
    steps.require(plan, "return", by=by)
    if not message.strip():
        raise ValidationError({"message": [_("Write what the county should change.")]})
    _move_plan(plan, by=by, action="return", comment=message.strip())
    notifications.on_commit_plan(plan, "returned", message=message.strip())
    return plan


@transaction.atomic
def plan_approve(*, plan: CountyPlan, by: AbstractUser, amount: int, comment: str = "") -> CountyPlan:
    """The ministry approves the plan with an amount, which becomes a frame of the county."""
    plan = CountyPlan.objects.select_for_update().select_related("county", "programme").get(pk=plan.pk)
    steps.require(plan, "approve", by=by)
    if not amount or amount <= 0:
        raise ValidationError({"amount": [_("Give the amount approved.")]})
    if amount > plan.requested_amount:
        raise ValidationError(
            {
                "amount": [
                    _("The amount cannot be more than applied for (%(requested)s).")
                    % {"requested": format_kroner(plan.requested_amount)}
                ]
            }
        )
    plan.approved_amount = amount
    _move_plan(
        plan, by=by, action="approve", comment=comment.strip() or format_kroner(amount), fields=("approved_amount",)
    )
    frame_grant(
        by=by,
        county=plan.county,
        programme=plan.programme,
        amount=amount,
        granted_on=timezone.localdate(),
        note=_("County plan: %(title)s") % {"title": plan.title},
    )
    notifications.on_commit_plan(plan, "approved")
    return plan
