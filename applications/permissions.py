"""Who may see and do what in the grant cycle. Views, services and templates all ask here.

- A coordinator sees the applications of its kommunar, and those in which one of them is a partner
  (read-only); it writes, submits and edits its own kommunar's applications while they are drafts or returned.
- County staff see every application to their county's rounds from its first submission on (a draft never
  submitted is the kommune's own); case officers take, return and recommend;
  decision-makers decide, never on a recommendation they wrote themselves (four-eyes).
- The ministry sees everything that has reached a county, read-only, except county plans, which it approves or returns.
- County plans: the county's staff write and submit them; the ministry decides.
Another party's case answers 404; a case one may see but not change answers 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from luk_portal import workflow
from programmes.models import County, FundingRound, Municipality
from programmes.permissions import fetched, scope_of

from .models import Application, ChangeRequest, CountyPlan, Payment, ProgressReport, Project
from .workflow import APPLICATION_TRANSITIONS, PLAN_TRANSITIONS, REPORT_TRANSITIONS, TABLES, can_apply

# List scoping


# An application reaches the county (and the ministry) with its first submission: `submitted_at` is set then and
# never cleared, so one the county returned for changes stays visible to it. Until then it is the kommune's own
# (its lead kommune's coordinators, and the partner kommunar it names).
REACHED_THE_COUNTY = Q(submitted_at__isnull=False)


def applications_visible_to(user: Any) -> QuerySet[Application]:
    scope = scope_of(user)
    own = Q(lead_municipality_id__in=scope.municipality_ids) | Q(partner_municipalities__in=scope.municipality_ids)
    if scope.ministry:
        return Application.objects.filter(REACHED_THE_COUNTY | own).distinct()
    return Application.objects.filter(
        (Q(funding_round__county_id__in=scope.staff_county_ids) & REACHED_THE_COUNTY) | own
    ).distinct()


def county_plans_visible_to(user: Any) -> QuerySet[CountyPlan]:
    scope = scope_of(user)
    if scope.ministry:
        return CountyPlan.objects.exclude(status=CountyPlan.Status.DRAFT)
    return CountyPlan.objects.filter(county_id__in=scope.staff_county_ids)


def municipalities_to_apply_for(user: Any) -> QuerySet[Municipality]:
    """The kommunar the person may start an application for: those they are coordinator for."""
    return Municipality.objects.filter(pk__in=scope_of(user).municipality_ids)


def rounds_to_apply_to(user: Any) -> QuerySet[FundingRound]:
    """The municipal rounds of the counties the person is a coordinator in (open or not: the caller picks)."""
    return FundingRound.objects.filter(
        kind=FundingRound.Kind.MUNICIPAL, county_id__in=scope_of(user).coordinator_county_ids
    )


def applications_to_finish(user: Any) -> QuerySet[Application]:
    """Drafts and returned applications of the kommunar the person coordinates: their work queue."""
    return Application.objects.filter(
        lead_municipality_id__in=scope_of(user).municipality_ids,
        status__in=[Application.Status.DRAFT, Application.Status.RETURNED],
    )


def applications_to_take(user: Any) -> QuerySet[Application]:
    """Submitted applications of the counties where the person is a case officer: their work queue."""
    return Application.objects.filter(
        funding_round__county_id__in=scope_of(user).officer_county_ids, status=Application.Status.SUBMITTED
    )


def applications_in_review_by(user: Any) -> QuerySet[Application]:
    """Applications the person has taken for review as case officer of their county."""
    return Application.objects.filter(
        funding_round__county_id__in=scope_of(user).officer_county_ids,
        status=Application.Status.IN_REVIEW,
        officer=user,
    )


def applications_to_decide(user: Any) -> QuerySet[Application]:
    """Recommended applications of the counties where the person is a decision-maker."""
    return Application.objects.filter(
        funding_round__county_id__in=scope_of(user).decision_county_ids, status=Application.Status.RECOMMENDED
    )


def projects_led_by(user: Any) -> QuerySet[Project]:
    """Projects whose lead kommune the person coordinates."""
    return Project.objects.filter(lead_municipality_id__in=scope_of(user).municipality_ids)


def projects_followed_by(user: Any, *, officers_only: bool = False) -> QuerySet[Project]:
    """Projects of the counties the person is staff of (only where a case officer, with officers_only)."""
    scope = scope_of(user)
    return Project.objects.filter(county_id__in=scope.officer_county_ids if officers_only else scope.staff_county_ids)


def own_applications(user: Any) -> QuerySet[Application]:
    """The applications of the kommunar the person coordinates, as lead kommune."""
    return Application.objects.filter(lead_municipality_id__in=scope_of(user).municipality_ids)


def counties_to_plan_for(user: Any) -> QuerySet[County]:
    """The county authorities whose plans the person writes: those they are county staff of."""
    return County.objects.filter(pk__in=scope_of(user).staff_county_ids)


# Yes/no checks; each takes the case as it is now.


def may_apply(user: Any) -> bool:
    """The person is coordinator for a kommune, so they may start applications."""
    return bool(scope_of(user).municipality_ids)


def can_apply_for(user: Any, municipality: Municipality) -> bool:
    return municipality.pk in scope_of(user).municipality_ids


def is_partner_view(user: Any, application: Application) -> bool:
    """The person sees the application as a coordinator of a partner kommune, not of the lead kommune."""
    own = scope_of(user).municipality_ids
    return (
        application.lead_municipality_id not in own
        and not is_lead_coordinator(user, application)
        and bool(own & {m.pk for m in application.partner_municipalities.all()})
    )


def can_settle_plans(user: Any) -> bool:
    """The ministry approves county plans and returns them for changes."""
    return scope_of(user).ministry


def shows_payment_register(user: Any) -> bool:
    """The payment register is the county staff's: the menu leads there only for them."""
    return bool(scope_of(user).staff_county_ids)


def shows_county_plans(user: Any) -> bool:
    """County plans are the counties' and the ministry's business: the menu leads there only for them."""
    scope = scope_of(user)
    return scope.ministry or bool(scope.staff_county_ids)


def filters_by_county(user: Any) -> bool:
    """A list may be filtered by county only for the ministry: everyone else sees one county or part of one."""
    return scope_of(user).ministry


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


def wrote_current_recommendation(user: Any, application: Application) -> bool:
    recommendation = application.recommendations.order_by("-created_at", "-pk").first()
    return recommendation is not None and recommendation.author_id == user.pk


def can_decide(user: Any, application: Application) -> bool:
    """A decision-maker of the county, on a recommendation someone else wrote (four-eyes)."""
    return "decide" in allowed_actions(user, application)


def can_view_letter(user: Any, application: Application) -> bool:
    return applications_visible_to(user).filter(pk=application.pk).exists()


# The buttons a case's page shows, by the steps of its table (workflow.APPLICATION_TRANSITIONS) each leads to:
# a button is shown when one of its steps is open to the person now (steps_open_to reads the same table).
PAGE_ACTIONS: dict[str, tuple[str, ...]] = {
    "edit": ("submit",),
    "submit": ("submit",),
    "take": ("take",),
    "return": ("return",),
    "recommend": ("recommend",),
    "decide": ("approve", "reject", "send_back"),
}


def allowed_actions(user: Any, application: Application) -> set[str]:
    """The actions the person may take on the case now: the page shows these buttons and no others. Deciding
    also asks for four eyes: not on a recommendation the person wrote."""
    open_steps = set(steps_open_to(user, application))
    actions = {action for action, steps in PAGE_ACTIONS.items() if open_steps.intersection(steps)}
    if "decide" in actions and wrote_current_recommendation(user, application):
        actions.discard("decide")
    return actions


# County plans


def can_edit_plan(user: Any, plan: CountyPlan) -> bool:
    return plan.county_id in scope_of(user).staff_county_ids and can_apply(PLAN_TRANSITIONS, "submit", plan.status)


def can_write_plan_for(user: Any, county_id: int) -> bool:
    return county_id in scope_of(user).staff_county_ids


def can_write_plan(user: Any, plan: CountyPlan) -> bool:
    return can_write_plan_for(user, plan.county_id)


def can_settle_plan(user: Any, plan: CountyPlan) -> bool:
    return can_settle_plans(user)


def allowed_plan_actions(user: Any, plan: CountyPlan) -> set[str]:
    """The actions the person may take on the plan now, from the steps of its table open to them."""
    open_steps = set(steps_open_to(user, plan))
    return {
        action
        for action, steps in {"edit": "submit", "submit": "submit", "approve": "approve", "return": "return"}.items()
        if steps in open_steps
    }


# Object fetches


def get_application_for_user(user: Any, pk: int, *, action: str | None = None) -> Application:
    """The application if the person may see it (else 404); with `action`, 403 unless they may do that now."""
    allowed = None if action is None else (lambda application: action in allowed_actions(user, application))
    related = ("funding_round", "funding_round__county", "lead_municipality", "officer")
    return fetched(applications_visible_to(user).select_related(*related), pk, allowed=allowed)


def get_plan_for_user(user: Any, pk: int, *, action: str | None = None) -> CountyPlan:
    allowed = None if action is None else (lambda plan: action in allowed_plan_actions(user, plan))
    return fetched(county_plans_visible_to(user).select_related("county", "programme"), pk, allowed=allowed)


def can_see_recommendation(user: Any, application: Application) -> bool:
    """The recommendation is the county's internal document: county staff and the ministry read it."""
    scope = scope_of(user)
    return scope.ministry or _county_id(application) in scope.staff_county_ids


# Projects: the lead kommune's coordinators report and request; the county's case officers follow up and
# decide; county staff close and cancel; partner kommunar and the ministry read.


def projects_visible_to(user: Any) -> QuerySet[Project]:
    scope = scope_of(user)
    if scope.ministry:
        return Project.objects.all()
    return Project.objects.filter(
        Q(county_id__in=scope.staff_county_ids)
        | Q(lead_municipality_id__in=scope.municipality_ids)
        | Q(application__partner_municipalities__in=scope.municipality_ids)
    ).distinct()


def _project_lead(user: Any, project: Project) -> bool:
    return project.status == Project.Status.ACTIVE and project.lead_municipality_id in scope_of(user).municipality_ids


def _project_officer(user: Any, project: Project) -> bool:
    return project.status == Project.Status.ACTIVE and project.county_id in scope_of(user).officer_county_ids


def can_edit_project_plan(user: Any, project: Project) -> bool:
    return _project_lead(user, project) or _project_officer(user, project)


def can_set_schedule(user: Any, project: Project) -> bool:
    return _project_officer(user, project)


def can_write_reports(user: Any, project: Project) -> bool:
    return _project_lead(user, project)


def can_edit_report(user: Any, report: ProgressReport) -> bool:
    return can_write_reports(user, report.project) and can_apply(REPORT_TRANSITIONS, "submit", report.status)


def can_review_report(user: Any, report: ProgressReport) -> bool:
    return _project_officer(user, report.project) and can_apply(REPORT_TRANSITIONS, "approve", report.status)


def can_request_payment(user: Any, project: Project) -> bool:
    return _project_lead(user, project)


def can_decide_payment(user: Any, payment: Payment) -> bool:
    return _project_officer(user, payment.project) and payment.status == Payment.Status.REQUESTED


def can_request_change(user: Any, project: Project) -> bool:
    return _project_lead(user, project)


def can_decide_change(user: Any, change: ChangeRequest) -> bool:
    return _project_officer(user, change.project) and change.status == ChangeRequest.Status.REQUESTED


def can_close_project(user: Any, project: Project) -> bool:
    return project.status == Project.Status.ACTIVE and project.county_id in scope_of(user).staff_county_ids


def allowed_project_actions(user: Any, project: Project) -> set[str]:
    checks = {
        "plan": can_edit_project_plan,
        "schedule": can_set_schedule,
        "report": can_write_reports,
        "payment": can_request_payment,
        "change": can_request_change,
    }
    actions = {name for name, check in checks.items() if check(user, project)}
    # Closing (or cancelling) is a step of the project's own table.
    if step_open_to(user, project, "close"):
        actions.add("close")
    return actions


def payments_visible_to(user: Any) -> QuerySet[Payment]:
    return Payment.objects.filter(project__in=projects_visible_to(user))


def reports_visible_to(user: Any) -> QuerySet[ProgressReport]:
    """The progress and final reports of the projects the person may see (as `get_report_for_user` allows)."""
    return ProgressReport.objects.filter(project__in=projects_visible_to(user))


def get_project_for_user(user: Any, pk: int, *, action: str | None = None) -> Project:
    allowed = None if action is None else (lambda project: action in allowed_project_actions(user, project))
    related = ("county", "lead_municipality", "application")
    return fetched(projects_visible_to(user).select_related(*related), pk, allowed=allowed)


def get_report_for_user(user: Any, pk: int, *, action: str | None = None) -> ProgressReport:
    checks = {"edit": can_edit_report, "review": can_review_report}
    allowed = None if action is None else (lambda report: checks[action](user, report))
    return fetched(reports_visible_to(user).select_related("project"), pk, allowed=allowed)


def get_payment_for_user(user: Any, pk: int, *, decide: bool = False) -> Payment:
    allowed = (lambda payment: can_decide_payment(user, payment)) if decide else None
    return fetched(payments_visible_to(user).select_related("project", "report"), pk, allowed=allowed)


def get_change_for_user(user: Any, pk: int, *, decide: bool = False) -> ChangeRequest:
    allowed = (lambda change: can_decide_change(user, change)) if decide else None
    changes = ChangeRequest.objects.filter(project__in=projects_visible_to(user))
    return fetched(changes.select_related("project"), pk, allowed=allowed)


# Steps of a workflow (workflow.TABLES): who may take which step, read from the step's own `may`.


def may_take(user: Any, obj: Any, action: str) -> bool:
    """The person may take the step on this case, by the predicate its table names. A step without one is
    part of another step and is never a person's own."""
    transition = TABLES[type(obj)][action]
    return bool(transition.may) and bool(globals()[transition.may](user, obj))


def step_open_to(user: Any, obj: Any, action: str) -> bool:
    """The person may take this step of the object's table now (the button for it is shown)."""
    return action in steps_open_to(user, obj)


def steps_open_to(user: Any, obj: Any) -> list[str]:
    """The steps the person may take on the case now: its status is a source of each, and they may."""
    return workflow.open_steps(user, obj)
