"""The three PDF reports as a reader gets them: title page, contents with page numbers, running header, "page X
of Y", the figures, in nynorsk, bokmål and English; the project report without internal notes; and the data
read in a fixed number of queries whatever the size.

The demo cases (demo/cases.py: three counties, projects in every state) are made once for the
module, inside a transaction rolled back at its end. Expected words are read from the translation catalogue
in the report's language, as the portal shows them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from pypdf import PdfReader

from applications import services
from applications.models import CaseEvent, Project, Recommendation
from applications.tests import factories
from demo.seed import demo_seed
from luk_portal.formats import format_kroner
from luk_portal.pdf import render_pdf
from programmes.models import County, CountyAccount, CountyFrame, FundingRound, Municipality, Programme
from reporting import report_data

LANGUAGES = ["nn", "nb", "en"]
INTERNAL_EVENT = "INTERN MERKNAD: leiaren meiner prosjektet er svakt forankra"
INTERNAL_RECOMMENDATION = "INTERN INNSTILLING: prosjektet er betre enn søknaden tilseier"
DEMO_PROJECT = "Stadutvikling i Steinkjer sentrum"
CHAPTERS = {
    "project": [
        "The project",
        "Budget and costs",
        "Milestones",
        "Indicators and targets",
        "Payments",
        "The project's reports",
    ],
    "county": [
        "Money and key figures",
        "Kommunar",
        "Themes",
        "Applications and projects by status",
        "Overdue reports",
        "The county's projects",
    ],
    "national": [
        "Introduction",
        "Key figures",
        "The county authorities",
        "Kommunar taking part",
        "Themes and status",
        "Result goals and indicators",
        "Year by year",
        "Appendix: every project",
    ],
}


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo people and cases, once for the module; rolled back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo_seed(cases=True, national=False)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def programme(demo: None, db: None) -> Programme:
    return Programme.objects.get(slug="luk")


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def t(message: str, language: str, **values: Any) -> str:
    """The message as the report shows it in `language`."""
    with translation.override(language):
        text = translation.gettext(message)
    return normalise(text % values if values else text)


def normalise(text: str) -> str:
    """No-break spaces as spaces, and every run of white space as one space (lines joined)."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def pdf_pages(pdf: bytes) -> list[str]:
    return [normalise(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


def render(kind: str, context: dict[str, Any], language: str) -> list[str]:
    context = {**context, "generated_at": timezone.now(), "language": language}
    pdf = render_pdf(f"reporting/pdf/{kind}_report.html", context, language=language)
    assert pdf.startswith(b"%PDF")
    return pdf_pages(pdf)


def data(kind: str, language: str, **target: Any) -> dict[str, Any]:
    """The report's context as the report job gathers it: in the report's language."""
    with translation.override(language):
        return getattr(report_data, f"{kind}_report_data")(**target)


def check_frame(pages: list[str], *, kind: str, language: str, title: str, subtitle: str, publisher: str) -> None:
    """Title page, contents with the page each chapter starts on, running header and "page X of Y"."""
    cover, contents = pages[0], pages[1]
    assert title in cover and subtitle in cover and publisher in cover
    programme = Programme.objects.get(slug="luk")
    assert normalise(getattr(programme, f"name_{language}")) in cover
    total = len(pages)
    page_words = t("Page %(page)s of %(pages)s", language, page=1, pages=total)
    assert page_words not in cover, "the title page has no footer"
    assert t("Contents", language) in contents
    for chapter in CHAPTERS[kind]:
        name = t(chapter, language)
        found = re.search(re.escape(name) + r"[\s.]*?(\d+)(?!\d)", contents)
        assert found, f"{name!r} is not in the contents: {contents}"
        page = int(found.group(1))
        assert 3 <= page <= total
        assert name in pages[page - 1], f"{name!r} does not start on page {page}"
    for number, text in enumerate(pages[1:], start=2):
        assert t("Page %(page)s of %(pages)s", language, page=number, pages=total) in text
        assert f"{title} · {subtitle}" in text, f"no running header on page {number}"


def framed_pages(kind: str, context: dict[str, Any], language: str, **frame: str) -> list[str]:
    """The report rendered to PDF, its frame checked (check_frame, with `frame`'s title, subtitle and publisher):
    the text of its pages."""
    pages = render(kind, context, language)
    check_frame(pages, kind=kind, language=language, **frame)
    return pages


@pytest.mark.parametrize("language", LANGUAGES)
def test_project_report_has_its_frame_figures_and_narratives_and_no_internal_notes(programme, language):
    project = Project.objects.get(title=DEMO_PROJECT)
    recommendation = Recommendation.objects.filter(application=project.application).latest("created_at")
    recommendation.reasons = INTERNAL_RECOMMENDATION  # a plain row: what the officer wrote to the decision-maker
    recommendation.save(update_fields=["reasons"])
    CaseEvent.objects.create(
        project=project,
        actor=user("nt.leiar"),
        at=timezone.now(),
        action="comment",
        comment=INTERNAL_EVENT,
        internal=True,
    )
    CaseEvent.objects.create(
        application=project.application,
        actor=user("nt.leiar"),
        at=timezone.now(),
        action="send_back",
        comment=INTERNAL_EVENT,
        internal=True,
    )

    context = data("project", language, project=project)
    assert context["title"] == t("Project progress report", language) and context["subtitle"] == DEMO_PROJECT
    publisher = t("%(county)s county authority", language, county="Nord-Trøndelag")
    pages = framed_pages(
        "project",
        context,
        language,
        title=t("Project progress report", language),
        subtitle=DEMO_PROJECT,
        publisher=publisher,
    )
    text = " ".join(pages)
    project.refresh_from_db()
    for amount in (project.granted_amount, project.paid_amount, project.unpaid):
        assert normalise(format_kroner(amount)) in text
    assert "Steinkjer" in text and "Stadanalyse ferdig" in text  # lead kommune, a milestone
    assert "Innbyggjarinitiativ i arbeidet" in text  # an indicator
    assert "300 000 kr" in text and "150 000 kr" in text  # a budget line and its costs so far
    assert "Folkemøte i mars, tre arbeidsmøte med lag og næringsliv, stadanalyse." in text  # the report's narrative
    assert t("Progress report", language) in text
    assert INTERNAL_EVENT not in text and "INTERN" not in text
    assert INTERNAL_RECOMMENDATION not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_county_report_has_its_frame_money_kommunar_and_projects(programme, language):
    county = County.objects.get(number="17")
    context = data("county", language, county=county, programme=programme)
    subtitle = t("%(county)s county authority", language, county="Nord-Trøndelag")
    assert context["title"] == t("County report", language) and normalise(context["subtitle"]) == subtitle
    pages = framed_pages(
        "county",
        context,
        language,
        title=t("County report", language),
        subtitle=subtitle,
        publisher=subtitle,
    )
    text = " ".join(pages)
    account = CountyAccount.objects.get(county=county, programme=programme)
    frames = sum(CountyFrame.objects.filter(county=county, programme=programme).values_list("amount", flat=True))
    assert frames == 7_000_000 and account.granted == 544_000
    for amount in (frames, account.granted, account.paid, frames - account.granted):
        assert normalise(format_kroner(amount)) in text
    assert "7 000 000 kr" in text and "544 000 kr" in text
    for title in Project.objects.filter(county=county).values_list("title", flat=True):
        assert normalise(title) in text
    assert "Innbyggjarpanel i Levanger" in pages[-2] or "Innbyggjarpanel i Levanger" in text  # its report is overdue
    assert t("Granted and paid per kommune", language) in text  # the chart's caption
    assert t("Applications and projects per theme", language) in text
    assert "Møre og Romsdal" not in text and "Ålesund" not in text  # nothing from another county


@pytest.mark.parametrize("language", LANGUAGES)
def test_national_report_has_its_frame_counties_goals_years_and_every_project(programme, language):
    context = data("national", language, programme=programme)
    title = t("National evaluation report", language)
    assert context["title"] == title
    pages = framed_pages(
        "national",
        context,
        language,
        title=title,
        subtitle=normalise(context["subtitle"]),
        publisher=t("Ministry of Local Government and Regional Development", language),
    )
    text = " ".join(pages)
    frames = sum(CountyFrame.objects.filter(programme=programme).values_list("amount", flat=True))
    granted = sum(CountyAccount.objects.filter(programme=programme).values_list("granted", flat=True))
    assert normalise(format_kroner(frames)) in text and normalise(format_kroner(granted)) in text
    assert "24 000 000 kr" in text
    for county in County.objects.filter(is_county_authority=True, valid_to__isnull=True, number__lte="20"):
        assert county.name in text
    for goal in programme.result_goals.all():
        assert " ".join(getattr(goal, f"text_{language}").split()[:2]) in text
    appendix = " ".join(pages[-2:])
    for title_ in Project.objects.values_list("title", flat=True):
        assert normalise(title_) in appendix
    taking_part = t("%(part)s of %(all)s (%(share)s)", language, part=12, all=430, share="3 %")
    assert taking_part in text
    for year in range(2010, 2015):
        assert str(year) in text
    assert t("Frames, granted and paid per county", language) in text  # a chart's caption


def make_projects(count: int) -> None:
    """More projects, each with a report and a payment, led by Steinkjer with Levanger as partner."""
    coordinator, officer, decider = user("k1702.koordinator"), user("nt.saksbehandlar"), user("nt.leiar")
    funding_round = FundingRound.objects.get(county__number="17", kind=FundingRound.Kind.MUNICIPAL)
    for number in range(count):
        application = factories.make_draft(
            by=coordinator,
            municipality=Municipality.objects.get(number="1702", valid_from__isnull=True),
            funding_round=funding_round,
            partner_municipalities=[Municipality.objects.get(number="1719", valid_from__isnull=True)],
            title=f"Tilleggsprosjekt {number}",
        )
        factories.approve(application, coordinator=coordinator, officer=officer, decider=decider, amount=100_000)
        project = factories.project_of(application)
        report = factories.report_approved(project, coordinator=coordinator, officer=officer)
        payment = services.payment_request(project=project, by=coordinator, amount=40_000, report=report)
        services.payment_decide(payment=payment, by=officer, approve=True)


def test_report_data_reads_in_a_fixed_number_of_queries_whatever_the_size(programme, django_assert_max_num_queries):
    county = County.objects.get(number="17")
    project = Project.objects.get(title=DEMO_PROJECT)
    caps = {"national": 17, "county": 12, "project": 12}

    def read_all() -> dict[str, dict[str, Any]]:
        found = {}
        with django_assert_max_num_queries(caps["national"]):
            found["national"] = report_data.national_report_data(programme=programme)
        with django_assert_max_num_queries(caps["county"]):
            found["county"] = report_data.county_report_data(county=county, programme=programme)
        with django_assert_max_num_queries(caps["project"]):
            found["project"] = report_data.project_report_data(project=project)
        return found

    small = read_all()
    make_projects(4)
    factories.report_approved(project, coordinator=user("k1702.koordinator"), officer=user("nt.saksbehandlar"))
    large = read_all()

    assert large["national"]["project_count"] == small["national"]["project_count"] + 4
    assert len(large["county"]["projects"]) == len(small["county"]["projects"]) + 4
    assert len(large["project"]["reports"]) == len(small["project"]["reports"]) + 1
    # Sums are not multiplied by joins: the kommunar's granted add up to the county's account.
    account = CountyAccount.objects.get(county=county, programme=programme)
    assert (
        large["county"]["municipality_totals"]["granted"]
        == account.granted
        == small["county"]["money"]["granted"] + 400_000
    )
    steinkjer = next(m for m in large["county"]["municipalities"] if m.number == "1702")
    assert steinkjer.projects_count == 3 + 4 and steinkjer.paid == 224_000 + 4 * 40_000
    levanger = next(m for m in large["county"]["municipalities"] if m.number == "1719")
    assert levanger.partner_count == 4 and levanger.taking_part
    nord = next(c for c in large["national"]["counties"] if c.number == "17")
    assert (nord.frame_total, nord.granted, nord.paid) == (7_000_000, account.granted, account.paid)


def test_figures_per_theme_status_goal_and_year_add_up(programme):
    found = report_data.national_report_data(programme=programme)
    totals = found["totals"]
    assert sum(row["count"] for row in found["project_status"]) == totals["projects"] == found["project_count"] == 12
    assert sum(row["granted"] for row in found["project_status"]) == totals["granted"]
    assert found["year_totals"]["projects"] == 12 and found["year_totals"]["paid"] == totals["paid"]
    assert found["year_totals"]["applications"] == totals["applications"] == 27  # drafts are not counted
    # In the demo each project has one theme, so the themes add up to the totals.
    assert sum(theme.projects_count for theme in found["themes"]) == 12
    assert sum(theme.granted for theme in found["themes"]) == totals["granted"]
    goal_1 = found["goal_rows"][0]
    assert (goal_1["projects"], goal_1["indicators"], goal_1["baseline"], goal_1["target"]) == (12, 12, 24, 120)
    assert found["kommunar"]["total"] == 430 and found["totals"]["municipality_count"] == 429  # Oslo has no county
