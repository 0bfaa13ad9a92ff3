"""Start pages for each role (the person's landing page, the ministry's, a county's and a kommune's) and the PDF
report jobs: ask, watch, download."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications.selectors import todo_for
from luk_portal.errors import LukError
from luk_portal.paging import paginate
from programmes.permissions import memberships_of
from programmes.selectors import programme_current

from . import permissions, selectors, services
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
def national(request: HttpRequest) -> HttpResponse:
    permissions.require_national_dashboard(request.user)
    current = programme_current()
    form = DashboardFilterForm(request.GET or None, programme=current)
    context = selectors.national_dashboard(**form.filters(default=current))
    context.update({"form": form, "todo": todo_for(user=request.user)})
    return render(request, "reporting/national.html", context)


@require_GET
def county(request: HttpRequest, pk: int) -> HttpResponse:
    county = permissions.get_county_for_user(request.user, pk)
    current = programme_current()
    form = DashboardFilterForm(request.GET or None, programme=current, with_structure=False)
    filters = form.filters(default=current)
    filters.pop("structure")
    context = selectors.county_dashboard(county=county, **filters)
    context.update({"form": form, "todo": todo_for(user=request.user)})
    return render(request, "reporting/county.html", context)


@require_GET
def municipality(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = permissions.get_municipality_for_user(request.user, pk)
    context = selectors.municipality_dashboard(
        municipality=municipality, programme=programme_current(), user=request.user
    )
    context["todo"] = todo_for(user=request.user)
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
    return render(request, template, {"job": job, "timeline": selectors.report_job_timeline(job=job)})


@require_GET
def report_job_file(request: HttpRequest, pk: int) -> FileResponse:
    job = permissions.get_report_job_for_user(request.user, pk)
    if job.state != ReportJob.State.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="application/pdf", filename=selectors.report_file_name(job=job))
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline")
    response["Cache-Control"] = "private, no-store"
    return response
