"""Rows for the list and export tests: many applications, projects, reports and payments, made through the
services (as factories.py does), in two counties, with titles that number them so a test can follow order.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from applications import services
from applications.models import Application, Payment, ProgressReport, Project
from applications.tests import factories
from conftest import county, kommune
from programmes.models import FundingRound, Municipality
from programmes.tests.factories import MunicipalRoundFactory

STEINKJER, LEVANGER, ALESUND = "1702", "1719", "1504"


def round_for(number: str) -> FundingRound:
    """An open round of the county (SSB number `number`)."""
    return MunicipalRoundFactory(county=county(number))


def applications(
    count: int,
    *,
    by: Any,
    municipality: Municipality,
    funding_round: FundingRound,
    prefix: str = "Søknad",
    start: int = 1,
    submit: bool = True,
    summary: str = "Ein stad folk vil bu i.",
) -> list[Application]:
    """`count` complete applications titled `<prefix> 01`, `<prefix> 02`, ..., each applying for a different
    amount (100 000 + 1 000 per number), submitted unless `submit` is False."""
    made = []
    for number in range(start, start + count):
        application = factories.make_draft(
            by=by,
            municipality=municipality,
            funding_round=funding_round,
            budget=200_000 + number * 1_000,
            title=f"{prefix} {number:02d}",
            summary=summary,
        )
        if submit:
            application = factories.submit(application, by=by)
        made.append(application)
    return made


def projects(
    count: int,
    *,
    coordinator: Any,
    officer: Any,
    decider: Any,
    municipality: Municipality,
    funding_round: FundingRound,
    prefix: str = "Prosjekt",
    start: int = 1,
) -> list[Project]:
    """`count` approved applications, each granted 10 000 + 1 000 per number, and so `count` projects."""
    made = []
    for application in applications(
        count, by=coordinator, municipality=municipality, funding_round=funding_round, prefix=prefix, start=start
    ):
        number = int(application.title.rsplit(" ", 1)[1])
        factories.approve(
            application, coordinator=coordinator, officer=officer, decider=decider, amount=10_000 + number * 1_000
        )
        made.append(factories.project_of(application))
    return made


def steinkjer_projects(
    count: int, *, coordinator: Any, officer: Any, decider: Any, funding_round: FundingRound, start: int = 1
) -> list[Project]:
    """`count` projects of Steinkjer in the round, as `projects` makes them."""
    return projects(
        count,
        coordinator=coordinator,
        officer=officer,
        decider=decider,
        municipality=steinkjer(),
        funding_round=funding_round,
        start=start,
    )


# Fixtures of the list and export tests (imported by them): a round in Nord-Trøndelag and one in Møre og Romsdal,
# three projects of Steinkjer and one of Ålesund.


@pytest.fixture
def nt_round(db):
    return round_for("17")


@pytest.fixture
def mr_round(db):
    return round_for("15")


@pytest.fixture
def nt_projects(coordinator_a, officer, decider, nt_round):
    return steinkjer_projects(3, coordinator=coordinator_a, officer=officer, decider=decider, funding_round=nt_round)


@pytest.fixture
def mr_project(coordinator_other_county, officer_other_county, decider_other_county, mr_round):
    people = {"coordinator": coordinator_other_county, "officer": officer_other_county}
    return projects(
        1, **people, decider=decider_other_county, municipality=alesund(), funding_round=mr_round, prefix="Ålesund"
    )[0]


def draft_reports(projects_: list[Project], *, coordinator: Any) -> list[ProgressReport]:
    """A draft progress report for each project."""
    return [services.report_create(project=project, by=coordinator) for project in projects_]


def payments(project: Project, count: int, *, coordinator: Any, start: int = 1) -> list[Payment]:
    """`count` payment requests on the project (100 kr + 10 kr per number), resting on one submitted report."""
    report = factories.report_submitted(project, by=coordinator)
    return [
        services.payment_request(project=project, by=coordinator, amount=100 + number * 10, report=report)
        for number in range(start, start + count)
    ]


def steinkjer() -> Municipality:
    return kommune(STEINKJER)


def levanger() -> Municipality:
    return kommune(LEVANGER)


def alesund() -> Municipality:
    return kommune(ALESUND)


# Reading the files back


def csv_rows(response: Any) -> list[list[str]]:
    """The CSV as rows (header first), checking it is UTF-8 with a byte-order mark and `;`-separated."""
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def xlsx_sheet(response: Any) -> Any:
    content = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(content)).active


def xlsx_rows(response: Any) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in xlsx_sheet(response).iter_rows()]


def column(rows: list[list[Any]], header: str) -> list[Any]:
    """The values of the column named `header`, without the header."""
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]
