"""What every page's frame shows: the signed-in person's roles and where they lead."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def portal(request: HttpRequest) -> dict[str, Any]:
    def roles() -> list[tuple[Any, str]]:
        from programmes.permissions import memberships_of
        from reporting.permissions import start_page_url

        return [(membership, start_page_url(membership)) for membership in memberships_of(request.user)]

    return {"my_roles": SimpleLazyObject(roles)}
