"""Template filters for the portal's formats: money as `1 000 000 kr`."""

from __future__ import annotations

from django import template

from luk_portal.formats import format_kroner

register = template.Library()


@register.filter
def kr(value: int | None) -> str:
    """Whole kroner with a narrow no-break space between thousands: 1 000 000 kr."""
    return format_kroner(value)
