"""The download links under a dashboard's table (templates/reporting/partials/table_export.html)."""

from __future__ import annotations

from typing import Any

from django import template

from reporting.exports import export_query, table_label

register = template.Library()


@register.simple_tag(takes_context=True)
def table_export_links(context: Any, table: str) -> dict[str, Any]:
    """The query strings of the table's CSV and XLSX files, with the page's filters, and the table's name.

    The filters are `filter_query` where the context has it (figures rendered without a request, see
    reporting.exports.filter_query), else the request's query string."""
    data = context.get("filter_query")
    if data is None:
        request = context.get("request")
        data = request.GET if request is not None else ""
    return {
        "label": table_label(table),
        "csv": export_query(data, table, "csv"),
        "xlsx": export_query(data, table, "xlsx"),
    }
