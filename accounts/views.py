"""The password views of django.contrib.auth with the sign-in side's follow-up (events, sessions, locks)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from . import services


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
