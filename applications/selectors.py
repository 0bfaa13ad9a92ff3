"""The read side of the grant cycle: what case pages, lists and start pages show."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Model, Prefetch, Q, QuerySet, Sum
from django.utils import timezone, translation

from programmes import permissions as programme_permissions

from . import permissions
from .models import (
    Application,
    CaseEvent,
    ChangeRequest,
    CountyPlan,
    IndicatorValue,
    Milestone,
    Payment,
    ProgressReport,
    Project,
    ReportCost,
    ReportDeadline,
)
from .services.payments import payable_now
from .workflow import event_label

Status = Application.Status
_Row = TypeVar("_Row", bound=Model)


def application_list(*, user: Any) -> QuerySet[Application]:
    return (
        permissions.applications_visible_to(user)
        .select_related("funding_round", "funding_round__county", "lead_municipality", "officer")
        .order_by("-updated_at", "-pk")
    )


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
        "timeline": timeline(application=application, internal=permissions.can_see_recommendation(user, application)),
        "actions": permissions.allowed_actions(user, application),
        "can_edit": permissions.can_edit(user, application),
        "can_see_recommendation": permissions.can_see_recommendation(user, application),
        "is_partner_view": permissions.is_partner_view(user, application),
    }


def _timeline_events(events: QuerySet[CaseEvent]) -> list[dict[str, Any]]:
    status_labels = (
        dict(Payment.Status.choices)
        | dict(ChangeRequest.Status.choices)
        | dict(Application.Status.choices)
        | dict(CountyPlan.Status.choices)
        | dict(ProgressReport.Status.choices)
        | dict(Project.Status.choices)
    )
    return [
        {
            "event": event,
            "label": event_label(event.action),
            "from": status_labels.get(event.from_status, ""),
            "to": status_labels.get(event.to_status, ""),
        }
        for event in events.select_related("actor").order_by("at", "pk")
    ]


def timeline(
    *, application: Application | None = None, plan: CountyPlan | None = None, internal: bool = True
) -> list[dict[str, Any]]:
    """The case's timeline; without `internal`, the entries meant for the county and the ministry are left out."""
    if application is not None:
        events = CaseEvent.objects.filter(application=application)
        return _timeline_events(events if internal else events.filter(internal=False))
    return _timeline_events(CaseEvent.objects.filter(county_plan=plan))


def todo_for(*, user: Any) -> dict[str, list[Application]]:
    """What waits for the person, by kind; each list is one query. Who sees which queue is permissions.py's."""
    todo: dict[str, Any] = {**_cases_waiting(user), **_projects_waiting(user)}
    todo["today"] = timezone.localdate()
    if programme_permissions.is_ministry(user):
        todo["plans_to_decide"] = list(
            CountyPlan.objects.filter(status=CountyPlan.Status.SUBMITTED)
            .select_related("county")
            .order_by("submitted_at")
        )
    return todo


def _cases_waiting(user: Any) -> dict[str, list[Application]]:
    """The applications waiting for the person: to finish, to take, in review, to decide."""

    def queue(applications: QuerySet[Application]) -> QuerySet[Application]:
        return applications.select_related("funding_round", "lead_municipality").order_by("submitted_at", "pk")

    todo: dict[str, list[Application]] = {}
    if programme_permissions.is_coordinator(user):
        todo["to_finish"] = list(queue(permissions.applications_to_finish(user)))
    if programme_permissions.is_case_officer(user):
        todo["to_take"] = list(queue(permissions.applications_to_take(user)))
        todo["in_review"] = list(queue(permissions.applications_in_review_by(user)))
    if programme_permissions.is_decision_maker(user):
        todo["to_decide"] = [
            a
            for a in queue(permissions.applications_to_decide(user)).prefetch_related("recommendations")
            if not any(r.author_id == user.pk for r in list(a.recommendations.all())[-1:])
        ]
    return todo


def _projects_waiting(user: Any) -> dict[str, list[Any]]:
    """What waits in the person's active projects: reports to write or approve, payments, change requests."""

    def waiting(model: type[Model], projects: QuerySet[Project], status: str) -> list[Any]:
        return list(model.objects.filter(project__in=projects, status=status).select_related("project"))

    todo: dict[str, list[Any]] = {}
    active = Q(status=Project.Status.ACTIVE)
    if programme_permissions.is_coordinator(user):
        own = permissions.projects_led_by(user).filter(active)
        soon = timezone.localdate() + datetime.timedelta(days=30)
        todo["reports_due"] = list(
            ReportDeadline.objects.filter(project__in=own, due_on__lte=soon)
            .exclude(reports__status__in=[ProgressReport.Status.SUBMITTED, ProgressReport.Status.APPROVED])
            .select_related("project")
            .order_by("due_on")
            .distinct()
        )
        todo["reports_returned"] = waiting(ProgressReport, own, ProgressReport.Status.RETURNED)
    if programme_permissions.is_case_officer(user):
        followed = permissions.projects_followed_by(user, officers_only=True).filter(active)
        todo["reports_to_approve"] = waiting(ProgressReport, followed, ProgressReport.Status.SUBMITTED)
        todo["payments_to_approve"] = waiting(Payment, followed, Payment.Status.REQUESTED)
        todo["changes_to_decide"] = waiting(ChangeRequest, followed, ChangeRequest.Status.REQUESTED)
    if programme_permissions.is_county_staff(user):
        todo["reports_overdue"] = list(
            overdue_deadlines(projects=permissions.projects_followed_by(user).filter(active))
        )
    return todo


def own_cases(*, user: Any, limit: int = 20) -> list[Application]:
    """The coordinator's own kommunar's cases with their status."""
    return list(
        permissions.own_applications(user)
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


# Projects


def project_list(*, user: Any) -> QuerySet[Project]:
    return (
        permissions.projects_visible_to(user)
        .select_related("county", "lead_municipality")
        .order_by("status", "-created_at")
    )


def project_detail(*, project: Project, user: Any) -> dict[str, Any]:
    """The project page: plan, budget against costs, reports, payments, change requests, timeline."""
    project = Project.objects.select_related("county", "lead_municipality", "application").get(pk=project.pk)
    lines = list(project.application.budget_lines.all())
    latest_costs: dict[int, int] = {}
    for cost in ReportCost.objects.filter(
        report__project=project, report__status=ProgressReport.Status.APPROVED
    ).order_by("report__period_to", "report_id"):
        latest_costs[cost.budget_line_id] = cost.amount
    indicators = list(project.indicators.select_related("result_goal"))
    latest_values: dict[int, int] = {}
    for value in (
        IndicatorValue.objects.filter(report__project=project)
        .exclude(report__status=ProgressReport.Status.DRAFT)
        .order_by("report__period_to", "report_id")
    ):
        latest_values[value.indicator_id] = value.value
    today = timezone.localdate()
    deadlines = list(project.deadlines.prefetch_related("reports"))
    for deadline in deadlines:
        answered = [
            r
            for r in deadline.reports.all()
            if r.status in (ProgressReport.Status.SUBMITTED, ProgressReport.Status.APPROVED)
        ]
        deadline.answered = bool(answered)
        deadline.overdue = not answered and deadline.due_on < today and project.status == Project.Status.ACTIVE
    return {
        "project": project,
        "budget": [{"line": line, "spent": latest_costs.get(line.pk, 0)} for line in lines],
        "budget_total": sum(line.amount for line in lines),
        "spent_total": sum(latest_costs.values()),
        "milestones": list(project.milestones.all()),
        "indicators": [{"indicator": i, "value": latest_values.get(i.pk)} for i in indicators],
        "deadlines": deadlines,
        "reports": list(project.reports.order_by("created_at")),
        "payments": list(project.payments.select_related("report").order_by("requested_at")),
        "changes": list(project.change_requests.order_by("requested_at")),
        "timeline": _timeline_events(CaseEvent.objects.filter(project=project)),
        "actions": permissions.allowed_project_actions(user, project),
        "payable_now": payable_now(project),
    }


def overdue_deadlines(*, projects: QuerySet[Project]) -> QuerySet[ReportDeadline]:
    """Deadlines passed without a submitted or approved report, for active projects."""
    return (
        ReportDeadline.objects.filter(
            project__in=projects, project__status=Project.Status.ACTIVE, due_on__lt=timezone.localdate()
        )
        .exclude(reports__status__in=[ProgressReport.Status.SUBMITTED, ProgressReport.Status.APPROVED])
        .select_related("project", "project__lead_municipality")
        .order_by("due_on")
        .distinct()
    )


def payment_register(*, user: Any) -> QuerySet[Payment]:
    """Every payment the person may see, newest first: the county's register."""
    return (
        permissions.payments_visible_to(user)
        .select_related("project", "project__county", "project__lead_municipality", "decided_by")
        .order_by("-requested_at")
    )


def report_detail(*, report: ProgressReport, user: Any) -> dict[str, Any]:
    """Everything the report page shows: its text, costs per budget line, indicator values, milestones."""
    report = ProgressReport.objects.select_related(
        "project__county", "project__lead_municipality", "project__application", "created_by"
    ).get(pk=report.pk)
    project = report.project
    lines = list(project.application.budget_lines.all())
    costs = {cost.budget_line_id: cost.amount for cost in report.costs.all()}
    values = {value.indicator_id: value.value for value in report.indicator_values.all()}
    updates = {update.milestone_id: update.status for update in report.milestone_updates.all()}
    status_labels = dict(Milestone.Status.choices)
    returned = None
    if report.status == ProgressReport.Status.RETURNED:
        returned = (
            CaseEvent.objects.filter(project=project, action="report_return", at__gte=report.created_at)
            .select_related("actor")
            .order_by("-at", "-pk")
            .first()
        )
    return {
        "report": report,
        "project": project,
        "costs": [{"line": line, "amount": costs.get(line.pk)} for line in lines],
        "budget_total": sum(line.amount for line in lines),
        "costs_total": sum(costs.values()),
        "indicator_values": [
            {"indicator": indicator, "value": values.get(indicator.pk)}
            for indicator in project.indicators.select_related("result_goal")
        ],
        "milestones": [
            {"milestone": milestone, "status": status_labels.get(updates.get(milestone.pk, ""), "")}
            for milestone in project.milestones.all()
        ],
        "attachments": list(report.attachments.all()),
        "returned": returned,
        "can_edit": permissions.step_open_to(user, report, "submit"),
        "can_review": permissions.step_open_to(user, report, "approve"),
    }


def project_money(*, project: Project) -> dict[str, int]:
    """The project's money as the payment and closing pages show it."""
    waiting = project.payments.filter(status=Payment.Status.REQUESTED).aggregate(total=Sum("amount"))["total"] or 0
    return {
        "granted": project.granted_amount,
        "paid": project.paid_amount,
        "released": project.released_amount,
        "waiting": waiting,
        "left": max(project.unpaid - waiting, 0),
        "unpaid": project.unpaid,
        "payable_now": payable_now(project),
    }


# The case lists at national scale: one search for all four lists, what their filters offer, and their rows.

SEARCH_CONFIG = "norwegian"
_WORD = re.compile(r"[^\W_]+")
_MAX_WORDS = 10


def search_cases(
    queryset: QuerySet[_Row], text: str, fields: Sequence[str], *, codes: Sequence[str] = ()
) -> QuerySet[_Row]:
    """The rows whose `fields` hold every word of `text`, or whose `codes` (case numbers) hold `text` as typed
    (where it has a digit).

    On PostgreSQL this is full-text search in Norwegian: words are stemmed ("kommunen" finds "kommunane") and
    each is also taken as the start of a word ("steink" finds "Steinkjer"). Elsewhere (SQLite, the embedded
    default) each word must occur somewhere in the fields, in any case (for ASCII letters; SQLite folds no
    others). Only letters and digits are taken from `text`, so nothing typed reaches the query syntax.
    """
    text = text.strip()
    words = _WORD.findall(text)[:_MAX_WORDS]
    if not words:
        return queryset
    by_code = Q()
    if any(character.isdigit() for character in text):
        # Only text with a digit can be (part of) a case number; words alone leave the full-text index usable.
        for field in codes:
            by_code |= Q(**{f"{field}__icontains": text})
    if connections[queryset.db].vendor == "postgresql":
        query = SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config=SEARCH_CONFIG)
        return queryset.alias(fulltext=SearchVector(*fields, config=SEARCH_CONFIG)).filter(Q(fulltext=query) | by_code)
    every_word = Q()
    for word in words:
        in_some_field = Q()
        for field in fields:
            in_some_field |= Q(**{f"{field}__icontains": word})
        every_word &= in_some_field
    return queryset.filter(every_word | by_code)


@dataclass(frozen=True)
class Facet:
    """What a list's filter offers: the values its rows hold at `value` (an id or a year), each named by the
    path `label` (by the value itself without one; by `<label>_nn/_nb/_en` in the active language with
    `translated`), ordered by the path `sort` (by the name without one; descending with a leading `-`)."""

    value: str
    label: str = ""
    sort: str = ""
    translated: bool = False

    @property
    def paths(self) -> list[str]:
        labels = [f"{self.label}_{language}" for language in ("nn", "nb", "en")] if self.translated else [self.label]
        return [self.value, *filter(None, labels), *filter(None, [self.sort.removeprefix("-")])]


_LAST_LETTERS = str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"})


def norwegian_order(text: str) -> str:
    """A sort key putting æ, ø, å after z, as in Norwegian (Python's own order puts å before æ)."""
    return text.casefold().translate(_LAST_LETTERS)


def facet_choices(*, rows: QuerySet, facets: dict[str, Facet]) -> dict[str, list[tuple[Any, str]]]:
    """The choices of each of a list's filters, from the rows the person may see, in one query."""
    paths = list(dict.fromkeys(path for facet in facets.values() for path in facet.paths))
    if not paths:
        return {}
    combinations = list(rows.order_by().values(*paths).distinct())
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    choices: dict[str, list[tuple[Any, str]]] = {}
    for name, facet in facets.items():
        seen: dict[Any, tuple[Any, str]] = {}
        for row in combinations:
            value = row[facet.value]
            if value is None or value in seen:
                continue
            if facet.translated:
                label = row.get(f"{facet.label}_{language}") or row[f"{facet.label}_nn"]
            else:
                label = row[facet.label] if facet.label else value
            sort = row[facet.sort.removeprefix("-")] if facet.sort else label
            if sort is None:
                sort = str(label)
            seen[value] = (norwegian_order(sort) if isinstance(sort, str) else sort, str(label))
        ordered = sorted(seen.items(), key=lambda item: item[1][0], reverse=facet.sort.startswith("-"))
        choices[name] = [(value, label) for value, (_sort, label) in ordered]
    return choices


def report_list(*, user: Any) -> QuerySet[ProgressReport]:
    """Every progress and final report the person may see, with what the list shows of its project."""
    return permissions.reports_visible_to(user).select_related(
        "project", "project__county", "project__lead_municipality", "deadline"
    )


def payment_totals(*, payments: QuerySet[Payment]) -> dict[str, int]:
    """Approved (paid) and requested (waiting) sums over the whole filtered register, not only one page."""
    totals = payments.aggregate(
        approved=Sum("amount", filter=Q(status=Payment.Status.APPROVED)),
        requested=Sum("amount", filter=Q(status=Payment.Status.REQUESTED)),
    )
    return {"approved": totals["approved"] or 0, "requested": totals["requested"] or 0}
