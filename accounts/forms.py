"""django-allauth's sign-in forms with the portal's own words, and django-axes guarding the second step."""

from __future__ import annotations

from typing import Any

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


class LoginForm(account_forms.LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relabel(self, {"login": _("User name"), "password": _("Password")})


class ChangePasswordForm(account_forms.ChangePasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relabel(
            self,
            {
                "oldpassword": _("Current password"),
                "password1": _("New password"),
                "password2": _("New password again"),
            },
        )


class ResetPasswordForm(account_forms.ResetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relabel(self, {"email": _("E-mail address")})


class ResetPasswordKeyForm(account_forms.ResetPasswordKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relabel(self, {"password1": _("New password"), "password2": _("New password again")})


class ReauthenticatePasswordForm(account_forms.ReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relabel(self, {"password": _("Password")})


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


class AuthenticateForm(_CodeStep, mfa_forms.AuthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relabel(self, {"code": _("Code from your authenticator app, or a recovery code")})


class ReauthenticateForm(_CodeStep, mfa_forms.ReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relabel(self, {"code": _("Code from your authenticator app, or a recovery code")})


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relabel(self, {"code": _("The six-digit code your app now shows")})
