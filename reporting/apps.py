from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from . import tasks, workflow  # noqa: F401  (tasks: registered with Celery, sent by name)

        workflow.register()
