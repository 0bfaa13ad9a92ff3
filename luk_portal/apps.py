from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LukPortalConfig(AppConfig):
    name = "luk_portal"
    verbose_name = _("LUK portal")

    def ready(self) -> None:
        from . import signals  # noqa: F401
