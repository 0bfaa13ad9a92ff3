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
