"""Template filters for the portal's formats: money as `1 000 000 kr`."""

from __future__ import annotations

from django import template

from luk_portal.formats import format_kroner

register = template.Library()


@register.filter
def kr(value: int | None) -> str:
    """Whole kroner with a narrow no-break space between thousands: 1 000 000 kr."""
    return format_kroner(value)


STATUS_CLASSES = {
    "draft": "text-bg-light border",
    "submitted": "text-bg-primary",
    "in_review": "text-bg-info",
    "returned": "text-bg-warning",
    "recommended": "text-bg-secondary",
    "approved": "text-bg-success",
    "rejected": "text-bg-danger",
    # Projects, payments and change requests.
    "active": "text-bg-primary",
    "closed": "text-bg-secondary",
    "cancelled": "text-bg-danger",
    "requested": "text-bg-info",
    "refused": "text-bg-danger",
    # Report jobs.
    "queued": "text-bg-light border",
    "running": "text-bg-info",
    "done": "text-bg-success",
    "failed": "text-bg-danger",
}


@register.filter
def status_class(status: str) -> str:
    """Bootstrap classes for a status badge; the badge always carries the status in words too."""
    return STATUS_CLASSES.get(status, "text-bg-light border")
