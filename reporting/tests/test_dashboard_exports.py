"""The dashboards' tables as CSV and XLSX: each table's file holds the figures, columns and totals row of the
dashboard's own context, with the page's filters, after the page's access check; a table or format that does
not exist is 404."""

from __future__ import annotations

import datetime
import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from applications.tests import lists_data as data
from conftest import county, kommune
from programmes.selectors import programme_current
from reporting import selectors
from reporting.tests.test_dashboards import (  # noqa: F401 (more is a fixture)
    county_url,
    kommune_url,
    more,
    national_url,
)

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx"]


def english(client, user):
    client.force_login(user)
    client.cookies["luk_language"] = "en"
    return client


def table_file(client, url, table, file_format, **params):
    response = client.get(url, {**params, "table": table, "format": file_format})
    assert response.status_code == 200, (table, file_format, response.status_code)
    return response


def read(response, file_format):
    return data.csv_rows(response) if file_format == "csv" else data.xlsx_rows(response)


def as_file(rows, file_format):
    """The expected rows as the file holds them: in CSV, text (numbers as plain digits, dates ISO, nothing
    empty); in XLSX, numbers, dates as date-times, nothing as None."""
    if file_format == "xlsx":
        return [
            [
                datetime.datetime.combine(value, datetime.time())
                if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)
                else value
                for value in row
            ]
            for row in rows
        ]
    return [
        ["" if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value) for value in row]
        for row in rows
    ]


@pytest.fixture
def cases(project, more):  # noqa: F811 (more is test_dashboards' fixture)
    """The project of Steinkjer, a project of Levanger with a report and a payment, one in Møre og Romsdal, and an
    application waiting in Nord-Trøndelag."""
    more()
    return project


# What the tables hold: the dashboard's own figures


def national_expected(context):
    free = not context["filtered"]
    money = ["Frames", "Granted", "Paid", *(["Free"] if free else [])]
    counties = [["Number", "County", "Kommunar", "Taking part", "Applications", "Projects", *money]]
    for c in context["counties"]:
        figures = [c.frame_total, c.granted, c.paid, *([c.free] if free else [])]
        counties.append(
            [c.number, c.name, c.municipality_count, c.taking_part, c.applications_count, c.projects_count, *figures]
        )
    t = context["totals"]
    counties.append(
        [
            None,
            "All counties",
            t["municipality_count"],
            t["taking_part"],
            t["applications_count"],
            t["projects_count"],
            t["frame_total"],
            t["granted"],
            t["paid"],
            *([t["free"]] if free else []),
        ]
    )
    years = [["Year", "Applications", "Projects", "Granted", "Paid"]]
    years += [[y["year"], y["applications"], y["projects"], y["granted"], y["paid"]] for y in context["years"]]
    y = context["year_totals"]
    years.append(["Total", y["applications"], y["projects"], y["granted"], y["paid"]])
    goals = [["Result goal", "Projects", "Indicators", "Reported", "Baseline", "Target", "Reached", "Progress (%)"]]
    figures = ("projects", "indicators", "reported", "baseline", "target", "reached", "progress")
    goals += [[f"{g['goal'].number}. {g['goal'].text}", *(g[name] for name in figures)] for g in context["goal_rows"]]
    return {"counties": counties, **shared_expected(context), "years": years, "goals": goals}


def shared_expected(context):
    themes = [["Theme", "Applications", "Projects", "Granted", "Paid"]]
    themes += [[t.name, t.applications_count, t.projects_count, t.granted, t.paid] for t in context["themes"]]
    statuses = [["Status", "Projects", "Granted", "Paid"]]
    statuses += [[s["label"], s["count"], s["granted"], s["paid"]] for s in context["project_status"]]
    return {"themes": themes, "statuses": statuses}


def county_expected(context):
    kommunar = [["Number", "Kommune", "Taking part", "Applications", "Projects", "Partner in", "Granted", "Paid"]]
    for m in context["municipality_rows"]:
        yes = "Yes" if m.taking_part else "No"
        kommunar.append(
            [m.number, m.name, yes, m.applications_count, m.projects_count, m.partner_count, m.granted, m.paid]
        )
    t = context["municipality_totals"]
    kommunar.append([None, "All kommunar", None, t["applications"], t["projects"], None, t["granted"], t["paid"]])
    frames = [["Granted on", "What", "Amount"]]
    frames += [[f.granted_on, f.funding_round.name if f.funding_round else f.note, f.amount] for f in context["frames"]]
    frames.append([None, "Total", context["frame_total"]])
    return {"kommunar": kommunar, **shared_expected(context), "frames": frames}


def kommune_expected(context):
    applications = [["Title", "Status", "Led by"]]
    applications += [[a.title, a.get_status_display(), a.lead_municipality.name] for a in context["applications"]]
    projects = [["Title", "Status", "Next report due"]]
    projects += [
        [p.title, p.get_status_display(), p.next_due if p.status == "active" else None] for p in context["projects"]
    ]
    due = [["Due", "Project", "Report", "Overdue"]]
    due += [
        [
            d.due_on,
            d.project.title,
            "final report" if d.final else "progress report",
            "Yes" if d.due_on < context["today"] else "No",
        ]
        for d in context["reports_due"]
    ]
    payments = [["Asked for", "Project", "Status", "Amount"]]
    payments += [
        [timezone.localdate(p.requested_at), p.project.title, p.get_status_display(), p.amount]
        for p in context["payments"]
    ]
    return {"applications": applications, "projects": projects, "reports_due": due, "payments": payments}


@pytest.mark.parametrize("file_format", FORMATS)
def test_every_national_table_holds_the_dashboards_figures_and_totals(client, cases, ministry, file_format):
    english(client, ministry)
    with translation.override("en"):
        expected = national_expected(selectors.national_dashboard(programme=programme_current()))
    assert len(expected["counties"]) == 18 + 2 and expected["counties"][-1][6] == 18_000_000
    for table, rows in expected.items():
        assert read(table_file(client, national_url(), table, file_format), file_format) == as_file(
            rows, file_format
        ), table


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_national_filters_apply_to_the_files(client, cases, ministry, file_format):
    english(client, ministry)
    year, empty = cases.period_start.year, programme_current().start_year  # no project starts in the first year
    assert year != empty
    for params in ({"year": year}, {"year": empty}, {"structure": "2024"}):
        with translation.override("en"):
            filters = {"year": params.get("year"), "structure": params.get("structure", "2010")}
            context = selectors.national_dashboard(programme=programme_current(), **filters)
            expected = national_expected(context)
        rows = read(table_file(client, national_url(), "counties", file_format, **params), file_format)
        assert rows == as_file(expected["counties"], file_format), params
        if "year" in params:
            assert "Free" not in rows[0]  # a filtered page shows no free column, nor does its file
    later = read(table_file(client, national_url(), "counties", file_format, year=empty), file_format)
    assert later[-1][5] in (0, "0")  # no project starts that year


@pytest.mark.parametrize("file_format", FORMATS)
def test_every_county_table_holds_the_dashboards_figures(client, cases, officer, file_format):
    english(client, officer)
    with translation.override("en"):
        expected = county_expected(selectors.county_dashboard(county=county("17"), programme=programme_current()))
    steinkjer = next(row for row in expected["kommunar"] if row[0] == "1702")
    assert steinkjer[4] == 1 and steinkjer[6] == 250_000
    for table, rows in expected.items():
        assert read(table_file(client, county_url(), table, file_format), file_format) == as_file(rows, file_format), (
            table
        )
    year = programme_current().start_year
    assert year != cases.period_start.year
    with translation.override("en"):
        later = county_expected(
            selectors.county_dashboard(county=county("17"), programme=programme_current(), year=year)
        )
    rows = read(table_file(client, county_url(), "kommunar", file_format, year=year), file_format)
    assert rows == as_file(later["kommunar"], file_format) and rows[-1][4] in (0, "0")


@pytest.mark.parametrize("file_format", FORMATS)
def test_every_kommune_table_holds_the_pages_rows(client, cases, coordinator_b, file_format):
    english(client, coordinator_b)
    with translation.override("en"):
        context = selectors.municipality_dashboard(
            municipality=kommune("1719"), programme=programme_current(), user=coordinator_b
        )
        expected = kommune_expected(context)
    assert context["payments"] and context["projects"] and context["applications"]
    for table, rows in expected.items():
        got = read(table_file(client, kommune_url("1719"), table, file_format), file_format)
        assert got == as_file(rows, file_format), table


def test_the_file_has_the_lists_formats_and_a_name_of_its_own(client, cases, officer):
    english(client, officer)
    response = table_file(client, county_url(), "kommunar", "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="LUK-fylke-17-kommunar-\d{4}-\d{2}-\d{2}\.csv"', response["Content-Disposition"]
    )
    response = table_file(client, county_url(), "kommunar", "xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = data.xlsx_sheet(response)
    granted = [cell.value for cell in next(sheet.iter_rows(min_row=1, max_row=1))].index("Granted")
    cell = next(sheet.iter_rows(min_row=2, max_row=2))[granted]
    assert isinstance(cell.value, int) and cell.number_format == "#,##0"


# Who may have them: whoever may see the page, as the page answers


def test_the_files_answer_as_their_pages_do(
    client, cases, ministry, officer, officer_other_county, coordinator_a, coordinator_b
):
    for user, url, table, status in (
        (officer_other_county, county_url(), "kommunar", 404),
        (coordinator_a, county_url(), "themes", 404),
        (coordinator_a, national_url(), "counties", 403),
        (officer, national_url(), "years", 403),
        (coordinator_b, kommune_url("1702"), "payments", 404),
        (officer_other_county, kommune_url("1702"), "applications", 404),
        (ministry, county_url(), "kommunar", 200),
        (officer, kommune_url("1702"), "projects", 200),
    ):
        client.force_login(user)
        assert client.get(url, {"table": table, "format": "csv"}).status_code == status, (user, url, table)


def test_anonymous_is_sent_to_login_from_a_table_file(client, db):
    response = client.get(national_url(), {"table": "counties", "format": "csv"})
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "params",
    [
        {"table": "nope", "format": "csv"},
        {"table": "counties", "format": "pdf"},
        {"table": "counties"},
        {"format": "xlsx"},
        {"table": "kommunar", "format": "csv"},  # a county table, not the national page's
    ],
)
def test_an_unknown_table_or_format_is_404(client, cases, ministry, params):
    client.force_login(ministry)
    assert client.get(national_url(), params).status_code == 404


# The links under a table


def test_the_links_keep_the_pages_filters_and_name_the_table(db):
    request = RequestFactory().get("/departement/", {"year": "2011", "theme": "3", "format": "x", "side": "2"})
    with translation.override("en"):
        html = Template('{% include "reporting/partials/table_export.html" with table="counties" %}').render(
            Context({"request": request})
        )
    links = re.findall(r'href="\?([^"]*)"', html)
    assert len(links) == 2
    for link, file_format in zip(links, FORMATS, strict=True):
        query = link.replace("&amp;", "&").split("&")
        assert {"year=2011", "theme=3", "side=2", "table=counties", f"format={file_format}"} == set(query)
    assert html.count("County authorities and their frames") == 2  # the table's name, for screen readers
    assert 'class="visually-hidden"' in html


def test_figures_made_without_a_request_link_with_the_views_filters(client, cases, ministry):
    """The dashboards' figures may be rendered once and kept (no request): the links then carry the filters."""
    from reporting.exports import filter_query

    programme, year = programme_current(), cases.period_start.year
    query = filter_query({"programme": programme, "year": year, "theme": None, "structure": "2024"})
    with translation.override("en"):
        html = Template('{% include "reporting/partials/table_export.html" with table="years" %}').render(
            Context({"filter_query": query})
        )
    link = re.findall(r'href="\?([^"]*)"', html)[0].replace("&amp;", "&")
    assert set(link.split("&")) == {
        f"programme={programme.pk}",
        f"year={year}",
        "structure=2024",
        "table=years",
        "format=csv",
    }
    english(client, ministry)
    response = client.get(f"{national_url()}?{link}")
    assert response.status_code == 200 and read(response, "csv")[0][0] == "Year"
