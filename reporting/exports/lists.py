"""The case lists as files: CSV and XLSX of the same rows the list shows (filtered, sorted, access-checked),
every page of them, at the list's own address with `?format=csv|xlsx` (export_views).

The lists themselves (their filters, and who sees which rows) are applications' (applications.filters); what
their files hold, column by column, is here. A list longer than settings.EXPORT_SYNC_LIMIT is made in the
background (reporting's export jobs), not streamed in the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.filters import case_list, list_filterset
from applications.models import Application, Payment, ProgressReport, Project

from .files import Column, Export, Kind, export_response, requested_format

# What a column shows of a row (read with `values()`), and the fields it reads


def _field(label: str | Promise, name: str, kind: Kind = "text", width: int = 20) -> Column:
    return Column(label, lambda row: row[name], kind, width, fields=(name,))


def _choice(label: str | Promise, name: str, choices: list[tuple[str, Any]]) -> Column:
    labels = {value: str(text) for value, text in choices}  # in the active language, now
    return Column(label, lambda row: labels.get(row[name], row[name]), fields=(name,))


def _day(label: str | Promise, name: str) -> Column:
    """The day (in Norway) of a moment."""
    return Column(label, lambda row: timezone.localdate(row[name]) if row[name] else None, "date", 12, fields=(name,))


def _person(label: str | Promise, prefix: str) -> Column:
    names = (f"{prefix}__first_name", f"{prefix}__last_name")
    return Column(label, lambda row: " ".join(filter(None, [row[name] for name in names])), fields=names)


def _kind_of_report(label: str | Promise) -> Column:
    final, progress = str(_("Final report")), str(_("Progress report"))
    return Column(label, lambda row: final if row["final"] else progress, width=16, fields=("final",))


def _where(kommune: str, county: str) -> list[Column]:
    """The lead kommune's name and number, and the county."""
    return [
        _field(_("Kommune"), f"{kommune}__name"),
        _field(_("Kommune number"), f"{kommune}__number", width=10),
        _field(_("County"), county),
    ]


# The four lists


def _application_columns() -> list[Column]:
    return [
        _field(_("Case number"), "case_number", width=14),
        _field(_("Title"), "title", width=40),
        *_where("lead_municipality", "funding_round__county__name"),
        _field(_("Round"), "funding_round__name", width=30),
        _choice(_("Status"), "status", Application.Status.choices),
        _field(_("Applied for (kr)"), "requested_amount", "money", 14),
        _field(_("Granted (kr)"), "decision__amount", "money", 14),
        _day(_("Submitted"), "submitted_at"),
        _person(_("Case officer"), "officer"),
    ]


def _project_columns() -> list[Column]:
    return [
        _field(_("Title"), "title", width=40),
        _field(_("Case number"), "application__case_number", width=14),
        *_where("lead_municipality", "county__name"),
        _choice(_("Status"), "status", Project.Status.choices),
        _field(_("Granted (kr)"), "granted_amount", "money", 14),
        _field(_("Paid (kr)"), "paid_amount", "money", 14),
        _field(_("Released (kr)"), "released_amount", "money", 14),
        _field(_("Project start"), "period_start", "date", 12),
        _field(_("Project end"), "period_end", "date", 12),
        _field(_("Final report due"), "final_report_due", "date", 12),
    ]


def _payment_columns() -> list[Column]:
    return [
        _field(_("County"), "project__county__name"),
        _field(_("Kommune"), "project__lead_municipality__name"),
        _field(_("Project"), "project__title", width=40),
        _field(_("Amount (kr)"), "amount", "money", 14),
        _choice(_("Status"), "status", Payment.Status.choices),
        _day(_("Requested"), "requested_at"),
        _day(_("Decided"), "decided_at"),
        _person(_("Decided by"), "decided_by"),
    ]


def _report_columns() -> list[Column]:
    return [
        _field(_("Project"), "project__title", width=40),
        _field(_("Kommune"), "project__lead_municipality__name"),
        _field(_("County"), "project__county__name"),
        _kind_of_report(_("Kind")),
        _field(_("Period from"), "period_from", "date", 12),
        _field(_("Period to"), "period_to", "date", 12),
        _field(_("Due"), "deadline__due_on", "date", 12),
        _choice(_("Status"), "status", ProgressReport.Status.choices),
        _day(_("Submitted"), "submitted_at"),
    ]


EXPORTS: dict[str, Export] = {
    "applications": Export(slug="soknader", sheet=_("Applications"), columns=_application_columns),
    "projects": Export(slug="prosjekt", sheet=_("Projects"), columns=_project_columns),
    "payments": Export(slug="utbetalingar", sheet=_("Payments"), columns=_payment_columns),
    "reports": Export(slug="rapportar", sheet=_("Reports"), columns=_report_columns),
}


# The lists by name: how each is read for a person (applications.filters) and its file.


@dataclass(frozen=True)
class ExportList:
    """A list's name, the URL name of its page, and its file."""

    name: str
    url_name: str
    export: Export


def export_list(name: str) -> ExportList:
    """The list called `name`; KeyError for any other name."""
    return ExportList(name, case_list(name).url_name, EXPORTS[name])


def list_export(request: HttpRequest, name: str) -> HttpResponseBase | None:
    """The list as a file when `?format=` asks for one, else None (the page). A list longer than
    EXPORT_SYNC_LIMIT rows is not streamed: back to the page, whose buttons have the file made in the background."""
    file_format = requested_format(request)
    if file_format is None:
        return None
    filterset = list_filterset(name, user=request.user, data=request.GET)
    count = filterset.qs.count()
    if count > settings.EXPORT_SYNC_LIMIT:
        messages.warning(
            request,
            gettext(
                "The list has %(count)s rows, too many to download at once. "
                "Use the buttons to have the file made in the background."
            )
            % {"count": count},
        )
        return redirect(f"{request.path}?{filterset.export_query}")
    return export_response(EXPORTS[name], filterset.qs, file_format)
