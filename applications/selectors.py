"""The read side of the grant cycle: what case pages, lists and start pages show."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet, Sum

from programmes.models import FundingRound, Municipality, Theme
from programmes.permissions import scope_of

from . import permissions
from .models import Application, CaseEvent, CountyPlan
from .workflow import event_label

Status = Application.Status


def application_list(*, user: Any) -> QuerySet[Application]:
    return (
        permissions.applications_visible_to(user)
        .select_related("funding_round", "funding_round__county", "lead_municipality", "officer")
        .order_by("-updated_at", "-pk")
    )


def filter_choices(*, user: Any) -> dict[str, QuerySet]:
    """What the list's filters offer: the rounds, kommunar and themes of the cases the person can see."""
    visible = permissions.applications_visible_to(user)
    return {
        "rounds": FundingRound.objects.filter(applications__in=visible).distinct().order_by("-opens_at"),
        "municipalities": Municipality.objects.filter(applications__in=visible).distinct().order_by("name"),
        "themes": Theme.objects.filter(applications__in=visible).distinct().order_by("name_nn"),
    }


def application_detail(*, application: Application, user: Any) -> dict[str, Any]:
    """Everything the case page shows, in a fixed number of queries."""
    application = (
        Application.objects.select_related(
            "funding_round__county", "funding_round__programme", "lead_municipality", "officer", "created_by"
        )
        .prefetch_related(
            "themes",
            "result_goals",
            "partner_municipalities__county",
            "budget_lines",
            "partners",
            "attachments",
            Prefetch("recommendations", to_attr="all_recommendations"),
            Prefetch("versions", to_attr="all_versions"),
        )
        .get(pk=application.pk)
    )
    decision = (
        getattr(application, "decision", None) if application.status in (Status.APPROVED, Status.REJECTED) else None
    )
    lines = list(application.budget_lines.all())
    return {
        "application": application,
        "budget_total": sum(line.amount for line in lines),
        "budget_lines": lines,
        "recommendation": application.all_recommendations[-1] if application.all_recommendations else None,
        "decision": decision,
        "timeline": timeline(application=application),
        "actions": permissions.allowed_actions(user, application),
        "can_edit": permissions.can_edit(user, application),
        "can_see_recommendation": permissions.can_see_recommendation(user, application),
        "is_partner_view": not permissions.is_lead_coordinator(user, application)
        and application.lead_municipality_id not in scope_of(user).municipality_ids
        and bool(scope_of(user).municipality_ids & {m.pk for m in application.partner_municipalities.all()}),
    }


def timeline(*, application: Application | None = None, plan: CountyPlan | None = None) -> list[dict[str, Any]]:
    events = (
        CaseEvent.objects.select_related("actor").filter(application=application)
        if application
        else CaseEvent.objects.select_related("actor").filter(county_plan=plan)
    )
    status_labels = dict(Application.Status.choices) | dict(CountyPlan.Status.choices)
    return [
        {
            "event": event,
            "label": event_label(event.action),
            "from": status_labels.get(event.from_status, ""),
            "to": status_labels.get(event.to_status, ""),
        }
        for event in events.order_by("at", "pk")
    ]


def todo_for(*, user: Any) -> dict[str, list[Application]]:
    """What waits for the person, by kind; each list is one query."""
    scope = scope_of(user)
    base = Application.objects.select_related("funding_round", "lead_municipality").order_by("submitted_at", "pk")
    todo: dict[str, list[Any]] = {}
    if scope.municipality_ids:
        todo["to_finish"] = list(
            base.filter(lead_municipality_id__in=scope.municipality_ids, status__in=[Status.DRAFT, Status.RETURNED])
        )
    if scope.officer_county_ids:
        todo["to_take"] = list(
            base.filter(funding_round__county_id__in=scope.officer_county_ids, status=Status.SUBMITTED)
        )
        todo["in_review"] = list(
            base.filter(funding_round__county_id__in=scope.officer_county_ids, status=Status.IN_REVIEW, officer=user)
        )
    if scope.decision_county_ids:
        todo["to_decide"] = [
            a
            for a in base.filter(
                funding_round__county_id__in=scope.decision_county_ids, status=Status.RECOMMENDED
            ).prefetch_related("recommendations")
            if not any(r.author_id == user.pk for r in list(a.recommendations.all())[-1:])
        ]
    if scope.ministry:
        todo["plans_to_decide"] = list(
            CountyPlan.objects.filter(status=CountyPlan.Status.SUBMITTED)
            .select_related("county")
            .order_by("submitted_at")
        )
    return todo


def own_cases(*, user: Any, limit: int = 20) -> list[Application]:
    """The coordinator's own kommunar's cases with their status."""
    scope = scope_of(user)
    if not scope.municipality_ids:
        return []
    return list(
        Application.objects.filter(lead_municipality_id__in=scope.municipality_ids)
        .select_related("funding_round", "lead_municipality")
        .order_by("-updated_at")[:limit]
    )


def plan_detail(*, plan: CountyPlan, user: Any) -> dict[str, Any]:
    plan = (
        CountyPlan.objects.select_related("county", "programme", "created_by")
        .prefetch_related("themes", "municipalities")
        .get(pk=plan.pk)
    )
    return {
        "plan": plan,
        "timeline": timeline(plan=plan),
        "actions": permissions.allowed_plan_actions(user, plan),
    }


def granted_total(*, applications: QuerySet[Application]) -> int:
    return applications.filter(decision__outcome="approved").aggregate(total=Sum("decision__amount"))["total"] or 0
