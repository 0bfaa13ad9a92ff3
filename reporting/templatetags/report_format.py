"""Number formats for the reports and charts: whole numbers and per cent, the Norwegian way."""

from __future__ import annotations

from django import template

from reporting.charts import NBSP, format_integer

register = template.Library()


@register.filter
def num(value: int | None) -> str:
    """`1234` -> `1 234` with no-break spaces; None -> an en dash."""
    return format_integer(value)


@register.filter
def pct(value: int | None) -> str:
    """A whole per cent as `45 %` (Norwegian style, no-break space); None -> an en dash."""
    return "–" if value is None else f"{format_integer(value)}{NBSP}%"


@register.inclusion_tag("reporting/partials/figure_cell.html")
def figure_cell(
    n: int | None, list_name: str, query: str, what: str = "", name: object = "", money: bool = False
) -> dict[str, object]:
    """A dashboard table's cell of a figure linked to the list of the cases it sums (partials/figure_link.html),
    right-aligned, in kroner when money."""
    return {"n": n, "list": list_name, "query": query, "what": what, "name": name, "money": money}
