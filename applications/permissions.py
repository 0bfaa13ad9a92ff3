"""Who may see and do what in the grant cycle. Views, services and templates all ask here.

- A coordinator sees the applications of its kommunar, and those in which one of them is a partner
  (read-only); it writes, submits and edits its own kommunar's applications while they are drafts or returned.
- County staff see every application to their county's rounds; case officers take, return and recommend;
  decision-makers decide, never on a recommendation they wrote themselves (four-eyes).
- The ministry sees everything, read-only, except county plans, which it approves or returns.
- County plans: the county's staff write and submit them; the ministry decides.
Another party's case answers 404; a case one may see but not change answers 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from programmes.permissions import scope_of

from .models import Application, CountyPlan
from .workflow import APPLICATION_TRANSITIONS, PLAN_TRANSITIONS, can_apply

# List scoping


def applications_visible_to(user: Any) -> QuerySet[Application]:
    scope = scope_of(user)
    if scope.ministry:
        return Application.objects.all()
    return Application.objects.filter(
        Q(funding_round__county_id__in=scope.staff_county_ids)
        | Q(lead_municipality_id__in=scope.municipality_ids)
        | Q(partner_municipalities__in=scope.municipality_ids)
    ).distinct()


def county_plans_visible_to(user: Any) -> QuerySet[CountyPlan]:
    scope = scope_of(user)
    if scope.ministry:
        return CountyPlan.objects.exclude(status=CountyPlan.Status.DRAFT)
    return CountyPlan.objects.filter(county_id__in=scope.staff_county_ids)


# Yes/no checks; each takes the case as it is now.


def is_lead_coordinator(user: Any, application: Application) -> bool:
    return application.lead_municipality_id in scope_of(user).municipality_ids


def _county_id(application: Application) -> int:
    return application.funding_round.county_id


def is_officer_for(user: Any, application: Application) -> bool:
    return _county_id(application) in scope_of(user).officer_county_ids


def is_decision_maker_for(user: Any, application: Application) -> bool:
    return _county_id(application) in scope_of(user).decision_county_ids


def can_edit(user: Any, application: Application) -> bool:
    return is_lead_coordinator(user, application) and can_apply(APPLICATION_TRANSITIONS, "submit", application.status)


def can_submit(user: Any, application: Application) -> bool:
    return can_edit(user, application)


def can_take(user: Any, application: Application) -> bool:
    return is_officer_for(user, application) and can_apply(APPLICATION_TRANSITIONS, "take", application.status)


def can_return(user: Any, application: Application) -> bool:
    return is_officer_for(user, application) and can_apply(APPLICATION_TRANSITIONS, "return", application.status)


def can_recommend(user: Any, application: Application) -> bool:
    return is_officer_for(user, application) and can_apply(APPLICATION_TRANSITIONS, "recommend", application.status)


def wrote_current_recommendation(user: Any, application: Application) -> bool:
    recommendation = application.recommendations.order_by("-created_at", "-pk").first()
    return recommendation is not None and recommendation.author_id == user.pk


def can_decide(user: Any, application: Application) -> bool:
    """A decision-maker of the county, on a recommendation someone else wrote (four-eyes)."""
    return (
        is_decision_maker_for(user, application)
        and can_apply(APPLICATION_TRANSITIONS, "approve", application.status)
        and not wrote_current_recommendation(user, application)
    )


def can_view_letter(user: Any, application: Application) -> bool:
    return applications_visible_to(user).filter(pk=application.pk).exists()


ACTION_CHECKS = {
    "edit": can_edit,
    "submit": can_submit,
    "take": can_take,
    "return": can_return,
    "recommend": can_recommend,
    "decide": can_decide,
}


def allowed_actions(user: Any, application: Application) -> set[str]:
    """The actions the person may take on the case now: the page shows these buttons and no others."""
    return {action for action, check in ACTION_CHECKS.items() if check(user, application)}


# County plans


def can_edit_plan(user: Any, plan: CountyPlan) -> bool:
    return plan.county_id in scope_of(user).staff_county_ids and can_apply(PLAN_TRANSITIONS, "submit", plan.status)


def can_write_plan_for(user: Any, county_id: int) -> bool:
    return county_id in scope_of(user).staff_county_ids


def can_decide_plan(user: Any, plan: CountyPlan) -> bool:
    return scope_of(user).ministry and can_apply(PLAN_TRANSITIONS, "approve", plan.status)


def allowed_plan_actions(user: Any, plan: CountyPlan) -> set[str]:
    actions = set()
    if can_edit_plan(user, plan):
        actions |= {"edit", "submit"}
    if can_decide_plan(user, plan):
        actions |= {"approve", "return"}
    return actions


# Object fetches


def get_application_for_user(user: Any, pk: int, *, action: str | None = None) -> Application:
    """The application if the person may see it (else 404); with `action`, 403 unless they may do that now."""
    try:
        application = (
            applications_visible_to(user)
            .select_related("funding_round", "funding_round__county", "lead_municipality", "officer")
            .get(pk=pk)
        )
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action is not None and not ACTION_CHECKS[action](user, application):
        raise PermissionDenied
    return application


def get_plan_for_user(user: Any, pk: int, *, action: str | None = None) -> CountyPlan:
    try:
        plan = county_plans_visible_to(user).select_related("county", "programme").get(pk=pk)
    except (CountyPlan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action is not None and action not in allowed_plan_actions(user, plan):
        raise PermissionDenied
    return plan


def can_see_recommendation(user: Any, application: Application) -> bool:
    """The recommendation is the county's internal document: county staff and the ministry read it."""
    scope = scope_of(user)
    return scope.ministry or _county_id(application) in scope.staff_county_ids
