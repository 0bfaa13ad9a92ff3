"""Every file of the portal's lists and tables (lists.py, tables.py): CSV and XLSX, written here.

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

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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
    fields: tuple[str, ...] = ()  # what it reads of a list's rows (`values()`); none for rows already made


@dataclass(frozen=True)
class Export:
    """One file: its name (`LUK-<slug>-<date>.<ext>`), its sheet, and its columns, which `columns()` makes in the
    active language."""

    slug: str
    sheet: str | Promise
    columns: Callable[[], list[Column]]

    @property
    def fields(self) -> tuple[str, ...]:
        """What a list's rows are read with: the fields its columns read."""
        return ("pk", *dict.fromkeys(name for column in self.columns() for name in column.fields))


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
