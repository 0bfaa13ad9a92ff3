"""Funding rounds as the people who may see them see them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import permissions


@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = permissions.rounds_visible_to(request.user).select_related("programme", "county").order_by("-opens_at")
    return render(request, "programmes/round_list.html", {"rounds": rounds})


@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    funding_round = permissions.get_round_for_user(request.user, pk)
    return render(
        request,
        "programmes/round_detail.html",
        {
            "round": funding_round,
            "themes": list(funding_round.themes.all()),
            "frames": list(
                permissions.frames_visible_to(request.user).filter(funding_round=funding_round).select_related("county")
            ),
        },
    )
