"""Who may see which dashboard. Object access itself is decided in programmes.permissions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from programmes.models import Membership
from programmes.permissions import get_county_for_user, get_municipality_for_user, is_ministry

__all__ = ["get_county_for_user", "get_municipality_for_user", "require_national_dashboard", "start_page_url"]


def require_national_dashboard(user: Any) -> None:
    """The national dashboard is the ministry's; others know it exists (it is in no one's data), so 403."""
    if not is_ministry(user):
        raise PermissionDenied


def start_page_url(membership: Membership) -> str:
    """The page a membership's role starts on."""
    if membership.role == Membership.Role.MINISTRY_ADVISER:
        return reverse("reporting:national")
    if membership.county_id:
        return reverse("reporting:county", args=[membership.county_id])
    return reverse("reporting:municipality", args=[membership.municipality_id])
