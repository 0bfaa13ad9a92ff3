"""The portal in a real browser: each role logs in through the form, follows the links a person would and
switches language; every page seen passes axe-core's WCAG 2.1 A/AA rules with zero violations.

Debian's Chromium through Playwright; axe-core pinned in static/vendor. One browser per module, a new context
(fresh cookies) per test. Without Chromium the tests skip with the reason; under CI=true they fail instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect, sync_playwright

from conftest import totp_code
from demo.people import DEMO_PASSWORD
from demo.seed import demo_seed
from programmes.models import County, FundingRound, Municipality, Programme
from programmes.services import programme_setup_luk, refdata_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_SOURCE = (settings.BASE_DIR / "static" / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
DESKTOP = {"width": 1280, "height": 800}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module", autouse=True)
def reference_data_put_back(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The transactional teardown empties the database; afterwards, put back what the session set up
    (conftest's django_db_setup) for the tests that run after this module.

    Asking for the test database here, before the live server, also has it dropped after the server has stopped
    (and closed its connections), not before.
    """
    yield
    with django_db_blocker.unblock():
        refdata_load()
        programme_setup_luk()


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    # Playwright's sync API keeps an event loop in this thread; without this Django refuses the database
    # calls that fixtures and the transactional teardown make while the browser is open.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def demo(transactional_db: None) -> None:
    """The demo people, again for every test (the transactional teardown empties the database); no cases, for speed."""
    demo_seed(cases=False)


@pytest.fixture
def demo_with_cases(transactional_db: None) -> None:
    """The demo people with their cases (no national history), for the dashboards' and the reports' pages."""
    demo_seed(cases=True, national=False)


CSP_REFUSED = "Content Security Policy refused"
CSP_WATCH = (
    "document.addEventListener('securitypolicyviolation', (e) => console.error("
    f"'{CSP_REFUSED} ' + e.effectiveDirective + ': ' + (e.blockedURI || 'inline') + ' at ' + e.documentURI"
    " + ':' + e.lineNumber));"
)


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) on the live server.

    The browser asks for English: the portal must still answer in nynorsk until the person chooses otherwise.
    """
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=DESKTOP)
    context.set_default_timeout(10_000)
    context.add_init_script(AXE_SOURCE)  # axe-core in every page, ready for check_page
    page = context.new_page()
    # What the Content Security Policy refused: nothing may be. Each refusal is a securitypolicyviolation event,
    # told on the console for the listener below.
    context.add_init_script(CSP_WATCH)
    page.csp_refusals = refusals = []
    page.on("console", lambda message: refusals.append(message.text) if CSP_REFUSED in message.text else None)
    yield page
    context.close()
    assert not refusals, "the Content Security Policy refused:\n" + "\n".join(refusals)


def t(message: str, language: str = settings.LANGUAGE_CODE) -> str:
    """The message as the portal shows it in `language`: the catalog's translation, else the message itself."""
    with translation.override(language):
        return translation.gettext(message)


def check_page(page: Any) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation, on a desktop and at the 320 CSS px of WCAG 1.4.10 (reflow);
    and what axe leaves to people: the page reflows without sideways scrolling, one h1, no id used twice."""
    page.wait_for_load_state("load")
    problems = []
    for width in (DESKTOP["width"], 320):
        page.set_viewport_size({"width": width, "height": DESKTOP["height"]})
        result = page.evaluate(AXE_RUN, AXE_TAGS)
        problems += [
            f"  at {width}px, {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>\n"
            + "\n".join(
                f"    {' '.join(node['target'])}: {' '.join(node['failureSummary'].split())}"
                for node in violation["nodes"]
            )
            for violation in result["violations"]
        ]
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.set_viewport_size(DESKTOP)
    assert not problems, f"axe found {len(problems)} violation(s) on {page.url}:\n" + "\n".join(problems)
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 320px wide (WCAG 1.4.10)"
    expect(page.locator("h1")).to_have_count(1)
    duplicates = page.evaluate(
        "() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);"
        " return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))]; }"
    )
    assert duplicates == [], f"ids used more than once on {page.url}: {duplicates}"
    refusals = getattr(page, "csp_refusals", [])
    assert not refusals, f"the Content Security Policy refused on {page.url}:\n" + "\n".join(refusals)


def at(path: str) -> re.Pattern[str]:
    """Matches the live server's URL of `path`, without a query string."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}$")


def fill_login(page: Any, username: str, password: str, language: str = settings.LANGUAGE_CODE) -> None:
    page.goto(reverse("account_login"))
    page.get_by_label(capfirst(t("User name", language))).fill(username)
    page.get_by_label(t("Password", language)).fill(password)
    page.get_by_role("button", name=t("Log in", language), exact=True).click()
    page.wait_for_load_state()
    if at(reverse("mfa_authenticate")).match(page.url):  # staff: the code from their authenticator app
        fill_code(page, username, language)


def fill_code(page: Any, username: str, language: str = settings.LANGUAGE_CODE) -> None:
    code = totp_code(get_user_model().objects.get(username=username))
    page.get_by_label(t("Code from your authenticator app, or a recovery code", language)).fill(code)
    page.get_by_role("button", name=t("Confirm", language), exact=True).click()


def log_in(page: Any, username: str, lands_on: str) -> None:
    fill_login(page, username, DEMO_PASSWORD)
    page.wait_for_url(at(lands_on))
    check_page(page)


def follow(page: Any, name: str | re.Pattern[str], path: str, *, within: str = "main") -> None:
    """Click the link a person would, by its visible name, and check the page it leads to."""
    page.locator(within).get_by_role("link", name=name, exact=isinstance(name, str)).first.click()
    page.wait_for_url(at(path))
    check_page(page)


def switch_language(page: Any, language: str) -> None:
    page.locator("#language-select").select_option(language)
    page.locator(".language-switcher").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    check_page(page)


def county_path(number: str) -> str:
    return reverse("reporting:county", args=[County.objects.get(number=number).pk])


def kommune_path(number: str) -> str:
    return reverse("reporting:municipality", args=[Municipality.objects.get(number=number, valid_from__isnull=True).pk])


def test_front_login_password_reset_and_404_pages_pass_axe_for_anyone(page, refdata):
    response = page.goto(reverse("home"))
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    expect(page.locator("main")).to_contain_text("Lokal samfunnsutvikling i kommunane")
    check_page(page)
    page.keyboard.press("Tab")  # the first stop is the skip link, visible when focused, and it leads to main
    expect(page.get_by_role("link", name=t("Skip to main content"))).to_be_focused()
    expect(page.get_by_role("link", name=t("Skip to main content"))).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    follow(page, t("Log in"), reverse("account_login"))
    follow(page, t("Forgotten your password?"), reverse("account_reset_password"))

    response = page.goto("/finst-ikkje/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text(t("Page not found"))
    check_page(page)


def test_wrong_password_is_told_on_the_login_page_which_passes_axe(page, refdata):
    fill_login(page, "nt.leiar", "not-the-password")
    expect(page.locator("main .alert")).to_be_visible()
    assert page.url.endswith(reverse("account_login"))
    check_page(page)


def test_ministry_goes_from_the_national_overview_to_a_county_a_kommune_and_a_round(page, demo):
    log_in(page, "departementet", reverse("reporting:national"))
    frames = page.get_by_role("table", name=t("Frames granted to each county authority, in kroner"))
    expect(frames).to_contain_text("Møre og Romsdal")

    follow(page, "Nord-Trøndelag", county_path("17"))
    follow(page, "1702 Steinkjer", kommune_path("1702"))
    expect(page.locator("h1")).to_contain_text("Steinkjer")

    follow(page, t("Funding rounds"), reverse("programmes:round_list"), within="header")
    startup = FundingRound.objects.get(kind=FundingRound.Kind.STARTUP)
    follow(page, startup.name, reverse("programmes:round_detail", args=[startup.pk]))
    expect(page.get_by_role("table")).to_contain_text("Finnmark")


@pytest.mark.parametrize("username", ["nt.saksbehandlar", "nt.leiar"])
def test_county_staff_land_on_their_county_page_and_open_its_kommunar_and_rounds(page, demo, username):
    log_in(page, username, county_path("17"))
    expect(page.locator("h1")).to_contain_text("Nord-Trøndelag")

    follow(page, "1719 Levanger", kommune_path("1719"))
    follow(page, t("My start page"), county_path("17"), within="header")
    follow(page, t("Funding rounds"), reverse("programmes:round_list"), within="header")
    startup = FundingRound.objects.get(kind=FundingRound.Kind.STARTUP)
    follow(page, startup.name, reverse("programmes:round_detail", args=[startup.pk]))


def test_coordinator_lands_on_the_kommune_page_and_gets_404_for_another_county(page, demo):
    log_in(page, "k1702.koordinator", kommune_path("1702"))
    expect(page.locator("h1")).to_contain_text("Steinkjer")

    follow(page, t("Funding rounds"), reverse("programmes:round_list"), within="header")

    response = page.goto(county_path("15"))
    assert response.status == 404
    expect(page.locator("h1")).to_have_text(t("Page not found"))
    check_page(page)


def test_coordinator_of_two_kommunar_chooses_where_to_start(page, demo):
    log_in(page, "innherred.koordinator", reverse("start"))
    expect(page.locator("main").get_by_role("heading", level=2)).to_have_count(2)

    follow(page, re.compile("Verdal"), kommune_path("1721"))
    follow(page, t("My start page"), reverse("start"), within="header")
    follow(page, re.compile("Levanger"), kommune_path("1719"))


def test_switching_language_changes_the_page_and_the_pages_after_it(page, demo):
    log_in(page, "departementet", reverse("reporting:national"))
    programme = Programme.objects.get()
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    expect(page.locator("main .lead")).to_contain_text(programme.name_nn)

    for language in ["nb", "en"]:
        switch_language(page, language)
        assert page.url.endswith(reverse("reporting:national")), "the switcher brings the person back to the page"
        expect(page.locator("#language-select")).to_have_value(language)
        expect(page.locator("main .lead")).to_contain_text(getattr(programme, f"name_{language}"))
        expect(page.locator("h1")).to_have_text(t("National overview", language))
        expect(page.locator(".language-switcher button")).to_have_text(t("Change language", language))

    follow(page, "Nord-Trøndelag", county_path("17"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main .lead")).to_contain_text(programme.name_en)
    switch_language(page, "nn")
    assert page.url.endswith(county_path("17"))
    expect(page.locator("main .lead")).to_contain_text(programme.name_nn)
