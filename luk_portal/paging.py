"""Pagination for the portal's lists; the page number travels as `side`."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 25


def paginate(request: HttpRequest, items: Any, size: int = PAGE_SIZE) -> tuple[Page, str]:
    """The page the list is on, and the query string without the page number (for the page links)."""
    page = Paginator(items, size).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return page, query.urlencode()
