from django.core.management.base import BaseCommand

from programmes.services import refdata_load


class Command(BaseCommand):
    help = "Load fylke, kommunar and SSB's change list from programmes/refdata (idempotent)."

    def handle(self, *args, **options):
        counts = refdata_load()
        self.stdout.write(
            "Reference data: {counties} fylke, {municipalities} kommune versions, {changes} changes.".format(**counts)
        )
