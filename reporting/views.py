"""Start pages for each role (the person's landing page, the ministry's, a county's and a kommune's) and the PDF
report jobs: ask, watch, download."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications.selectors import todo_for
from luk_portal import data_version
from luk_portal.errors import LukError
from luk_portal.paging import paginate
from programmes.permissions import access_key, memberships_of
from programmes.selectors import programme_current

from . import exports, permissions, selectors, services
from .forms import DashboardFilterForm, ReportRequestForm
from .models import ReportJob


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Where a person lands after login: their role's page, or a choice when they hold several roles."""
    memberships = memberships_of(request.user)
    if len(memberships) == 1:
        return redirect(permissions.start_page_url(memberships[0]))
    choices = [(membership, permissions.start_page_url(membership)) for membership in memberships]
    return render(request, "reporting/start.html", {"choices": choices})


@require_GET
def national(request: HttpRequest) -> HttpResponseBase:
    permissions.require_national_dashboard(request.user)
    current = _programme_current()
    filters = DashboardFilterForm.chosen(request.GET, programme=current)
    if response := exports.dashboard_export(request, "national", lambda: selectors.national_dashboard(**filters)):
        return response
    figures = partial(_figures, "national", current, filters, lambda: selectors.national_dashboard(**filters))
    return _dashboard(request, "reporting/national.html", filters, figures)


@require_GET
def county(request: HttpRequest, pk: int) -> HttpResponseBase:
    county = permissions.get_county_for_user(request.user, pk)
    current = _programme_current()
    filters = DashboardFilterForm.chosen(request.GET, programme=current, with_structure=False)
    if response := exports.dashboard_export(
        request, "county", lambda: selectors.county_dashboard(county=county, **filters)
    ):
        return response
    figures = partial(
        _figures, f"county-{county.pk}", current, filters, lambda: selectors.county_dashboard(county=county, **filters)
    )
    return _dashboard(request, "reporting/county.html", filters, figures, county=county)


# The dashboards are read far more often than the data changes: their expensive fragments are kept in Django's
# cache under the data's stamp (luk_portal/data_version.py): the figures, the same for everyone who may see the
# dashboard, and each person's work queue. The page itself is made for each request.


def _dashboard(
    request: HttpRequest, template: str, filters: dict[str, Any], figures: Callable[[], str], **extra: Any
) -> HttpResponse:
    """The dashboard page for this person, from the kept `figures` and work queue."""
    context = {"programme": filters["programme"], "figures": figures(), "todo": _todo(request), **extra}
    return render(request, template, context)


def _figures(name: str, current: Any, filters: dict[str, Any], make: Callable[[], dict[str, Any]]) -> str:
    """A dashboard's filters and figures as HTML, made once per state of the data (data_version): the same for
    everyone who may see the dashboard, so nothing personal (no token, no work queue) is in them. The filters
    show the choices in force (a bad value shows what replaced it)."""
    parts = tuple(getattr(value, "pk", value) for value in filters.values())
    template = f"reporting/partials/{name.split('-')[0]}_figures.html"

    def build() -> str:
        context = {
            **make(),
            "form": DashboardFilterForm.showing(filters, programme=current),
            "filter_query": exports.filter_query(filters),
        }
        # render_to_string gives a SafeString, and the cache keeps it one.
        return render_to_string(template, context)

    return data_version.kept(f"dashboard-{name}", parts, build)


def _programme_current() -> Any:
    return data_version.kept("programme-current", (), programme_current)


def _todo(request: HttpRequest) -> str:
    """The person's work queue as HTML, made once per state of the data, day and access (data_version)."""
    user = request.user
    return data_version.kept(
        "todo",
        (user.pk, access_key(user)),
        lambda: render_to_string("reporting/partials/todo.html", {"todo": todo_for(user=user)}),
    )


@require_GET
def municipality(request: HttpRequest, pk: int) -> HttpResponseBase:
    municipality = permissions.get_municipality_for_user(request.user, pk)
    context = selectors.municipality_dashboard(
        municipality=municipality, programme=programme_current(), user=request.user
    )
    if response := exports.dashboard_export(request, "municipality", lambda: context):
        return response
    context["todo"] = _todo(request)
    return render(request, "reporting/municipality.html", context)


# PDF reports: ask, watch, download


@require_POST
def report_ask(request: HttpRequest) -> HttpResponse:
    """Ask for a report; then watch it on its job page. A refusal comes back as a message on the page asked from."""
    back = _safe_next(request)
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The report could not be asked for: %(errors)s") % {"errors": _errors(form)})
        return redirect(back)
    kind = form.cleaned_data["kind"]
    county, project = permissions.get_report_target_for_user(request.user, kind, form.cleaned_data["target"])
    try:
        job = services.report_request(
            user=request.user,
            kind=kind,
            programme=project.application.funding_round.programme if project else programme_current(),
            county=county,
            project=project,
            language=form.cleaned_data["language"],
        )
    except LukError as error:
        messages.error(request, error.message)
        return redirect(back)
    return redirect("reporting:job", job.pk)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("reporting:jobs")


def _errors(form: ReportRequestForm) -> str:
    return " ".join(str(message) for messages_ in form.errors.values() for message in messages_)


@require_GET
def report_jobs(request: HttpRequest) -> HttpResponse:
    """The reports this person has asked for, and the reports they may ask for from here."""
    services.report_jobs_expire()
    page, query = paginate(request, selectors.report_jobs_of(user=request.user))
    return render(
        request,
        "reporting/jobs.html",
        {
            "page": page,
            "query": query,
            "may_ask_national": permissions.is_ministry(request.user),
            "counties": selectors.counties_for_reports(user=request.user),
            "form": ReportRequestForm(),
        },
    )


@require_GET
def report_job(request: HttpRequest, pk: int) -> HttpResponse:
    services.report_jobs_expire()
    job = permissions.get_report_job_for_user(request.user, pk)
    template = "reporting/partials/job_status.html" if request.htmx else "reporting/job.html"
    context = {"job": job, "timeline": selectors.report_job_timeline(job=job), "keep_days": settings.EXPORT_KEEP_DAYS}
    return render(request, template, context)


@require_GET
def report_job_file(request: HttpRequest, pk: int) -> FileResponse:
    job = permissions.get_report_job_for_user(request.user, pk)
    if job.is_export or job.state != ReportJob.State.DONE or not job.file:
        raise Http404  # an export's file has its own address (export_views.export_file)
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="application/pdf", filename=selectors.report_file_name(job=job))
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline")
    return response
