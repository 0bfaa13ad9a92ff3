"""The one place WeasyPrint is called: a template and a context in, PDF bytes out.

The print stylesheet is the portal's own (static/css/print.css), not Bootstrap; the URL fetcher reaches only
the project's static files, so a document can never pull anything from the network or the disk around it.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PREFIX = "static:/"


class StaticOnlyFetcher(URLFetcher):
    """Serves `static:/...` from the project's static files and refuses every other URL."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=["static"])

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if not url.startswith(STATIC_PREFIX):
            raise ValueError(f"PDF documents may only use the portal's static files, not {url!r}")
        path = finders.find(url[len(STATIC_PREFIX) :].lstrip("/"))
        if not path:
            raise ValueError(f"no static file {url!r}")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(path).read_bytes(), headers={"Content-Type": content_type})


def render_html(template_name: str, context: dict[str, Any], *, language: str | None = None) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return render_to_string(template_name, {**context, "STATIC": STATIC_PREFIX})


def html_to_document(html: str) -> HTML:
    """WeasyPrint's document for finished HTML, reaching only the portal's static files."""
    return HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=StaticOnlyFetcher())


def render_pdf(
    template_name: str, context: dict[str, Any], *, language: str | None = None, archive: bool = False
) -> bytes:
    """Render the template to PDF; archive=True makes PDF/A-3b, fit for the archive (decision letters)."""
    html = render_html(template_name, context, language=language)
    document = html_to_document(html)
    options: dict[str, Any] = {"pdf_variant": "pdf/a-3b"} if archive else {}
    return document.write_pdf(**options)
