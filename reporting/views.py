"""Start pages for each role: the person's landing page, the ministry's, a county's and a kommune's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from applications.selectors import todo_for
from programmes.permissions import memberships_of
from programmes.selectors import programme_current

from . import permissions, selectors


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Where a person lands after login: their role's page, or a choice when they hold several roles."""
    memberships = memberships_of(request.user)
    if len(memberships) == 1:
        return redirect(permissions.start_page_url(memberships[0]))
    choices = [(membership, permissions.start_page_url(membership)) for membership in memberships]
    return render(request, "reporting/start.html", {"choices": choices})


@require_GET
def national(request: HttpRequest) -> HttpResponse:
    permissions.require_national_dashboard(request.user)
    context = selectors.national_overview(programme=programme_current())
    context["todo"] = todo_for(user=request.user)
    return render(request, "reporting/national.html", context)


@require_GET
def county(request: HttpRequest, pk: int) -> HttpResponse:
    county = permissions.get_county_for_user(request.user, pk)
    context = selectors.county_overview(county=county, programme=programme_current())
    context["todo"] = todo_for(user=request.user)
    return render(request, "reporting/county.html", context)


@require_GET
def municipality(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = permissions.get_municipality_for_user(request.user, pk)
    context = selectors.municipality_overview(
        municipality=municipality, programme=programme_current(), user=request.user
    )
    context["todo"] = todo_for(user=request.user)
    return render(request, "reporting/municipality.html", context)
