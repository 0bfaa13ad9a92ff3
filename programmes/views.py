"""The public front page, and funding rounds as the people who may see them see them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from luk_portal.forms import add_service_errors

from . import permissions, services
from .forms import RoundForm
from .selectors import programme_current


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What the portal is, for anyone; signed-in people go on to their own start page."""
    if request.user.is_authenticated:
        return redirect("start")
    return render(request, "home.html", {"programme": programme_current()})


@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = permissions.rounds_visible_to(request.user).select_related("programme", "county").order_by("-opens_at")
    openable = [
        county
        for county in permissions.counties_visible_to(request.user)
        if permissions.can_open_municipal_round(request.user, county)
    ]
    return render(request, "programmes/round_list.html", {"rounds": rounds, "openable": openable})


@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    funding_round = permissions.get_round_for_user(request.user, pk)
    return render(
        request,
        "programmes/round_detail.html",
        {
            "round": funding_round,
            "themes": list(funding_round.themes.all()),
            "can_change": permissions.can_change_round(request.user, funding_round),
            "can_apply": permissions.can_apply_to_round(request.user, funding_round),
            "frames": list(
                permissions.frames_visible_to(request.user).filter(funding_round=funding_round).select_related("county")
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest, county_pk: int) -> HttpResponse:
    county = permissions.get_county_for_user(request.user, county_pk)
    if not permissions.can_open_municipal_round(request.user, county):
        return render(request, "403.html", status=403)
    programme = programme_current()
    form = RoundForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            funding_round = services.round_open(
                by=request.user,
                county=county,
                programme=programme,
                name=data["name"],
                description=data["description"],
                budget=data["budget"],
                opens_at=data["opens_at"],
                deadline=data["deadline"],
                themes=list(data["themes"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The round is open for the county's kommunar."))
            return redirect("programmes:round_detail", funding_round.pk)
    return render(request, "programmes/round_form.html", {"form": form, "county": county, "funding_round": None})


@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    funding_round = permissions.get_round_for_user(request.user, pk, write=True)
    form = RoundForm(request.POST or None, instance=funding_round, programme=funding_round.programme)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        themes = list(data.pop("themes"))
        try:
            services.round_update(funding_round=funding_round, by=request.user, themes=themes, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The round is saved."))
            return redirect("programmes:round_detail", funding_round.pk)
    return render(
        request,
        "programmes/round_form.html",
        {"form": form, "county": funding_round.county, "funding_round": funding_round},
    )
