from django.core.management.base import BaseCommand, CommandError

from luk_portal.demo import DEMO_PASSWORD, demo_seed
from programmes.models import Membership


class Command(BaseCommand):
    help = "Make the demo data: reference data, the LUK programme and people for every role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Grow the data N times, for benchmarks.")
        parser.add_argument("--seed", type=int, default=2010, help="Seed for the random choices (deterministic).")
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, scale, seed, quiet, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more")
        people = demo_seed(scale=scale, seed=seed)
        if quiet:
            return
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"  {'admin':<24} Django admin (/admin/)")
        for person in people:
            memberships = Membership.objects.filter(user__username=person.username).select_related(
                "county", "municipality"
            )
            roles = "; ".join(f"{m.get_role_display()}, {m.place}" for m in memberships)
            self.stdout.write(f"  {person.username:<24} {roles}")
        self.stdout.write("")
