from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from applications.models import Application, Payment, ProgressReport, Project
from demo.people import DEMO_PASSWORD, DEMO_TOTP_SECRET
from demo.seed import demo_seed
from programmes.models import Membership


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # Translated when asked, as a plain str: argparse cannot format a lazy string (`manage.py help seed_demo`).
        return _(
            "Make the demo data: reference data, the LUK programme, people for every role, their cases, and cases "
            "2010-2014 in every kommune and county authority (idempotent)."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help=_("Grow the data N times, for benchmarks: about 500·N applications and 300·N projects nationally."),
        )
        parser.add_argument("--seed", type=int, default=2010, help=_("Seed for the random choices (deterministic)."))
        parser.add_argument(
            "--no-national",
            action="store_true",
            help=_("Only the hand-made demo cases, not the national cases of 2010-2014."),
        )
        parser.add_argument("--quiet", action="store_true", help=_("Do not print the demo logins."))

    def handle(self, *args, scale, seed, no_national, quiet, **options):
        if scale < 1:
            raise CommandError(_("--scale must be 1 or more"))
        people = demo_seed(scale=scale, seed=seed, national=not no_national)
        if quiet:
            return
        self.stdout.write("")
        self.stdout.write(
            _("Cases: %(applications)s applications, %(projects)s projects, %(reports)s reports, %(payments)s payments")
            % {
                "applications": Application.objects.count(),
                "projects": Project.objects.count(),
                "reports": ProgressReport.objects.count(),
                "payments": Payment.objects.count(),
            }
        )
        self.stdout.write(_("Demo logins (password for all: %(password)s)") % {"password": DEMO_PASSWORD})
        self.stdout.write(f"  {'admin':<24} " + _("Django admin (/admin/)"))
        for person in people:
            memberships = Membership.objects.filter(user__username=person.username).select_related(
                "county", "municipality"
            )
            roles = "; ".join(f"{m.get_role_display()}, {m.place}" for m in memberships)
            self.stdout.write(f"  {person.username:<24} {roles}")
        self.stdout.write("")
        self.stdout.write(
            _(
                "County and ministry staff and admin are then asked for a code from an authenticator app. "
                "Print the current code with `make demo-code` (or `python manage.py demo_totp`), "
                "or add this key to your app: %(secret)s"
            )
            % {"secret": DEMO_TOTP_SECRET}
        )
        self.stdout.write("")
