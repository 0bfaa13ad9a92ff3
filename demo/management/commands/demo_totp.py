"""Print the current second-factor code of the demo staff (they share the published demo secret)."""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from demo.people import DEMO_TOTP_SECRET


def demo_code(at: float | None = None) -> tuple[str, int]:
    """The demo code at a moment (now by default), and how many seconds it stays valid."""
    now = time.time() if at is None else at
    counter = int(now) // app_settings.TOTP_PERIOD
    left = app_settings.TOTP_PERIOD - int(now) % app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)), left


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # Translated when asked, as a plain str: argparse cannot format a lazy string (`manage.py help demo_totp`).
        return _("Print the current code from the demo staff's authenticator app (demo data only).")

    def handle(self, *args, **options):
        code, left = demo_code()
        self.stdout.write(_("%(code)s (valid for %(seconds)d more seconds)") % {"code": code, "seconds": left})
