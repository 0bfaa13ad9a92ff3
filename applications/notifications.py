"""E-mails to the people a step in the grant cycle waits for, in their language, sent once the step is committed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from programmes.models import Membership
from programmes.permissions import members
from programmes.selectors import letter_language

from .models import Application, CountyPlan, Project, ReportDeadline

Role = Membership.Role


def _users(memberships: Iterable[Membership], exclude_id: int | None = None) -> list[Any]:
    """The people of these memberships who can be mailed (active, with an address), once each."""
    users = {m.user_id: m.user for m in memberships if m.user.email and m.user.is_active and m.user_id != exclude_id}
    return list(users.values())


def _send(*, template: str, users: list[Any], language: str, context: dict[str, Any]) -> None:
    if not users:
        return
    with translation.override(language):
        text = render_to_string(f"applications/email/{template}.txt", context)
    subject, _blank, body = text.strip().partition("\n")
    send_mail(subject.strip(), body.strip() + "\n", None, [user.email for user in users])


def send_application_mail(application_id: int, event: str, *, message: str = "", exclude_id: int | None = None) -> None:
    application = Application.objects.select_related("funding_round__county", "lead_municipality", "officer").get(
        pk=application_id
    )
    county_id = application.funding_round.county_id
    context = {
        "application": application,
        "message": message,
        "url": settings.PORTAL_URL + reverse("applications:detail", args=[application.pk]),
    }
    kommune_language = letter_language(municipality=application.lead_municipality)
    coordinators = _users(members(role=Role.COORDINATOR, municipality=application.lead_municipality))
    if event == "submitted":
        _send(
            template="submitted",
            users=_users(members(role=Role.CASE_OFFICER, county_id=county_id)),
            language=settings.LANGUAGE_CODE,
            context=context,
        )
    elif event == "returned":
        _send(template="returned", users=coordinators, language=kommune_language, context=context)
    elif event == "recommended":
        deciders = _users(members(role=Role.DECISION_MAKER, county_id=county_id), exclude_id=exclude_id)
        _send(template="recommended", users=deciders, language=settings.LANGUAGE_CODE, context=context)
    elif event == "decided":
        context["decision"] = application.decision
        _send(template="decided", users=coordinators, language=kommune_language, context=context)
        if application.officer and application.officer.email:
            _send(template="decided", users=[application.officer], language=settings.LANGUAGE_CODE, context=context)
    else:
        raise ValueError(event)


def send_plan_mail(plan_id: int, event: str, *, message: str = "") -> None:
    plan = CountyPlan.objects.select_related("county").get(pk=plan_id)
    context = {
        "plan": plan,
        "message": message,
        "url": settings.PORTAL_URL + reverse("applications:plan_detail", args=[plan.pk]),
    }
    if event == "submitted":
        users = _users(members(role=Role.MINISTRY_ADVISER))
    else:
        users = _users(members(role__in=Membership.COUNTY_ROLES, county_id=plan.county_id))
    _send(template=f"plan_{event}", users=users, language=settings.LANGUAGE_CODE, context=context)


def on_commit_application(application: Application, event: str, *, message: str = "", exclude: Any = None) -> None:
    application_id, exclude_id = application.pk, getattr(exclude, "pk", None)
    transaction.on_commit(lambda: send_application_mail(application_id, event, message=message, exclude_id=exclude_id))


def on_commit_plan(plan: CountyPlan, event: str, *, message: str = "") -> None:
    plan_id = plan.pk
    transaction.on_commit(lambda: send_plan_mail(plan_id, event, message=message))


# Project events: who the step waits for. Coordinators act on returns, decisions and reminders; case officers
# on reports, payment and change requests.
PROJECT_TO_KOMMUNE = {
    "report_approved",
    "report_returned",
    "payment_decided",
    "change_decided",
    "closed",
    "cancelled",
    "report_overdue",
}
PROJECT_TO_COUNTY = {"report_submitted", "payment_requested", "change_requested", "report_overdue"}


def send_project_mail(project_id: int, event: str, *, message: str = "", deadline_id: int | None = None) -> None:
    project = Project.objects.select_related("county", "lead_municipality").get(pk=project_id)
    context = {
        "project": project,
        "event": event,
        "message": message,
        "deadline": ReportDeadline.objects.filter(pk=deadline_id).first() if deadline_id else None,
        "url": settings.PORTAL_URL + reverse("applications:project_detail", args=[project.pk]),
    }
    if event in PROJECT_TO_KOMMUNE:
        coordinators = _users(members(role=Role.COORDINATOR, municipality=project.lead_municipality))
        _send(
            template="project",
            users=coordinators,
            language=letter_language(municipality=project.lead_municipality),
            context=context,
        )
    if event in PROJECT_TO_COUNTY:
        officers = _users(members(role=Role.CASE_OFFICER, county_id=project.county_id))
        _send(template="project", users=officers, language=settings.LANGUAGE_CODE, context=context)


def on_commit_project(
    project: Project, event: str, *, message: str = "", deadline: ReportDeadline | None = None
) -> None:
    project_id, deadline_id = project.pk, getattr(deadline, "pk", None)
    transaction.on_commit(lambda: send_project_mail(project_id, event, message=message, deadline_id=deadline_id))
