"""The case lists as files: CSV and XLSX of the same rows the list shows (filtered, sorted, access-checked),
every page of them.

Formats, chosen for Norwegian Excel:
- CSV: UTF-8 with a byte-order mark (without it Excel reads æøå as two characters each), `;` between fields
  (Norwegian Excel takes `,` as the decimal comma and splits on `;`), amounts as plain whole kroner (no
  thousands separator, so they stay numbers), dates as ISO 8601 (2026-11-25), which Excel reads as dates in
  any locale. Streamed row by row.
- XLSX: a write-only workbook (rows go to a temporary file, not to memory); bold, frozen header row; amounts
  as integer cells formatted `#,##0` (the code Norwegian Excel shows as `# ##0`: the comma stands for the
  locale's thousands separator, a space in Norwegian; a literal `# ##0` in the file would misplace the
  space above a million); dates as date cells shown `dd.mm.yyyy`.
Column headers and status names are in the language of the person exporting. Text a user typed that starts
with `=`, `+`, `-` or `@` is written so that a spreadsheet never runs it as a formula.
Rows are read with `values()` and `.iterator(chunk_size=2000)`: one query, bounded memory, whatever the size.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Literal

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .models import Application, Payment, ProgressReport, Project

FORMATS = ("csv", "xlsx")
CSV_DELIMITER = ";"
CHUNK_SIZE = 2000
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0"
DATE_FORMAT = "dd.mm.yyyy"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Kind = Literal["text", "money", "date"]
Row = dict[str, Any]
# What a file is made from: a list's QuerySet (read with `values()`), or rows already made (a dashboard's table).
Rows = QuerySet | Iterable[Row]


@dataclass(frozen=True)
class Column:
    label: str | Promise
    value: Callable[[Row], Any]
    kind: Kind = "text"
    width: int = 20


@dataclass(frozen=True)
class Export:
    """One list's file: its name (`LUK-<slug>-<date>.<ext>`), the fields read, and its columns, which
    `columns()` makes in the active language."""

    slug: str
    sheet: str | Promise
    fields: tuple[str, ...]
    columns: Callable[[], list[Column]]


# What a column shows of a row


def _text(name: str) -> Callable[[Row], Any]:
    return lambda row: row[name]


def _choice(name: str, choices: list[tuple[str, Any]]) -> Callable[[Row], Any]:
    labels = {value: str(label) for value, label in choices}  # in the active language, now
    return lambda row: labels.get(row[name], row[name])


def _local_date(name: str) -> Callable[[Row], datetime.date | None]:
    """The day (in Norway) of a moment."""
    return lambda row: timezone.localdate(row[name]) if row[name] else None


def _person(prefix: str) -> Callable[[Row], str]:
    return lambda row: " ".join(filter(None, [row[f"{prefix}__first_name"], row[f"{prefix}__last_name"]]))


def _kind_of_report() -> Callable[[Row], str]:
    final, progress = str(_("Final report")), str(_("Progress report"))
    return lambda row: final if row["final"] else progress


# The four lists


def _application_columns() -> list[Column]:
    return [
        Column(_("Case number"), _text("case_number"), width=14),
        Column(_("Title"), _text("title"), width=40),
        Column(_("Kommune"), _text("lead_municipality__name")),
        Column(_("Kommune number"), _text("lead_municipality__number"), width=10),
        Column(_("County"), _text("funding_round__county__name")),
        Column(_("Round"), _text("funding_round__name"), width=30),
        Column(_("Status"), _choice("status", Application.Status.choices)),
        Column(_("Applied for (kr)"), _text("requested_amount"), "money", 14),
        Column(_("Granted (kr)"), _text("decision__amount"), "money", 14),
        Column(_("Submitted"), _local_date("submitted_at"), "date", 12),
        Column(_("Case officer"), _person("officer")),
    ]


APPLICATIONS = Export(
    slug="soknader",
    sheet=_("Applications"),
    fields=(
        "pk",
        "case_number",
        "title",
        "lead_municipality__name",
        "lead_municipality__number",
        "funding_round__county__name",
        "funding_round__name",
        "status",
        "requested_amount",
        "decision__amount",
        "submitted_at",
        "officer__first_name",
        "officer__last_name",
    ),
    columns=_application_columns,
)


def _project_columns() -> list[Column]:
    return [
        Column(_("Title"), _text("title"), width=40),
        Column(_("Case number"), _text("application__case_number"), width=14),
        Column(_("Kommune"), _text("lead_municipality__name")),
        Column(_("Kommune number"), _text("lead_municipality__number"), width=10),
        Column(_("County"), _text("county__name")),
        Column(_("Status"), _choice("status", Project.Status.choices)),
        Column(_("Granted (kr)"), _text("granted_amount"), "money", 14),
        Column(_("Paid (kr)"), _text("paid_amount"), "money", 14),
        Column(_("Released (kr)"), _text("released_amount"), "money", 14),
        Column(_("Project start"), _text("period_start"), "date", 12),
        Column(_("Project end"), _text("period_end"), "date", 12),
        Column(_("Final report due"), _text("final_report_due"), "date", 12),
    ]


PROJECTS = Export(
    slug="prosjekt",
    sheet=_("Projects"),
    fields=(
        "pk",
        "title",
        "application__case_number",
        "lead_municipality__name",
        "lead_municipality__number",
        "county__name",
        "status",
        "granted_amount",
        "paid_amount",
        "released_amount",
        "period_start",
        "period_end",
        "final_report_due",
    ),
    columns=_project_columns,
)


def _payment_columns() -> list[Column]:
    return [
        Column(_("County"), _text("project__county__name")),
        Column(_("Kommune"), _text("project__lead_municipality__name")),
        Column(_("Project"), _text("project__title"), width=40),
        Column(_("Amount (kr)"), _text("amount"), "money", 14),
        Column(_("Status"), _choice("status", Payment.Status.choices)),
        Column(_("Requested"), _local_date("requested_at"), "date", 12),
        Column(_("Decided"), _local_date("decided_at"), "date", 12),
        Column(_("Decided by"), _person("decided_by")),
    ]


PAYMENTS = Export(
    slug="utbetalingar",
    sheet=_("Payments"),
    fields=(
        "pk",
        "project__county__name",
        "project__lead_municipality__name",
        "project__title",
        "amount",
        "status",
        "requested_at",
        "decided_at",
        "decided_by__first_name",
        "decided_by__last_name",
    ),
    columns=_payment_columns,
)


def _report_columns() -> list[Column]:
    return [
        Column(_("Project"), _text("project__title"), width=40),
        Column(_("Kommune"), _text("project__lead_municipality__name")),
        Column(_("County"), _text("project__county__name")),
        Column(_("Kind"), _kind_of_report(), width=16),
        Column(_("Period from"), _text("period_from"), "date", 12),
        Column(_("Period to"), _text("period_to"), "date", 12),
        Column(_("Due"), _text("deadline__due_on"), "date", 12),
        Column(_("Status"), _choice("status", ProgressReport.Status.choices)),
        Column(_("Submitted"), _local_date("submitted_at"), "date", 12),
    ]


REPORTS = Export(
    slug="rapportar",
    sheet=_("Reports"),
    fields=(
        "pk",
        "project__title",
        "project__lead_municipality__name",
        "project__county__name",
        "final",
        "period_from",
        "period_to",
        "deadline__due_on",
        "status",
        "submitted_at",
    ),
    columns=_report_columns,
)


# Responses


def requested_format(request: HttpRequest) -> str | None:
    """`csv` or `xlsx` when the list is asked for as a file (`?format=`), else None (the page)."""
    value = request.GET.get("format", "")
    return value if value in FORMATS else None


def file_name(export: Export, extension: str, *, day: datetime.date | None = None) -> str:
    """`LUK-<slug>-<day, today by default>.<extension>`."""
    return f"LUK-{export.slug}-{(day or timezone.localdate()).isoformat()}.{extension}"


def rows_of(export: Export, rows: Rows) -> Iterator[Row]:
    if isinstance(rows, QuerySet):
        return rows.values(*export.fields).iterator(chunk_size=CHUNK_SIZE)
    return iter(rows)


def _clean(value: str) -> str:
    """Without the control characters an XLSX file cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        # A leading apostrophe keeps a spreadsheet from taking typed text for a formula (OWASP's advice).
        return f"'{value}" if value.startswith(FORMULA_STARTS) else value
    return str(value)


class _Echo:
    """A file-like object that hands back what is written, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(export: Export, rows: Rows) -> Iterator[str]:
    """The file line by line: the header (after a byte-order mark), then a line per row."""
    columns = export.columns()  # now, in the active language, not when the stream is read
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)
    header = "\ufeff" + writer.writerow([str(column.label) for column in columns])

    def lines() -> Iterator[str]:
        yield header
        for row in rows_of(export, rows):
            yield writer.writerow([_csv_value(column.value(row)) for column in columns])

    return lines()


def csv_response(export: Export, rows: Rows) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(export, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name(export, "csv")}"'
    return response


def xlsx_write(export: Export, rows: Rows, output: IO[bytes]) -> None:
    """The workbook, written to `output` (a binary file)."""
    columns = export.columns()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(export.sheet)[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows_of(export, rows):
        sheet.append([_xlsx_cell(sheet, column, column.value(row)) for column in columns])
    workbook.save(output)


def xlsx_response(export: Export, rows: Rows) -> FileResponse:
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when the response is sent
    xlsx_write(export, rows, output)
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename=file_name(export, "xlsx"), content_type=XLSX_TYPE)


def _xlsx_cell(sheet: Any, column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "money":
        cell = WriteOnlyCell(sheet, value=int(value))
        cell.number_format = MONEY_FORMAT
        return cell
    if column.kind == "date":
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=_clean(value))
        cell.data_type = "s"  # text, even where it starts like a formula
        return cell
    return value


def export_response(export: Export, rows: Rows, file_format: str) -> HttpResponseBase:
    """The list's rows as a file: every page, in the list's order."""
    return csv_response(export, rows) if file_format == "csv" else xlsx_response(export, rows)


# The lists by name: how each is read for a person (the same filters and access rules on the page, in its file
# and in an export job), and its file. A list longer than settings.EXPORT_SYNC_LIMIT is made in the background
# (reporting's export jobs), not streamed in the request.


@dataclass(frozen=True)
class ExportList:
    name: str
    url_name: str
    export: Export
    filterset: Callable[..., Any]
    queryset: Callable[..., QuerySet]


def _lists() -> dict[str, ExportList]:
    from . import selectors
    from .filters import ApplicationFilter, PaymentFilter, ProjectFilter, ReportFilter

    return {
        "applications": ExportList(
            "applications", "applications:list", APPLICATIONS, ApplicationFilter, selectors.application_list
        ),
        "projects": ExportList(
            "projects", "applications:project_list", PROJECTS, ProjectFilter, selectors.project_list
        ),
        "payments": ExportList(
            "payments", "applications:payment_register", PAYMENTS, PaymentFilter, selectors.payment_register
        ),
        "reports": ExportList("reports", "applications:report_list", REPORTS, ReportFilter, selectors.report_list),
    }


def export_list(name: str) -> ExportList:
    """The list called `name`; KeyError for any other name."""
    return _lists()[name]


def list_filterset(name: str, *, user: Any, data: Any) -> Any:
    """The list's filterset for this person: what the page shows, and what its files hold."""
    found = export_list(name)
    return found.filterset(data, queryset=found.queryset(user=user), user=user)


def list_export(request: HttpRequest, name: str, filterset: Any) -> HttpResponseBase | None:
    """The list as a file when `?format=` asks for one, else None (the page). A list longer than
    EXPORT_SYNC_LIMIT rows is not streamed: back to the page, whose buttons have the file made in the background."""
    file_format = requested_format(request)
    if file_format is None:
        return None
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
    return export_response(export_list(name).export, filterset.qs, file_format)


def export_offer(name: str, filterset: Any, page: Any) -> dict[str, Any]:
    """What the list page's export buttons need: links for a list of up to EXPORT_SYNC_LIMIT rows, else a form
    that has the file made in the background (the paginator has counted the rows already)."""
    count = page.paginator.count
    return {
        "list": name,
        "query": filterset.export_query,
        "count": count,
        "background": count > settings.EXPORT_SYNC_LIMIT,
    }
