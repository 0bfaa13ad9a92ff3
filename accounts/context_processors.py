"""For the sign-in templates: whether the signed-in person must have a second factor (read only when shown)."""

from __future__ import annotations

from django.http import HttpRequest

from .factors import second_factor_required


def factors(request: HttpRequest) -> dict:
    return {"factor_required": lambda: second_factor_required(getattr(request, "user", None))}
