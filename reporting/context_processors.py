"""What every page's frame shows: the signed-in person's roles and where they lead, and which parts of the menu
are theirs (asked of the apps' permissions)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from applications import permissions as case_rules
from programmes.permissions import memberships_of

from .permissions import start_page_url


def portal(request: HttpRequest) -> dict[str, Any]:
    user = request.user

    def roles() -> list[tuple[Any, str]]:
        return [(membership, start_page_url(membership)) for membership in memberships_of(user)]

    def menu() -> dict[str, bool]:
        return {
            "payments": case_rules.shows_payment_register(user),
            "county_plans": case_rules.shows_county_plans(user),
        }

    return {"my_roles": SimpleLazyObject(roles), "menu": SimpleLazyObject(menu)}
