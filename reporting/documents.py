"""What each kind of report is made from: its template and the selector that gathers its data.

`build` makes one report and measures its two halves (gathering the data, and WeasyPrint); the report job
service and the benchmark both use it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation

from applications.models import Project
from luk_portal.pdf import html_to_document, render_html
from programmes.models import County, Programme

from . import report_data
from .models import ReportJob

TEMPLATES = {
    ReportJob.Kind.PROJECT: "reporting/pdf/project_report.html",
    ReportJob.Kind.COUNTY: "reporting/pdf/county_report.html",
    ReportJob.Kind.NATIONAL: "reporting/pdf/national_report.html",
}


@dataclass
class Built:
    pdf: bytes
    pages: int
    html: str
    gather_seconds: float  # reading the data (selectors) and rendering the HTML template
    weasyprint_seconds: float  # layout and PDF writing


def gather(
    kind: str, *, programme: Programme, county: County | None, project: Project | None, language: str
) -> dict[str, Any]:
    """The report's template context, in the report's language."""
    with translation.override(language):
        if kind == ReportJob.Kind.PROJECT:
            context = report_data.project_report_data(project=project)
        elif kind == ReportJob.Kind.COUNTY:
            context = report_data.county_report_data(county=county, programme=programme)
        else:
            context = report_data.national_report_data(programme=programme)
    return {**context, "generated_at": timezone.now(), "language": language}


def build(
    kind: str,
    *,
    programme: Programme,
    county: County | None = None,
    project: Project | None = None,
    language: str,
    progress: Callable[[int], None] = lambda percent: None,
) -> Built:
    started = time.perf_counter()
    context = gather(kind, programme=programme, county=county, project=project, language=language)
    progress(30)
    html = render_html(TEMPLATES[kind], context, language=language)
    gathered = time.perf_counter()
    progress(40)
    document = html_to_document(html).render()
    progress(85)
    pdf = document.write_pdf()
    return Built(
        pdf=pdf,
        pages=len(document.pages),
        html=html,
        gather_seconds=gathered - started,
        weasyprint_seconds=time.perf_counter() - gathered,
    )
