"""django-allauth's sign-in forms with the portal's own words, and django-axes guarding the second step."""

from __future__ import annotations

from typing import Any, ClassVar

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from .throttle import user_locked_until


def relabel(form: forms.Form, labels: dict[str, Any]) -> None:
    """Give the library's fields the portal's labels (translated in the portal's own catalogues)."""
    for name, label in labels.items():
        if name in form.fields:
            field = form.fields[name]
            field.label = label
            field.widget.attrs.pop("placeholder", None)
            field.help_text = ""


class Relabelled:
    """A library form with the portal's labels for the fields named in `labels`."""

    labels: ClassVar[dict[str, Any]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relabel(self, self.labels)


class LoginForm(Relabelled, account_forms.LoginForm):
    labels = {"login": _("User name"), "password": _("Password")}


class ChangePasswordForm(Relabelled, account_forms.ChangePasswordForm):
    labels = {
        "oldpassword": _("Current password"),
        "password1": _("New password"),
        "password2": _("New password again"),
    }


class ResetPasswordForm(Relabelled, account_forms.ResetPasswordForm):
    labels = {"email": _("E-mail address")}


class ResetPasswordKeyForm(Relabelled, account_forms.ResetPasswordKeyForm):
    labels = {"password1": _("New password"), "password2": _("New password again")}


class ReauthenticatePasswordForm(Relabelled, account_forms.ReauthenticateForm):
    labels = {"password": _("Password")}


class _CodeStep:
    """The second step counts against the same lockout as the first: refused while the name is locked."""

    def clean_code(self) -> str:
        from allauth.core import context
        from axes.handlers.proxy import AxesProxyHandler

        username = self.user.get_username()
        request = context.request
        if user_locked_until(username=username) is not None or AxesProxyHandler.is_locked(
            request, {"username": username}
        ):
            request.axes_locked_out = True  # AxesMiddleware answers with the lockout page
            raise forms.ValidationError(_("Too many failed attempts. Wait a while, or reset your password."))
        return super().clean_code()


class AuthenticateForm(Relabelled, _CodeStep, mfa_forms.AuthenticateForm):
    labels = {"code": _("Code from your authenticator app, or a recovery code")}


class ReauthenticateForm(Relabelled, _CodeStep, mfa_forms.ReauthenticateForm):
    labels = {"code": _("Code from your authenticator app, or a recovery code")}


class ActivateTOTPForm(Relabelled, totp_forms.ActivateTOTPForm):
    labels = {"code": _("The six-digit code your app now shows")}
