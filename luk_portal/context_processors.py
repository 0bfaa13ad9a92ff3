"""What every page's frame shows: the signed-in person's roles and where they lead."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def portal(request: HttpRequest) -> dict[str, Any]:
    from programmes.permissions import memberships_of, scope_of
    from reporting.permissions import start_page_url

    def roles() -> list[tuple[Any, str]]:
        return [(membership, start_page_url(membership)) for membership in memberships_of(request.user)]

    return {
        "my_roles": SimpleLazyObject(roles),
        "my_scope": SimpleLazyObject(lambda: scope_of(request.user)),
    }
