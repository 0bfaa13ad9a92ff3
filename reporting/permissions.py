"""Who may see which dashboard. Object access itself is decided in programmes.permissions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from applications.models import Project
from applications.permissions import get_project_for_user, projects_visible_to
from programmes.models import County, Membership
from programmes.permissions import (
    can_view_county,
    get_county_for_user,
    get_municipality_for_user,
    is_ministry,
    scope_of,
)

from .models import ReportJob

__all__ = [
    "can_ask_report",
    "get_county_for_user",
    "get_municipality_for_user",
    "get_report_job_for_user",
    "get_report_target_for_user",
    "report_jobs_visible_to",
    "require_national_dashboard",
    "start_page_url",
]


def require_national_dashboard(user: Any) -> None:
    """The national dashboard is the ministry's; others know it exists (it is in no one's data), so 403."""
    if not is_ministry(user):
        raise PermissionDenied


def start_page_url(membership: Membership) -> str:
    """The page a membership's role starts on."""
    if membership.role == Membership.Role.MINISTRY_ADVISER:
        return reverse("reporting:national")
    if membership.county_id:
        return reverse("reporting:county", args=[membership.county_id])
    return reverse("reporting:municipality", args=[membership.municipality_id])


# Report jobs: whoever may see a report's data may ask for it, watch it and download it; nobody else learns
# that it exists (404).


# An export of a list holds what the person who asked may see, which may be more than another person may: it
# and its file are that person's alone, whatever anyone else's role.


def report_jobs_visible_to(user: Any) -> QuerySet[ReportJob]:
    scope = scope_of(user)
    own_exports = Q(kind=ReportJob.Kind.EXPORT, requested_by_id=getattr(user, "pk", None))
    if scope.ministry:
        return ReportJob.objects.filter(~Q(kind=ReportJob.Kind.EXPORT) | own_exports)
    return ReportJob.objects.filter(
        Q(kind=ReportJob.Kind.PROJECT, project__in=projects_visible_to(user))
        | Q(kind=ReportJob.Kind.COUNTY, county_id__in=scope.staff_county_ids)
        | own_exports
    )


def can_ask_report(user: Any, kind: str, *, county: County | None = None, project: Project | None = None) -> bool:
    if kind == ReportJob.Kind.NATIONAL:
        return is_ministry(user)
    if kind == ReportJob.Kind.COUNTY:
        return county is not None and can_view_county(user, county)
    if kind == ReportJob.Kind.PROJECT:
        return project is not None and projects_visible_to(user).filter(pk=project.pk).exists()
    return False


def get_report_target_for_user(user: Any, kind: str, pk: int | None) -> tuple[County | None, Project | None]:
    """The county or project a report is asked for; 404 for what the person may not see."""
    if kind == ReportJob.Kind.NATIONAL:
        require_national_dashboard(user)
        return None, None
    if kind == ReportJob.Kind.COUNTY:
        return get_county_for_user(user, pk), None  # type: ignore[arg-type]
    if kind == ReportJob.Kind.PROJECT:
        return None, get_project_for_user(user, pk)  # type: ignore[arg-type]
    raise Http404


def get_report_job_for_user(user: Any, pk: int) -> ReportJob:
    try:
        return report_jobs_visible_to(user).select_related("county", "project", "programme", "requested_by").get(pk=pk)
    except (ReportJob.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_take_job_step(user: Any, job: Any, action: str) -> bool:
    """No step of a report job is a person's own: the right to ask is can_ask_report, checked before the job
    exists, and the worker takes the rest."""
    return False
