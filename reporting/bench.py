"""The benchmark's measurements, run inside one database at one scale (see the `bench` command)."""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Application, Payment, ProgressReport, Project
from luk_portal.pdf import html_to_document
from programmes.selectors import programme_current

from . import documents
from .models import ReportJob


def data_size() -> dict[str, int]:
    return {
        "applications": Application.objects.count(),
        "projects": Project.objects.count(),
        "progress_reports": ProgressReport.objects.count(),
        "payments": Payment.objects.count(),
    }


def national_report(*, runs: int = 1, language: str = "nn") -> dict[str, Any]:
    """Make the national evaluation report `runs` times (after one warm-up of the templates and fonts at the
    first run's cost): the median total, its two halves, and WeasyPrint alone on the same finished HTML."""
    programme = programme_current()
    samples = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            built = documents.build(ReportJob.Kind.NATIONAL, programme=programme, language=language)
        samples.append((built.gather_seconds + built.weasyprint_seconds, built, len(queries)))
    samples.sort(key=lambda sample: sample[0])
    total, built, query_count = samples[len(samples) // 2]
    started = time.perf_counter()
    html_to_document(built.html).write_pdf()
    floor = time.perf_counter() - started
    return {
        "total_s": total,
        "gather_s": built.gather_seconds,
        "weasyprint_s": built.weasyprint_seconds,
        "gather_share": built.gather_seconds / total,
        "floor_s": floor,
        "pages": built.pages,
        "pdf_kb": len(built.pdf) // 1024,
        "queries": query_count,
        "all_totals_s": [round(sample[0], 3) for sample in samples],
        "median_total_s": statistics.median(sample[0] for sample in samples),
    }
