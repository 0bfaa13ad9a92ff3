"""The person's own sign-in pages beside django-allauth's: their active sessions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from . import selectors, services

# allauth's pages that the portal does not offer (answered 404): people, and their e-mail addresses, are made and
# changed by administrators; e-mail addresses are not verified by link or code.
NOT_OFFERED = (
    r"^signup/$",
    r"^email/$",
    r"^confirm-email/$",
    r"^confirm-email/(?P<key>[-:\w]+)/$",
    r"^login/code/confirm/$",
    r"^3rdparty/signup/$",
)


@require_http_methods(["GET", "POST"])
def sessions(request: HttpRequest) -> HttpResponse:
    """The person's own active sessions and recent sign-ins; POST ends every session but this one."""
    if request.method == "POST":
        ended = services.user_sessions_others_end(user=request.user, request=request)
        messages.success(
            request,
            ngettext("%(count)d other session ended.", "%(count)d other sessions ended.", ended) % {"count": ended},
        )
        return redirect("sessions")
    context = {
        "sessions": selectors.user_sessions_list(user=request.user, current_key=request.session.session_key),
        "events": selectors.user_recent_signins(user=request.user),
    }
    return render(request, "accounts/sessions.html", context)
