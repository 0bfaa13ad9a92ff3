from django.core.management.base import BaseCommand

from programmes.services import programme_setup_luk


class Command(BaseCommand):
    help = "Set up the LUK programme: result goals, themes, the 2009 start-up round and its frames (idempotent)."

    def handle(self, *args, **options):
        programme = programme_setup_luk()
        self.stdout.write(f"Programme {programme.slug}: {programme.frames.count()} county frames.")
