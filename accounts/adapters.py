"""How django-allauth behaves in the portal: nobody signs up, messages in the portal's words, OIDC links only."""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

WRONG_CODE = _("The code is wrong or has expired. Try the newest code from your app.")


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": _("The user name or the password is wrong."),
        "account_inactive": _("This user is no longer active. Ask your administrator."),
        "incorrect_code": WRONG_CODE,
        "incorrect_password": _("The password is wrong."),
        "enter_current_password": _("Type your current password."),
        "invalid_password_reset": _("The link to set a new password is not valid, or has been used already."),
        "too_many_login_attempts": _("Too many failed attempts. Wait a while, or reset your password."),
        "rate_limited": _("Too many requests in a short time. Wait a while and try again."),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """People are made by administrators, with their memberships; nobody signs up."""
        return False

    def get_login_stages(self) -> list[str]:
        """allauth's stages, with the second-factor step skipped after an electronic ID at a high enough level."""
        return [
            "accounts.stages.AuthenticateStage" if stage == "allauth.mfa.stages.AuthenticateStage" else stage
            for stage in super().get_login_stages()
        ]

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """A sign-in of the last few minutes counts as confirming it is you; after that allauth asks again.

        allauth 65.21 asks for the password before a factor is added or removed even right after signing in,
        so staff led to set up their first factor would type their password twice in a row.
        """
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        records = get_authentication_records(request, request.user) if request is not None else []
        signed_in_at = max((record.get("at", 0) for record in records), default=0)
        return time.time() - signed_in_at >= account_settings.REAUTHENTICATION_TIMEOUT


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": WRONG_CODE,
        "cannot_generate_recovery_codes": _("Set up an authenticator app before making recovery codes."),
    }

    def get_totp_label(self, user: Any) -> str:
        return user.get_username()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """An electronic ID only signs in a person it has been linked to; it never makes a user or a membership."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        from . import eid_checks

        eid_checks.sign_in_check(request, sociallogin)

    def on_authentication_error(
        self, request: HttpRequest, provider: Any, error: Any = None, exception: Any = None, extra_context: Any = None
    ) -> None:
        from . import eid_checks

        eid_checks.refuse(request, provider, eid_checks.reason_of(error, exception, extra_context or {}))
