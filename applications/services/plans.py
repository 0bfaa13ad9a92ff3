"""Everything that writes in a county plan: the county writes and submits it, the ministry returns or approves it,
and an approved plan becomes a frame of the county."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luk_portal.formats import format_kroner
from programmes.models import Municipality, Theme
from programmes.services import frame_grant

from .. import notifications, permissions
from ..models import CountyPlan
from . import steps
from .common import event, fields_set, more_than_applied, require

__all__ = [
    "PLAN_FIELDS",
    "plan_approve",
    "plan_create",
    "plan_return",
    "plan_save_draft",
    "plan_submit",
    "plan_submit_errors",
]


@transaction.atomic
def plan_create(*, by: AbstractUser, county: Any, programme: Any, title: str = "") -> CountyPlan:
    require(permissions.can_write_plan_for(by, county.pk), _("Only the county authority's staff can write its plan."))
    plan = CountyPlan(county=county, programme=programme, title=title.strip(), created_by=by)
    plan._history_user = by
    plan.save()
    event(county_plan=plan, actor=by, action="created", to_status=plan.status)
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
    require(
        permissions.can_edit_plan(by, plan),
        _("The plan can only be changed by the county while it is a draft or returned."),
    )
    fields_set(plan, fields, allowed=PLAN_FIELDS, service="plan_save_draft")
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
        raise ValidationError({"amount": [more_than_applied(plan.requested_amount)]})
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
