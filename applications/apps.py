from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications and projects")

    def ready(self) -> None:
        # The tasks are registered here: services send them by name (luk_portal.jobs) and never import them.
        from . import tasks  # noqa: F401
        from .services import steps

        steps.register()
