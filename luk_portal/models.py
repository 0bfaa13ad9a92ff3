"""The portal's own table: the data version that tells kept pages the data has changed (data_version)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """One row: a number raised when a transaction that changed the data of the applications or programmes apps
    commits. With the highest ids of their tables it makes the data's stamp (luk_portal/data_version.py)."""

    number = models.BigIntegerField(_("number"), default=0)

    class Meta:
        verbose_name = _("data version")

    def __str__(self) -> str:
        return str(self.number)
