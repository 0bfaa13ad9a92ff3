"""Every CSV and XLSX file the portal gives: the case lists' (lists.py) and the dashboards' tables (tables.py),
all written by files.py. The views that serve them are in reporting.export_views (the lists) and
reporting.views (the dashboards); export jobs (reporting.services) make the long lists' files in the background.
"""

from .files import CSV_TYPE, FORMATS, XLSX_TYPE, Column, Export, csv_lines, file_name, rows_of, xlsx_write
from .lists import ExportList, export_list, list_export, list_filterset
from .tables import TABLES, dashboard_export, export_query, filter_query, table_label

__all__ = [
    "CSV_TYPE",
    "FORMATS",
    "TABLES",
    "XLSX_TYPE",
    "Column",
    "Export",
    "ExportList",
    "csv_lines",
    "dashboard_export",
    "export_list",
    "export_query",
    "file_name",
    "filter_query",
    "list_export",
    "list_filterset",
    "rows_of",
    "table_label",
    "xlsx_write",
]
