"""The case lists as CSV and XLSX: the same rows as the list (filtered, sorted, access-checked, every page),
files that Norwegian Excel opens as they are, headers in the person's language, and a number of queries
that does not grow with the rows."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from applications import services
from applications.models import Payment
from applications.tests import lists_data as data
from applications.tests.factories import english

pytestmark = pytest.mark.django_db

# The fixtures the list and export tests share.
nt_round, mr_round, nt_projects, mr_project = data.nt_round, data.mr_round, data.nt_projects, data.mr_project

LISTS = ["list", "project_list", "payment_register", "report_list"]
# The session, the person, their memberships, saving the session (3: it is saved on every request), the count
# (above EXPORT_SYNC_LIMIT the file is made in the background), the rows.
EXPORT_QUERIES = 8


def export(client, name, file_format, **params):
    response = client.get(reverse(f"applications:{name}"), {**params, "format": file_format})
    assert response.status_code == 200
    return response


def page_titles(client, name, **params) -> list[str]:
    """The titles of every page of the list, page after page, as a person paging through it sees them."""
    seen: list[str] = []
    number = 1
    while True:
        response = client.get(reverse(f"applications:{name}"), {**params, "side": number})
        page = response.context["page"]
        seen += [getattr(row, "title", None) or row.project.title for row in page]
        if not page.has_next():
            return seen
        number += 1


@pytest.fixture
def many(coordinator_a, coordinator_other_county, nt_round, mr_round):
    """30 applications from Steinkjer (two pages) and 2 from Ålesund, in another county."""
    steinkjer = data.applications(30, by=coordinator_a, municipality=data.steinkjer(), funding_round=nt_round)
    data.applications(
        2, by=coordinator_other_county, municipality=data.alesund(), funding_round=mr_round, prefix="Ålesund"
    )
    return steinkjer


# The same rows as the page: every page, in the page's order, and nothing the person may not see.


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "params",
    [{}, {"sorter": "-amount"}, {"sorter": "title", "q": "søknad"}, {"status": "submitted", "sorter": "kommune"}],
)
def test_the_export_holds_exactly_the_rows_of_every_page_in_order(client, many, officer, file_format, params):
    english(client, officer)
    shown = page_titles(client, "list", **params)
    assert len(shown) == 30
    response = export(client, "list", file_format, **params)
    rows = data.csv_rows(response) if file_format == "csv" else data.xlsx_rows(response)
    assert data.column(rows, "Title") == shown


@pytest.mark.parametrize(
    ("role", "count", "kommunar"),
    [
        ("officer", 30, {"Steinkjer"}),
        ("officer_other_county", 2, {"Ålesund"}),
        ("coordinator_a", 30, {"Steinkjer"}),
        ("coordinator_b", 0, set()),
        ("coordinator_other_county", 2, {"Ålesund"}),
        ("ministry", 32, {"Steinkjer", "Ålesund"}),
        ("nobody", 0, set()),
    ],
)
def test_a_person_exports_only_their_own_rows(request, client, many, role, count, kommunar):
    english(client, request.getfixturevalue(role))
    for file_format in ("csv", "xlsx"):
        response = export(client, "list", file_format)
        rows = data.csv_rows(response) if file_format == "csv" else data.xlsx_rows(response)
        assert len(rows) - 1 == count, file_format
        assert set(data.column(rows, "Kommune")) == kommunar, file_format


def test_a_county_parameter_does_not_widen_a_county_officers_export(client, many, officer, mr_round):
    english(client, officer)
    rows = data.csv_rows(export(client, "list", "csv", county=mr_round.county_id))
    assert "Ålesund" not in data.column(rows, "Kommune") and len(rows) == 31


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("officer", {"Prosjekt 01", "Prosjekt 02", "Prosjekt 03"}),
        ("officer_other_county", {"Ålesund 01"}),
        ("coordinator_b", set()),
        ("ministry", {"Prosjekt 01", "Prosjekt 02", "Prosjekt 03", "Ålesund 01"}),
    ],
)
def test_the_project_report_and_payment_exports_hold_only_the_persons_rows(
    request, client, nt_projects, mr_project, coordinator_a, coordinator_other_county, role, expected
):
    data.draft_reports(nt_projects, coordinator=coordinator_a)
    data.payments(nt_projects[0], 1, coordinator=coordinator_a)
    data.payments(mr_project, 1, coordinator=coordinator_other_county)
    english(client, request.getfixturevalue(role))
    for name, header in (("project_list", "Title"), ("report_list", "Project"), ("payment_register", "Project")):
        for file_format in ("csv", "xlsx"):
            response = export(client, name, file_format)
            rows = data.csv_rows(response) if file_format == "csv" else data.xlsx_rows(response)
            assert set(data.column(rows, header)) <= expected, (name, file_format)
            assert sorted(data.column(rows, header)) == sorted(page_titles(client, name)), (name, file_format)


# The files


def project_file(client, officer, file_format: str, content_type: str, **query: str):
    """The project list's file for the officer, in English: of its type, named LUK-prosjekt-<today>.<format>."""
    english(client, officer)
    response = export(client, "project_list", file_format, **query)
    assert response["Content-Type"] == content_type
    name = rf'attachment; filename="LUK-prosjekt-\d{{4}}-\d{{2}}-\d{{2}}\.{file_format}"'
    assert re.fullmatch(name, response["Content-Disposition"])
    return response


def test_the_csv_opens_with_the_csv_module_with_the_pages_figures(client, nt_projects, officer):
    response = project_file(client, officer, "csv", "text/csv; charset=utf-8", sorter="granted")
    rows = data.csv_rows(response)
    assert rows[0][:3] == ["Title", "Case number", "Kommune"]
    assert data.column(rows, "Title") == ["Prosjekt 01", "Prosjekt 02", "Prosjekt 03"]
    assert data.column(rows, "Granted (kr)") == ["11000", "12000", "13000"]  # whole kroner, as numbers
    assert data.column(rows, "Paid (kr)") == ["0", "0", "0"]
    assert data.column(rows, "Status") == ["Active"] * 3
    page = client.get(reverse("applications:project_list"), {"sorter": "granted"})
    assert [p.granted_amount for p in page.context["page"]] == [11_000, 12_000, 13_000]
    start = nt_projects[0].period_start
    assert data.column(rows, "Project start")[0] == start.isoformat()


def test_the_xlsx_opens_with_openpyxl_with_numbers_dates_a_bold_frozen_header(client, nt_projects, officer):
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = project_file(client, officer, "xlsx", xlsx, sorter="-granted")
    sheet = data.xlsx_sheet(response)
    assert sheet.freeze_panes == "A2"
    header = next(sheet.iter_rows(min_row=1, max_row=1))
    assert all(cell.font.bold for cell in header)
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert data.column(rows, "Granted (kr)") == [13_000, 12_000, 11_000]
    granted = rows[0].index("Granted (kr)")
    first = next(sheet.iter_rows(min_row=2, max_row=2))
    assert isinstance(first[granted].value, int) and first[granted].number_format == "#,##0"
    start = first[rows[0].index("Project start")]
    assert start.is_date and start.value.date() == nt_projects[2].period_start
    assert start.number_format == "dd.mm.yyyy"


def test_the_application_export_has_amounts_dates_and_the_case_officer(client, many, officer, coordinator_a):
    data.factories.take(many[0], coordinator=coordinator_a, officer=officer)
    english(client, officer)
    rows = data.xlsx_rows(export(client, "list", "xlsx", sorter="amount"))
    assert data.column(rows, "Applied for (kr)")[:3] == [101_000, 102_000, 103_000]
    assert data.column(rows, "Case officer")[0] == officer.get_full_name()
    assert data.column(rows, "Submitted")[0].date() == timezone.localdate(many[0].submitted_at)
    assert data.column(rows, "Case number")[0] == many[0].case_number
    assert data.column(rows, "County")[0] == "Nord-Trøndelag"
    csv_rows = data.csv_rows(export(client, "list", "csv", sorter="amount"))
    assert data.column(csv_rows, "Applied for (kr)")[:3] == ["101000", "102000", "103000"]
    assert data.column(csv_rows, "Submitted")[0] == timezone.localdate(many[0].submitted_at).isoformat()


def test_the_payment_and_report_exports_have_their_figures(client, nt_projects, coordinator_a, officer):
    first, second = data.payments(nt_projects[0], 2, coordinator=coordinator_a)
    services.payment_decide(payment=first, by=officer, approve=True)
    english(client, officer)
    rows = data.xlsx_rows(export(client, "payment_register", "xlsx", sorter="amount"))
    assert data.column(rows, "Amount (kr)") == [110, 120]
    assert data.column(rows, "Status") == ["Approved", "Requested"]
    assert data.column(rows, "Decided by") == [officer.get_full_name(), None]
    assert data.column(rows, "Decided")[0].date() == timezone.localdate()
    rows = data.csv_rows(export(client, "report_list", "csv"))
    assert data.column(rows, "Kind") == ["Progress report"]
    assert data.column(rows, "Status") == ["Submitted"]
    report = second.report
    assert data.column(rows, "Due") == [report.deadline.due_on.isoformat()]
    assert data.column(rows, "Period from") == [report.period_from.isoformat()]


def test_the_headers_are_in_the_persons_language(client, nt_projects, officer):
    client.force_login(officer)  # nynorsk, the default
    header = data.csv_rows(export(client, "project_list", "csv"))[0]
    with translation.override("nn"):
        assert header[:3] == [gettext("Title"), gettext("Case number"), gettext("Kommune")]
        assert data.csv_rows(export(client, "project_list", "csv"))[1][5] == gettext("Active")
    english(client, officer)
    assert data.csv_rows(export(client, "project_list", "csv"))[0][0] == "Title"


def test_typed_text_is_never_a_formula(client, coordinator_a, nt_round):
    data.applications(1, by=coordinator_a, municipality=data.steinkjer(), funding_round=nt_round, prefix="=1+2")
    english(client, coordinator_a)
    assert data.column(data.csv_rows(export(client, "list", "csv")), "Title") == ["'=1+2 01"]
    sheet = data.xlsx_sheet(export(client, "list", "xlsx"))
    title = next(sheet.iter_rows(min_row=2, max_row=2))[1]
    assert title.value == "=1+2 01" and title.data_type == "s"


@pytest.mark.parametrize("name", LISTS)
def test_an_empty_export_has_its_header(client, nobody, name):
    english(client, nobody)
    assert len(data.csv_rows(export(client, name, "csv"))) == 1
    assert len(data.xlsx_rows(export(client, name, "xlsx"))) == 1


@pytest.mark.parametrize("name", LISTS)
def test_anonymous_is_sent_to_login_from_an_export(client, db, name):
    response = client.get(reverse(f"applications:{name}"), {"format": "csv"})
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("params", [{"sorter": "nonsense"}, {"status": "nope", "year": "x"}, {"q": "'&|:*"}])
def test_bad_input_gives_a_file_not_an_error(client, many, officer, params):
    english(client, officer)
    assert len(data.csv_rows(export(client, "list", "csv", **params))) == 31
    assert len(data.xlsx_rows(export(client, "list", "xlsx", **params))) == 31


def test_the_list_page_links_to_its_exports_with_its_filters_and_sort(client, many, officer):
    english(client, officer)
    page = client.get(reverse("applications:list"), {"status": "submitted", "sorter": "-amount", "side": 2})
    html = page.content.decode()
    for file_format in ("csv", "xlsx"):
        link = re.search(rf'href="\?([^"]*format={file_format})"', html).group(1)
        assert "status=submitted" in link and "sorter=-amount" in link and "side=" not in link


# Queries: one read of the rows, whatever their number.


def export_queries(client, django_assert_max_num_queries, name, file_format, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = export(client, name, file_format)
        content = b"".join(response.streaming_content)  # the rows are read while the file is written
    assert content
    return len(captured.captured_queries)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_application_export_costs_the_same_queries_for_3_and_30_rows(
    client, coordinator_a, ministry, nt_round, django_assert_max_num_queries, file_format
):
    english(client, ministry)
    data.applications(3, by=coordinator_a, municipality=data.steinkjer(), funding_round=nt_round)
    few = export_queries(client, django_assert_max_num_queries, "list", file_format, EXPORT_QUERIES)
    data.applications(27, by=coordinator_a, municipality=data.steinkjer(), funding_round=nt_round, start=4)
    assert export_queries(client, django_assert_max_num_queries, "list", file_format, EXPORT_QUERIES) == few


def test_the_project_report_and_payment_exports_cost_the_same_queries_for_3_and_30_rows(
    client, coordinator_a, officer, decider, nt_round, django_assert_max_num_queries
):
    english(client, officer)

    def make(count: int, start: int) -> None:
        made = data.projects(
            count,
            coordinator=coordinator_a,
            officer=officer,
            decider=decider,
            municipality=data.steinkjer(),
            funding_round=nt_round,
            start=start,
        )
        data.draft_reports(made, coordinator=coordinator_a)
        data.payments(made[0], count, coordinator=coordinator_a, start=start)

    def counts() -> dict[tuple[str, str], int]:
        return {
            (name, file_format): export_queries(
                client, django_assert_max_num_queries, name, file_format, EXPORT_QUERIES
            )
            for name in ("project_list", "report_list", "payment_register")
            for file_format in ("csv", "xlsx")
        }

    make(3, 1)
    few = counts()
    make(27, 4)
    assert Payment.objects.count() == 30
    assert counts() == few


def test_a_date_is_the_norwegian_day_not_the_utc_one(client, coordinator_a, nt_round):
    """Submitted at 23:30 UTC on 31 December is 1 January in Norway."""
    application = data.applications(1, by=coordinator_a, municipality=data.steinkjer(), funding_round=nt_round)[0]
    moment = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    type(application).objects.filter(pk=application.pk).update(submitted_at=moment)
    english(client, coordinator_a)
    rows = data.csv_rows(export(client, "list", "csv"))
    assert data.column(rows, "Submitted") == ["2027-01-01"]
