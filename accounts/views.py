"""The password views of django.contrib.auth with the sign-in side's follow-up (events, sessions, locks)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from . import selectors, services


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session signed in (update_session_auth_hash)
        services.password_change_complete(user=form.user, request=self.request)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_reset_complete(user=form.user, request=self.request)
        return response


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
