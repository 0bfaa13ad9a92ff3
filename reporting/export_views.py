"""The case lists' files: at the list's own address (`?format=csv|xlsx`), or, for a list too long to download at
once, asked for from the list, made in the background by the worker, watched on the report job page
(views.report_job) and downloaded here by the person who asked.

A list's page is applications' (its filters, its rows, its template); its files are reporting's (exports.lists).
Each list's address is served here: the file when `?format=` asks for one, else the applications page. The four
addresses keep their names in the `applications` namespace (application_urls.py puts LIST_URLS there).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications import project_views as application_project_views
from applications import views as application_views
from luk_portal.errors import LukError

from . import exports as list_exports
from . import permissions, services
from .forms import ExportRequestForm
from .models import ReportJob


@require_POST
def export_ask(request: HttpRequest) -> HttpResponse:
    """Have a list's file made in the background, with the list's filters; then watch it on its job page. The
    file holds what this person may see of the list (the job reads it with the list's own access rules)."""
    form = ExportRequestForm(request.POST)
    if not form.is_valid():
        if "list_name" in form.errors:
            raise Http404  # no such list to go back to
        errors = " ".join(str(message) for found in form.errors.values() for message in found)
        messages.error(request, _("The file could not be asked for: %(errors)s") % {"errors": errors})
        back = reverse(list_exports.export_list(form.cleaned_data["list_name"]).url_name)
        return redirect(f"{back}?{form.cleaned_data['query']}" if form.cleaned_data.get("query") else back)
    data = form.cleaned_data
    try:
        job = services.export_request(
            user=request.user,
            list_name=data["list_name"],
            query=data["query"],
            file_format=data["file_format"],
            language=get_language(),
        )
    except LukError as error:
        messages.error(request, error.message)
        return redirect(reverse(list_exports.export_list(data["list_name"]).url_name) + f"?{data['query']}")
    return redirect("reporting:job", job.pk)


@require_GET
def export_file(request: HttpRequest, pk: int) -> FileResponse:
    """The finished file, with the name and type of the list's own download; only for the person who asked."""
    job = permissions.get_report_job_for_user(request.user, pk)
    if not job.is_export or job.state != ReportJob.State.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    export = list_exports.export_list(job.list_name).export
    response = FileResponse(
        handle,
        as_attachment=True,
        content_type=list_exports.CSV_TYPE if job.file_format == "csv" else list_exports.XLSX_TYPE,
        filename=list_exports.file_name(export, job.file_format, day=timezone.localdate(job.finished_at)),
    )
    return response


def _list(name: str, page: Callable[[HttpRequest], HttpResponseBase]) -> Callable[[HttpRequest], HttpResponseBase]:
    """The list's address: its file when `?format=` asks for one (same filters, same rows), else its page."""

    @require_GET
    def view(request: HttpRequest) -> HttpResponseBase:
        return list_exports.list_export(request, name) or page(request)

    view.__name__ = view.__qualname__ = page.__name__
    view.__doc__ = page.__doc__
    return view


application_list = _list("applications", application_views.application_list)
project_list = _list("projects", application_project_views.project_list)
payment_register = _list("payments", application_project_views.payment_register)
report_list = _list("reports", application_project_views.report_list)

# The lists' addresses, with the names they have in the `applications` namespace.
LIST_URLS = [
    path("soknader/", application_list, name="list"),
    path("prosjekt/", project_list, name="project_list"),
    path("rapportar/", report_list, name="report_list"),
    path("utbetalingar/", payment_register, name="payment_register"),
]
