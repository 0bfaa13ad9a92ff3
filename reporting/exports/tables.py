"""The dashboards' tables as files: `?format=csv|xlsx&table=<name>` on a dashboard gives that one table, with the
page's filters, figures, columns and totals row, in the files of files.py (CSV for Norwegian Excel,
XLSX by openpyxl).

A table is read from the context the dashboard's selector made for the page (reporting.selectors), so the file
can only hold what the page shows, after the page's own access check; its rows are dicts, one per table row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponseBase, QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..figures import YEAR_FIGURES
from .files import FORMATS, Column, Export, Row, export_response

Context = dict[str, Any]

# The query parameters that ask for a file rather than the page.
EXPORT_PARAMS = ("format", "table")


@dataclass(frozen=True)
class Table:
    """One table of a dashboard: the context key it is read from (no key, no table), its file name part, its
    name (the sheet's, and the download links'), its columns and its rows (with the totals row, if the page has
    one), both from the page's context."""

    key: str
    slug: str
    label: str | Promise
    columns: Callable[[Context], list[Column]]
    rows: Callable[[Context], list[Row]]


def _value(name: str) -> Callable[[Row], Any]:
    return lambda row: row.get(name)


def _col(label: str | Promise, name: str, kind: Any = "text", width: int = 14) -> Column:
    return Column(label, _value(name), kind, width)


def _yes_no(value: bool) -> str:
    return gettext("Yes") if value else gettext("No")


# Shared by the national and the county dashboard


def _money_columns() -> list[Column]:
    return [_col(_("Granted"), "granted", "money"), _col(_("Paid"), "paid", "money")]


def _figure_columns() -> list[Column]:
    """Applications, projects, granted and paid: a theme's or a year's figures."""
    return [_col(_("Applications"), "applications"), _col(_("Projects"), "projects"), *_money_columns()]


def _theme_columns(context: Context) -> list[Column]:
    return [_col(_("Theme"), "name", width=30), *_figure_columns()]


def _theme_rows(context: Context) -> list[Row]:
    return [
        {
            "name": str(theme.name),
            "applications": theme.applications_count,
            "projects": theme.projects_count,
            "granted": theme.granted,
            "paid": theme.paid,
        }
        for theme in context["themes"]
    ]


def _status_columns(context: Context) -> list[Column]:
    return [_col(_("Status"), "label", width=20), _col(_("Projects"), "count"), *_money_columns()]


def _status_rows(context: Context) -> list[Row]:
    return [
        {"label": str(row["label"]), "count": row["count"], "granted": row["granted"], "paid": row["paid"]}
        for row in context["project_status"]
    ]


THEMES = Table("themes", "tema", _("Themes"), _theme_columns, _theme_rows)
STATUSES = Table("project_status", "status", _("Projects by status"), _status_columns, _status_rows)


# The national dashboard


def _county_columns(context: Context) -> list[Column]:
    columns = [
        _col(_("Number"), "number", width=8),
        _col(_("County"), "name", width=24),
        _col(_("Kommunar"), "municipality_count"),
        _col(_("Taking part"), "taking_part"),
        _col(_("Applications"), "applications_count"),
        _col(_("Projects"), "projects_count"),
        _col(_("Frames"), "frame_total", "money"),
        _col(_("Granted"), "granted", "money"),
        _col(_("Paid"), "paid", "money"),
    ]
    if not context.get("filtered"):
        columns.append(_col(_("Free"), "free", "money"))
    return columns


_COUNTY_FIGURES = (
    "municipality_count",
    "taking_part",
    "applications_count",
    "projects_count",
    "frame_total",
    "granted",
    "paid",
    "free",
)


def _county_rows(context: Context) -> list[Row]:
    rows: list[Row] = [
        {"number": county.number, "name": county.name, **{name: getattr(county, name) for name in _COUNTY_FIGURES}}
        for county in context["counties"]
    ]
    totals = context["totals"]
    rows.append({"number": None, "name": gettext("All counties"), **{name: totals[name] for name in _COUNTY_FIGURES}})
    return rows


def _year_columns(context: Context) -> list[Column]:
    return [_col(_("Year"), "year", width=10), *_figure_columns()]


def _year_rows(context: Context) -> list[Row]:
    names = YEAR_FIGURES
    rows: list[Row] = [{"year": row["year"], **{name: row[name] for name in names}} for row in context["years"]]
    rows.append({"year": gettext("Total"), **{name: context["year_totals"][name] for name in names}})
    return rows


_GOAL_FIGURES = ("projects", "indicators", "reported", "baseline", "target", "reached", "progress")


def _goal_columns(context: Context) -> list[Column]:
    return [
        _col(_("Result goal"), "goal", width=60),
        _col(_("Projects"), "projects"),
        _col(_("Indicators"), "indicators"),
        _col(_("Reported"), "reported"),
        _col(_("Baseline"), "baseline"),
        _col(_("Target"), "target"),
        _col(_("Reached"), "reached"),
        _col(_("Progress (%)"), "progress"),
    ]


def _goal_rows(context: Context) -> list[Row]:
    return [
        {"goal": f"{row['goal'].number}. {row['goal'].text}", **{name: row[name] for name in _GOAL_FIGURES}}
        for row in context["goal_rows"]
    ]


# The county dashboard


def _kommune_columns(context: Context) -> list[Column]:
    return [
        _col(_("Number"), "number", width=8),
        _col(_("Kommune"), "name", width=24),
        _col(_("Taking part"), "taking_part"),
        _col(_("Applications"), "applications"),
        _col(_("Projects"), "projects"),
        _col(_("Partner in"), "partner"),
        *_money_columns(),
    ]


def _kommune_rows(context: Context) -> list[Row]:
    rows: list[Row] = [
        {
            "number": m.number,
            "name": m.name,
            "taking_part": _yes_no(m.taking_part),
            "applications": m.applications_count,
            "projects": m.projects_count,
            "partner": m.partner_count,
            "granted": m.granted,
            "paid": m.paid,
        }
        for m in context["municipality_rows"]
    ]
    totals = context["municipality_totals"]
    rows.append(
        {
            "number": None,
            "name": gettext("All kommunar"),
            "taking_part": None,
            **{name: totals[name] for name in ("applications", "projects", "granted", "paid")},
        }
    )
    return rows


def _frame_columns(context: Context) -> list[Column]:
    return [
        _col(_("Granted on"), "granted_on", "date", 12),
        _col(_("What"), "what", width=40),
        _col(_("Amount"), "amount", "money"),
    ]


def _frame_rows(context: Context) -> list[Row]:
    rows: list[Row] = [
        {
            "granted_on": frame.granted_on,
            "what": (frame.funding_round.name if frame.funding_round else "") or frame.note,
            "amount": frame.amount,
        }
        for frame in context["frames"]
    ]
    rows.append({"granted_on": None, "what": gettext("Total"), "amount": context["frame_total"]})
    return rows


# The kommune page


def _application_columns(context: Context) -> list[Column]:
    return [
        _col(_("Title"), "title", width=40),
        _col(_("Status"), "status", width=20),
        _col(_("Led by"), "lead", width=24),
    ]


def _application_rows(context: Context) -> list[Row]:
    return [
        {
            "title": application.title or gettext("(untitled draft)"),
            "status": application.get_status_display(),
            "lead": application.lead_municipality.name,
        }
        for application in context["applications"]
    ]


def _project_columns(context: Context) -> list[Column]:
    return [
        _col(_("Title"), "title", width=40),
        _col(_("Status"), "status", width=20),
        _col(_("Next report due"), "next_due", "date", 12),
    ]


def _project_rows(context: Context) -> list[Row]:
    return [
        {
            "title": project.title,
            "status": project.get_status_display(),
            # As the page: the next report's date for an active project only.
            "next_due": project.next_due if project.status == "active" else None,
        }
        for project in context["projects"]
    ]


def _due_columns(context: Context) -> list[Column]:
    return [
        _col(_("Due"), "due_on", "date", 12),
        _col(_("Project"), "project", width=40),
        _col(_("Report"), "report", width=16),
        _col(_("Overdue"), "overdue", width=10),
    ]


def _due_rows(context: Context) -> list[Row]:
    today = context["today"]
    return [
        {
            "due_on": deadline.due_on,
            "project": deadline.project.title,
            "report": gettext("final report") if deadline.final else gettext("progress report"),
            "overdue": _yes_no(deadline.due_on < today),
        }
        for deadline in context["reports_due"]
    ]


def _payment_columns(context: Context) -> list[Column]:
    return [
        _col(_("Asked for"), "requested_on", "date", 12),
        _col(_("Project"), "project", width=40),
        _col(_("Status"), "status", width=16),
        _col(_("Amount"), "amount", "money"),
    ]


def _payment_rows(context: Context) -> list[Row]:
    return [
        {
            "requested_on": timezone.localdate(payment.requested_at) if payment.requested_at else None,
            "project": payment.project.title,
            "status": payment.get_status_display(),
            "amount": payment.amount,
        }
        for payment in context["payments"]
    ]


TABLES: dict[str, dict[str, Table]] = {
    "national": {
        "counties": Table("counties", "fylke", _("County authorities and their frames"), _county_columns, _county_rows),
        "themes": THEMES,
        "statuses": STATUSES,
        "years": Table("years", "ar", _("Year by year"), _year_columns, _year_rows),
        "goals": Table("goal_rows", "resultatmal", _("Result goals"), _goal_columns, _goal_rows),
    },
    "county": {
        "kommunar": Table("municipality_rows", "kommunar", _("The county's kommunar"), _kommune_columns, _kommune_rows),
        "themes": THEMES,
        "statuses": STATUSES,
        "frames": Table("frames", "rammer", _("Frames"), _frame_columns, _frame_rows),
    },
    "municipality": {
        "applications": Table("applications", "soknader", _("Applications"), _application_columns, _application_rows),
        "projects": Table("projects", "prosjekt", _("Projects"), _project_columns, _project_rows),
        "reports_due": Table("reports_due", "rapportar", _("Reports due"), _due_columns, _due_rows),
        "payments": Table("payments", "utbetalingar", _("Payments"), _payment_columns, _payment_rows),
    },
}


def table_label(name: str) -> str | Promise:
    """A table's name for the links that download it (the same name on every dashboard that has it)."""
    for tables in TABLES.values():
        if name in tables:
            return tables[name].label
    return name


def _slug(dashboard: str, context: Context) -> str:
    if dashboard == "county":
        return f"fylke-{context['county'].number}"
    if dashboard == "municipality":
        return f"kommune-{context['municipality'].number}"
    return "nasjonalt"


def dashboard_export(request: HttpRequest, dashboard: str, make: Callable[[], Context]) -> HttpResponseBase | None:
    """The table `?table=` of the dashboard as `?format=` when the request asks for a file, else None (the page).

    `make()` gives the page's context (the dashboard selector's, with the page's filters); it is called only for
    a file, after the page's access check. An unknown table or format, or a table the page does not show (no
    programme yet), is 404."""
    if not any(name in request.GET for name in EXPORT_PARAMS):
        return None
    file_format = request.GET.get("format", "")
    table = TABLES[dashboard].get(request.GET.get("table", ""))
    if file_format not in FORMATS or table is None:
        raise Http404
    context = make()
    if context.get(table.key) is None:
        raise Http404
    columns = table.columns(context)
    export = Export(
        slug=f"{_slug(dashboard, context)}-{table.slug}",
        sheet=table.label,
        columns=lambda: columns,
    )
    return export_response(export, table.rows(context), file_format)


def filter_query(filters: dict[str, Any]) -> str:
    """The query string of a dashboard's filters (as its view has them: objects, numbers, None for none), for
    the table links in figures made without a request (the view's page cache): `filter_query` in the context."""
    return urlencode({name: getattr(value, "pk", value) for name, value in filters.items() if value is not None})


def export_query(data: QueryDict | str, table: str, file_format: str) -> str:
    """The page's query string (its filters) with the parameters that ask for the table as a file."""
    query = QueryDict(data, mutable=True) if isinstance(data, str) else data.copy()
    for name in EXPORT_PARAMS:
        query.pop(name, None)
    query["table"] = table
    query["format"] = file_format
    return query.urlencode()
