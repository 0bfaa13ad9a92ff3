"""The grant cycle in a real browser, as the people who do it: each logs in through the form, switches the portal
to English, follows the links and buttons a person would and types amounts as people type them. Every page they
see passes check_page (axe-core WCAG 2.1 A/AA at 1280 and 320 px, one h1, no duplicate ids, no sideways scroll),
forms shown again with their errors included.

1. One application from round to decision letter (issue 3).
2. A county plan through the ministry (issue 3).
3. One project through a progress report, payments and the final report until it closes (issue 4).

Fields are found by their labels and buttons by their names, which also proves the labels are bound.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application, CountyPlan, Payment, Project
from applications.tests import factories
from programmes.models import County, FundingRound, Municipality, Theme
from programmes.tests.factories import MunicipalRoundFactory
from reporting.tests.test_browser import (  # noqa: F401 (browser, demo and reference_data_put_back are fixtures)
    AXE_SOURCE,
    DESKTOP,
    at,
    browser,
    check_page,
    county_path,
    demo,
    follow,
    kommune_path,
    log_in,
    reference_data_put_back,
    switch_language,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COORDINATOR, OFFICER, DECIDER, MINISTRY = "k1702.koordinator", "nt.saksbehandlar", "nt.leiar", "departementet"
PDF = {"name": "stadanalyse.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF"}


@pytest.fixture
def open_as(browser: Any, live_server: Any, demo: None) -> Iterator[Callable[[str, str], Any]]:  # noqa: F811
    """A page of its own (fresh cookies) for each person: logged in on their start page, switched to English."""
    contexts = []

    def open_as(username: str, lands_on: str) -> Any:
        context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=DESKTOP)
        context.set_default_timeout(10_000)
        context.add_init_script(AXE_SOURCE)
        contexts.append(context)
        page = context.new_page()
        log_in(page, username, lands_on)
        switch_language(page, "en")
        return page

    yield open_as
    for context in contexts:
        context.close()


def label(text: str) -> re.Pattern[str]:
    """A field's label as crispy renders it: the text, with an asterisk after it when the field is required."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def press(page: Any, name: str | re.Pattern[str], lands_on: str | re.Pattern[str] | None = None) -> None:
    """Press the button in main, wait for the page it leads to (by path, when given) and check that page."""
    button = page.locator("main").get_by_role("button", name=name, exact=isinstance(name, str))
    with page.expect_navigation():
        button.click()
    if lands_on is not None:
        page.wait_for_url(at(lands_on) if isinstance(lands_on, str) else lands_on)
    check_page(page)


def path_pattern(name: str) -> re.Pattern[str]:
    """The URL of `name` (one int argument) for any id."""
    return re.compile("^https?://[^/]+" + re.escape(reverse(name, args=[999999])).replace("999999", r"\d+") + "$")


def kroner_in(locator: Any) -> int:
    """The whole kroner an element shows, whatever the language's spaces and currency."""
    return int(re.sub(r"\D", "", locator.inner_text()))


def local(moment: datetime.datetime) -> str:
    """As a datetime-local input takes it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def status_shown(page: Any, text: str) -> None:
    expect(page.locator("main .lead").first).to_contain_text(text)


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


# 1. An application from the round to the decision letter


def test_an_application_goes_from_draft_to_decision_letter(open_as):
    themes = list(Theme.objects.order_by("code")[:2])
    officer = open_as(OFFICER, county_path("17"))
    funding_round = round_opened(officer, themes)
    coordinator = open_as(COORDINATOR, kommune_path("1702"))
    application = application_started(coordinator, funding_round)
    application_filled_unbalanced(coordinator, application, themes)
    application_submitted_with_a_document(coordinator, application)
    application_returned(officer, application)
    application_submitted_again(coordinator, application)
    application_recommended(officer, application)
    decider = open_as(DECIDER, county_path("17"))
    application_approved_with_letter(decider, application)


def round_opened(officer: Any, themes: list[Theme]) -> FundingRound:
    """The county's case officer opens a round for the county's kommunar."""
    follow(officer, "Funding rounds", reverse("programmes:round_list"), within="header")
    nord_trondelag = County.objects.get(number="17")
    follow(
        officer,
        "New round for the kommunar of Nord-Trøndelag",
        reverse("programmes:round_new", args=[nord_trondelag.pk]),
    )
    now = timezone.now()
    officer.get_by_label(label("Name")).fill("Stadutvikling i Nord-Trøndelag 2026")
    officer.get_by_label(label("Description")).fill("For kommunar som vil bli meir attraktive.")
    officer.get_by_label(label("Budget (kr)")).fill("2 000 000")
    officer.get_by_label(label("Opens")).fill(local(now - datetime.timedelta(hours=1)))
    officer.get_by_label(label("Deadline")).fill(local(now + datetime.timedelta(weeks=6)))
    for theme in themes:
        officer.get_by_role("group", name="Themes the round invites").get_by_label(theme.name_en).check()
    press(officer, "Open the round", path_pattern("programmes:round_detail"))
    funding_round = FundingRound.objects.get(name="Stadutvikling i Nord-Trøndelag 2026")
    assert funding_round.budget == 2_000_000
    assert set(funding_round.themes.all()) == set(themes)
    assert funding_round.opens_at < timezone.now() < funding_round.deadline
    return funding_round


def application_started(coordinator: Any, funding_round: FundingRound) -> Application:
    """The coordinator in Steinkjer starts an application in that round."""
    follow(coordinator, "Applications", reverse("applications:list"), within="header")
    follow(coordinator, "New application", reverse("applications:new"))
    coordinator.get_by_label(label("Round")).select_option(str(funding_round.pk))
    coordinator.get_by_label(label("Project title")).fill("Attraktive Steinkjer")
    press(coordinator, "Start the application", path_pattern("applications:edit"))
    return Application.objects.get(title="Attraktive Steinkjer")


def application_filled_unbalanced(coordinator: Any, application: Application, themes: list[Theme]) -> None:
    """The whole form, with a financing plan that does not add up to the budget."""
    coordinator.get_by_label(label("Title")).fill("Attraktive Steinkjer sentrum")
    coordinator.get_by_label(label("Summary")).fill("Ein stad folk vil bu i.")
    coordinator.get_by_label(label("Background")).fill("Folketalet går ned.")
    coordinator.get_by_label(label("Goals")).fill("Fleire unge flyttar heim.")
    coordinator.get_by_label(label("Planned activities")).fill("Møte, verkstader og ein stadanalyse.")
    coordinator.get_by_label(label("Project start")).fill("2026-01-01")
    coordinator.get_by_label(label("Project end")).fill("2027-12-31")
    coordinator.get_by_role("group", name=label("Themes")).get_by_label(themes[0].name_en).check()
    coordinator.get_by_role("group", name=label("Result goals the project addresses")).get_by_role(
        "checkbox"
    ).first.check()
    budget = coordinator.get_by_role("group", name="Budget")
    budget.get_by_label(label("Category")).first.select_option("personnel")
    budget.get_by_label(label("Description")).first.fill("Prosjektleiar")
    budget.get_by_label(label("Amount (kr)")).first.fill("400 000")
    coordinator.get_by_label(label("LUK funds applied for (kr)")).fill("300 000")
    coordinator.get_by_label(label("Own contribution (kr)")).fill("50 000")
    coordinator.get_by_label(label("Contact person")).fill("Kari Koordinator")
    coordinator.get_by_label(label("Contact e-mail")).fill("kari@steinkjer.example")
    press(coordinator, "Submit to the county", reverse("applications:edit", args=[application.pk]))
    financing = coordinator.get_by_role("group", name="Financing plan")
    expect(financing.locator(".alert-danger")).to_contain_text("must add up to the budget")
    expect(coordinator.get_by_label(label("Title"))).to_have_value("Attraktive Steinkjer sentrum")
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def application_submitted_with_a_document(coordinator: Any, application: Application) -> None:
    """A document is attached on the case page (only while the kommune can still change the application);
    with the financing corrected, the application is submitted."""
    edit_path = reverse("applications:edit", args=[application.pk])
    detail_path = reverse("applications:detail", args=[application.pk])
    follow(coordinator, "Back to the case", detail_path)
    status_shown(coordinator, "Draft")
    coordinator.get_by_label(label("Document")).set_input_files(PDF)
    press(coordinator, "Attach", detail_path)
    expect(coordinator.get_by_role("link", name="stadanalyse.pdf")).to_be_visible()
    follow(coordinator, "Edit and submit", edit_path)
    expect(coordinator.get_by_label(label("Own contribution (kr)"))).to_have_value("50 000")
    coordinator.get_by_label(label("Own contribution (kr)")).fill("100 000")
    press(coordinator, "Submit to the county", detail_path)
    status_shown(coordinator, "Submitted")
    expect(coordinator.get_by_role("link", name="stadanalyse.pdf")).to_be_visible()
    expect(coordinator.get_by_label(label("Document"))).to_have_count(0)


def application_returned(officer: Any, application: Application) -> None:
    """The case officer sees it on the start page, takes it and returns it with a message."""
    detail_path = reverse("applications:detail", args=[application.pk])
    return_path = reverse("applications:return", args=[application.pk])
    case_opened(officer, application)
    status_shown(officer, "In review")
    follow(officer, "Return for changes", return_path)
    press(officer, "Return to the kommune", return_path)  # no message
    expect(officer.get_by_label(label("Message"))).to_have_attribute("aria-invalid", "true")
    officer.get_by_label(label("Message")).fill("Skriv meir om korleis de når dei unge.")
    press(officer, "Return to the kommune", detail_path)
    status_shown(officer, "Returned for changes")


def case_opened(officer: Any, application: Application) -> None:
    """The case officer follows the case from the start page and takes it."""
    detail_path = reverse("applications:detail", args=[application.pk])
    follow(officer, "My start page", county_path("17"), within="header")
    follow(officer, re.compile("Attraktive Steinkjer sentrum"), detail_path)
    press(officer, "Take the case", detail_path)


def application_submitted_again(coordinator: Any, application: Application) -> None:
    """The coordinator changes the application and submits it again: two versions."""
    coordinator.reload()
    check_page(coordinator)
    follow(coordinator, "Edit and submit", reverse("applications:edit", args=[application.pk]))
    coordinator.get_by_label(label("Goals")).fill("Fleire unge flyttar heim, og dei unge er med frå starten.")
    press(coordinator, "Submit to the county", reverse("applications:detail", args=[application.pk]))
    status_shown(coordinator, "Submitted")
    versions = coordinator.get_by_role("region", name="Submitted versions").get_by_role("listitem")
    expect(versions).to_have_count(2)
    follow(coordinator, "Version 1", reverse("applications:version", args=[application.pk, 1]))


def application_recommended(officer: Any, application: Application) -> None:
    """The case officer takes it again and recommends approval."""
    case_opened(officer, application)
    follow(officer, "Write the recommendation", reverse("applications:recommend", args=[application.pk]))
    officer.get_by_role("group", name=label("Recommendation")).get_by_label("Approve").check()
    officer.get_by_label(label("Recommended amount (kr)")).fill("250 000")
    officer.get_by_label(label("Conditions")).fill("Rapport kvart halvår.")
    officer.get_by_label(label("Reasons")).fill("Prosjektet svarar godt på resultatmåla.")
    press(officer, "Send the recommendation", reverse("applications:detail", args=[application.pk]))
    status_shown(officer, "Awaiting decision")
    # Four eyes: the officer who wrote the recommendation is offered no decision.
    expect(officer.get_by_role("link", name="Make the decision")).to_have_count(0)


def application_approved_with_letter(decider: Any, application: Application) -> None:
    """The decision-maker finds it on the start page and approves it; the letter is there to open."""
    detail_path = reverse("applications:detail", args=[application.pk])
    follow(decider, re.compile("Attraktive Steinkjer sentrum"), detail_path)
    follow(decider, "Make the decision", reverse("applications:decide", args=[application.pk]))
    decider.get_by_role("group", name=label("Decision")).get_by_label("Approve", exact=True).check()
    decider.get_by_label(label("Granted amount (kr)")).fill("250 000")
    decider.get_by_label(label("Reasons")).fill("Prosjektet svarar godt på resultatmåla.")
    press(decider, "Make the decision", detail_path)
    status_shown(decider, "Approved")
    expect(decider.get_by_role("heading", name=re.compile("Decision: Approved"))).to_be_visible()
    letter = decider.get_by_role("link", name="Open the decision letter (PDF)")
    response = decider.request.get(letter.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.decision.amount == 250_000
    assert application.versions.count() == 2


# 2. A county plan through the ministry


def test_a_county_plan_is_approved_by_the_ministry_and_grows_the_frames(open_as):
    officer = open_as(OFFICER, county_path("17"))
    frames_before = kroner_in(
        officer.get_by_role("region", name=re.compile("Money the ministry has granted")).locator("tfoot td")
    )

    follow(officer, "County plans", reverse("applications:plan_list"), within="header")
    press(officer, "New plan for Nord-Trøndelag", path_pattern("applications:plan_edit"))
    plan = CountyPlan.objects.get()
    officer.get_by_label(label("Title")).fill("Plan for lokal samfunnsutvikling i Nord-Trøndelag")
    officer.get_by_label(label("Amount applied for (kr)")).fill("3 000 000")
    officer.get_by_label(label("Plan start")).fill("2026-01-01")
    officer.get_by_label(label("Plan end")).fill("2028-12-31")
    for theme in Theme.objects.order_by("code")[:2]:
        officer.get_by_role("group", name=label("Themes")).get_by_label(theme.name_en).check()
    kommunar = officer.get_by_role("group", name=label("Kommunar involved"))
    for name in ("Steinkjer", "Levanger", "Verdal"):
        kommunar.get_by_label(name).check()
    officer.get_by_label(label("Activities")).fill("Kompetanseprogram og nettverk for kommunane.")
    officer.get_by_label(label("Budget")).fill("Kompetanse 1 500 000\nNettverk 1 500 000")
    press(officer, "Submit to the ministry", reverse("applications:plan_detail", args=[plan.pk]))
    status_shown(officer, "Submitted")

    ministry = open_as(MINISTRY, reverse("reporting:national"))
    follow(
        ministry,
        re.compile("Plan for lokal samfunnsutvikling i Nord-Trøndelag"),
        reverse("applications:plan_detail", args=[plan.pk]),
    )
    approve = ministry.get_by_role("region", name="Approve the plan")
    approve.get_by_label(label("Approved amount (kr)")).fill("2 500 000")
    press(ministry, "Approve", reverse("applications:plan_detail", args=[plan.pk]))
    status_shown(ministry, "Approved")
    plan.refresh_from_db()
    assert plan.status == CountyPlan.Status.APPROVED and plan.approved_amount == 2_500_000

    follow(officer, "My start page", county_path("17"), within="header")
    frames = officer.get_by_role("region", name=re.compile("Money the ministry has granted")).locator("tfoot td")
    assert kroner_in(frames) == frames_before + 2_500_000


# 3. A project through a progress report, payments and the final report


def test_a_project_is_reported_on_paid_and_closes(open_as):
    coordinator_user, officer_user = user(COORDINATOR), user(OFFICER)
    steinkjer = Municipality.objects.get(number="1702", valid_from__isnull=True)
    funding_round = MunicipalRoundFactory(county=steinkjer.county)
    application = factories.make_draft(by=coordinator_user, municipality=steinkjer, funding_round=funding_round)
    factories.approve(application, coordinator=coordinator_user, officer=officer_user, decider=user(DECIDER))
    project = Project.objects.get(application=application)

    coordinator = open_as(COORDINATOR, kommune_path("1702"))
    project_plan_given(coordinator, project)

    # A progress report: costs per budget line, indicator values, milestone status and the narrative.
    press(coordinator, "Start a progress report", path_pattern("applications:report_edit"))
    report = project.reports.get()
    fill_report(coordinator, project, cost="100 000", milestone="started")
    press(coordinator, "Submit to the county", reverse("applications:report_detail", args=[report.pk]))
    status_shown(coordinator, "Submitted")

    # The case officer finds the report on the start page and approves it.
    officer = open_as(OFFICER, county_path("17"))
    follow(officer, project.title, reverse("applications:report_detail", args=[report.pk]))
    press(officer, "Approve", reverse("applications:report_detail", args=[report.pk]))
    status_shown(officer, "Approved")

    # A payment resting on that report, within the 75 % paid before the final report.
    pay(coordinator, officer, project, "150 000", rests_on=report)

    final = final_report_approved(coordinator, officer, project)

    # The rest of the grant paid: the project closes by itself.
    pay(coordinator, officer, project, "100 000", rests_on=final)
    status_shown(officer, "Closed")
    project.refresh_from_db()
    assert project.status == Project.Status.CLOSED and project.paid_amount == 250_000

    follow(officer, "Payments", reverse("applications:payment_register"), within="header")
    rows = officer.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(project.title)
    assert set(Payment.objects.values_list("status", flat=True)) == {Payment.Status.APPROVED}


def project_plan_given(coordinator: Any, project: Project) -> None:
    """The coordinator opens the project and gives it its plan: a milestone, an indicator for each result goal."""
    project_path = reverse("applications:project_detail", args=[project.pk])
    goals = list(project.application.result_goals.order_by("number"))
    follow(coordinator, "Projects", reverse("applications:project_list"), within="header")
    follow(coordinator, project.title, project_path)
    follow(coordinator, "Edit the project plan", reverse("applications:project_plan", args=[project.pk]))
    milestones = coordinator.get_by_role("group", name="Milestones")
    milestones.get_by_label(label("Milestone")).first.fill("Stadanalysen er ferdig")
    milestones.get_by_label(label("Due")).first.fill("2026-06-30")
    indicators = coordinator.get_by_role("group", name="Indicators")
    for row, goal in enumerate(goals):
        indicators.get_by_label(label("Result goal")).nth(row).select_option(str(goal.pk))
        indicators.get_by_label(label("Indicator")).nth(row).fill(f"Unge som deltek ({goal.number})")
        indicators.get_by_label(label("Unit")).nth(row).fill("personar")
        indicators.get_by_label(label("Baseline")).nth(row).fill("10")
        indicators.get_by_label(label("Target")).nth(row).fill("30")
    press(coordinator, "Save the plan", project_path)
    assert project.indicators.count() == len(goals) and project.milestones.count() == 1


def final_report_approved(coordinator: Any, officer: Any, project: Project) -> Any:
    """The final report, approved by the case officer; the project waits for the rest of the grant."""
    press(coordinator, "Start the final report", path_pattern("applications:report_edit"))
    final = project.reports.get(final=True)
    fill_report(coordinator, project, cost="400 000", milestone="done", final=True)
    press(coordinator, "Submit to the county", reverse("applications:report_detail", args=[final.pk]))
    follow(officer, "My start page", county_path("17"), within="header")
    follow(officer, project.title, reverse("applications:report_detail", args=[final.pk]))
    press(officer, "Approve", reverse("applications:report_detail", args=[final.pk]))
    project.refresh_from_db()
    assert project.status == Project.Status.ACTIVE
    return final


def fill_report(page: Any, project: Project, *, cost: str, milestone: str, final: bool = False) -> None:
    page.get_by_label(label("Activities done")).fill("Tre verkstader og ein stadanalyse.")
    page.get_by_label(label("What went well")).fill("Mange unge møtte opp.")
    page.get_by_label(label("Challenges")).fill("Vanskeleg å nå pendlarane.")
    page.get_by_label(label("Next steps")).fill("Handlingsplan for sentrum.")
    if final:
        page.get_by_label(label("Results against the targets")).fill("Fleire unge flytta heim enn venta.")
        page.get_by_label(label("Lessons learned")).fill("Start tidleg med dei unge.")
    costs = page.get_by_role("group", name="Costs so far")
    for line in project.application.budget_lines.all():
        costs.get_by_label(label(f"{line.get_category_display()}: {line.description}")).fill(cost)
    for indicator in project.indicators.all():
        page.get_by_label(label(f"{indicator.name} ({indicator.unit})")).fill("20" if final else "15")
    for item in project.milestones.all():
        page.get_by_role("group", name="Milestones").get_by_label(label(item.name)).select_option(milestone)


def pay(coordinator: Any, officer: Any, project: Project, amount: str, *, rests_on: Any) -> None:
    """From the report just written, the coordinator requests `amount` resting on it; the case officer approves
    the request from the start page."""
    project_path = reverse("applications:project_detail", args=[project.pk])
    follow(coordinator, re.compile("^Back to the project"), project_path)
    follow(coordinator, "Request a payment", reverse("applications:payment_new", args=[project.pk]))
    expect(coordinator.get_by_label(label("The report the request rests on"))).to_have_value(str(rests_on.pk))
    coordinator.get_by_label(label("Amount (kr)")).fill(amount)
    press(coordinator, "Request the payment", project_path)
    payment = project.payments.get(status=Payment.Status.REQUESTED)
    follow(officer, "My start page", county_path("17"), within="header")
    follow(officer, project.title, reverse("applications:payment_decide", args=[payment.pk]))
    officer.get_by_role("group", name=label("Decision")).get_by_label("Approve the payment").check()
    press(officer, "Make the decision", project_path)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.APPROVED and payment.report == rests_on
