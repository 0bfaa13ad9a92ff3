"""Exports of lists too long to download at once: asked for from the list, made in the background by the
worker, watched on the report job page (views.report_job), downloaded here by the person who asked."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications import exports as list_exports
from luk_portal.errors import LukError

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
