"""The four case lists at national scale: who sees which rows, filters, sorting both ways, search, paging,
bad input, and a number of queries that does not grow with the rows."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from applications import services
from applications.models import Payment, ProgressReport
from applications.tests import lists_data as data
from applications.tests.factories import english
from programmes.models import Theme
from reporting.tests.test_browser import (  # noqa: F401 (browser, demo, page, reference_data_put_back are fixtures)
    browser,
    check_page,
    demo,
    log_in,
    page,
    reference_data_put_back,
)

pytestmark = pytest.mark.django_db

# The fixtures the list and export tests share.
nt_round, mr_round, nt_projects, mr_project = data.nt_round, data.mr_round, data.nt_projects, data.mr_project

LISTS = ["list", "project_list", "payment_register", "report_list"]


def titles(response) -> list[str]:
    """The row titles of the page, in order, as the page's own rows give them."""
    rows = response.context["page"].object_list
    return [getattr(row, "title", None) or row.project.title for row in rows]


def get(client, name, **params):
    return client.get(reverse(f"applications:{name}"), params)


# Data


@pytest.fixture
def cases(coordinator_a, coordinator_b, coordinator_other_county, nt_round, mr_round):
    """Three applications from Steinkjer, one from Levanger (both Nord-Trøndelag), one from Ålesund."""
    steinkjer = data.applications(3, by=coordinator_a, municipality=data.steinkjer(), funding_round=nt_round)
    levanger = data.applications(
        1, by=coordinator_b, municipality=data.levanger(), funding_round=nt_round, prefix="Levanger"
    )
    alesund = data.applications(
        1, by=coordinator_other_county, municipality=data.alesund(), funding_round=mr_round, prefix="Ålesund"
    )
    return {"steinkjer": steinkjer, "levanger": levanger, "alesund": alesund}


# Access: another county's or kommune's rows never appear.

EVERY_LIST_SEES = [
    ("ministry", {"Søknad 01", "Søknad 02", "Søknad 03", "Levanger 01", "Ålesund 01"}),
    ("officer", {"Søknad 01", "Søknad 02", "Søknad 03", "Levanger 01"}),
    ("officer_other_county", {"Ålesund 01"}),
    ("coordinator_a", {"Søknad 01", "Søknad 02", "Søknad 03"}),
    ("coordinator_b", {"Levanger 01"}),
    ("nobody", set()),
]


@pytest.mark.parametrize(("role", "expected"), EVERY_LIST_SEES)
def test_the_application_list_shows_each_person_only_their_rows(request, client, cases, role, expected):
    client.force_login(request.getfixturevalue(role))
    assert set(titles(get(client, "list"))) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("ministry", {"Prosjekt 01", "Prosjekt 02", "Prosjekt 03", "Ålesund 01"}),
        ("officer", {"Prosjekt 01", "Prosjekt 02", "Prosjekt 03"}),
        ("officer_other_county", {"Ålesund 01"}),
        ("coordinator_a", {"Prosjekt 01", "Prosjekt 02", "Prosjekt 03"}),
        ("coordinator_b", set()),
        ("coordinator_other_county", {"Ålesund 01"}),
    ],
)
def test_the_project_report_and_payment_lists_show_each_person_only_their_rows(
    request, client, nt_projects, mr_project, coordinator_a, coordinator_other_county, role, expected
):
    data.draft_reports(nt_projects, coordinator=coordinator_a)
    data.draft_reports([mr_project], coordinator=coordinator_other_county)
    data.payments(nt_projects[0], 1, coordinator=coordinator_a)
    data.payments(mr_project, 1, coordinator=coordinator_other_county)
    client.force_login(request.getfixturevalue(role))
    assert set(titles(get(client, "project_list"))) == expected
    assert set(titles(get(client, "report_list"))) == expected
    paid_projects = {"Prosjekt 01", "Ålesund 01"} & expected
    assert set(titles(get(client, "payment_register"))) == paid_projects


def test_a_county_parameter_does_not_widen_a_county_officers_list(client, cases, officer, mr_round):
    client.force_login(officer)
    response = get(client, "list", county=mr_round.county_id)
    assert "Ålesund 01" not in titles(response)
    assert "county" not in response.context["filter"].form.fields


@pytest.mark.parametrize("name", LISTS)
def test_every_list_opens_for_anyone_signed_in_and_sends_others_to_login(client, nobody, name):
    url = reverse(f"applications:{name}")
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    client.force_login(nobody)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405


def test_the_reports_list_is_linked_from_the_projects_list_and_the_payment_register(client, officer):
    client.force_login(officer)
    for name in ("project_list", "payment_register"):
        assert reverse("applications:report_list") in get(client, name).content.decode()


# Filters


def test_the_application_list_filters_by_status_kommune_round_year_and_theme(
    client, cases, ministry, coordinator_a, nt_round
):
    client.force_login(ministry)
    steinkjer, alesund = cases["steinkjer"], cases["alesund"][0]
    nt = {"Søknad 01", "Søknad 02", "Søknad 03", "Levanger 01"}
    assert set(titles(get(client, "list", county=nt_round.county_id))) == nt
    assert set(titles(get(client, "list", lead_municipality=data.levanger().pk))) == {"Levanger 01"}
    assert set(titles(get(client, "list", funding_round=alesund.funding_round_id))) == {"Ålesund 01"}
    assert len(titles(get(client, "list", year=nt_round.opens_at.year))) == 5
    response = get(client, "list", year=nt_round.opens_at.year - 1)  # no row holds it: not offered
    assert response.context["filter"].form.errors["year"]
    theme = steinkjer[0].themes.get()
    other_theme = Theme.objects.exclude(pk=theme.pk).first()
    assert len(titles(get(client, "list", themes=theme.pk))) == 5
    assert get(client, "list", themes=other_theme.pk).context["filter"].form.errors["themes"]  # none holds it
    assert set(titles(get(client, "list", status="submitted"))) == nt | {"Ålesund 01"}
    assert titles(get(client, "list", status="approved")) == []


def test_the_filters_offer_only_what_the_persons_rows_hold(client, cases, officer, ministry):
    client.force_login(officer)
    form = get(client, "list").context["filter"].form
    kommunar = [label for value, label in form.fields["lead_municipality"].choices if value]
    assert kommunar == ["Levanger", "Steinkjer"]
    client.force_login(ministry)
    form = get(client, "list").context["filter"].form
    counties = [label for value, label in form.fields["county"].choices if value]
    assert counties == ["Møre og Romsdal", "Nord-Trøndelag"]  # in SSB order: 15, 17


def test_the_project_list_filters_by_status_county_kommune_round_theme_and_year(
    client, nt_projects, mr_project, ministry, officer
):
    services.project_cancel(project=nt_projects[0], by=officer, reasons="Kom ikkje i gang.")
    client.force_login(ministry)
    assert titles(get(client, "project_list", status="cancelled")) == ["Prosjekt 01"]
    assert set(titles(get(client, "project_list", county=mr_project.county_id))) == {"Ålesund 01"}
    assert set(titles(get(client, "project_list", lead_municipality=data.steinkjer().pk))) == {
        "Prosjekt 01",
        "Prosjekt 02",
        "Prosjekt 03",
    }
    assert titles(get(client, "project_list", funding_round=mr_project.application.funding_round_id)) == ["Ålesund 01"]
    theme = mr_project.application.themes.get()
    assert len(titles(get(client, "project_list", theme=theme.pk))) == 4
    assert len(titles(get(client, "project_list", year=mr_project.period_start.year))) == 4
    response = get(client, "project_list", year=mr_project.period_start.year + 5)
    assert response.context["filter"].form.errors["year"]


def test_the_report_list_filters_by_kind_status_and_kommune(client, nt_projects, coordinator_a, officer):
    drafts = data.draft_reports(nt_projects[:2], coordinator=coordinator_a)
    final = services.report_create(project=nt_projects[2], by=coordinator_a, final=True)
    client.force_login(officer)
    assert titles(get(client, "report_list", kind="final")) == [final.project.title]
    assert set(titles(get(client, "report_list", kind="progress"))) == {r.project.title for r in drafts}
    assert len(titles(get(client, "report_list", status="draft"))) == 3
    assert titles(get(client, "report_list", status="approved")) == []
    assert len(titles(get(client, "report_list", kommune=data.steinkjer().pk))) == 3


def test_the_payment_register_filters_and_its_totals_follow_the_filters(client, nt_projects, coordinator_a, officer):
    first, _second = data.payments(nt_projects[0], 2, coordinator=coordinator_a)  # 110 kr and 120 kr
    services.payment_decide(payment=first, by=officer, approve=True)
    client.force_login(officer)
    response = get(client, "payment_register")
    assert (response.context["approved_total"], response.context["requested_total"]) == (110, 120)
    response = get(client, "payment_register", status="requested")
    assert [p.amount for p in response.context["page"]] == [120]
    assert (response.context["approved_total"], response.context["requested_total"]) == (0, 120)
    response = get(client, "payment_register", year=first.requested_at.year)
    assert len(response.context["page"].object_list) == 2


# Sorting


def amounts(response) -> list[int]:
    return [row.requested_amount for row in response.context["page"]]


def test_the_application_list_sorts_by_a_column_both_ways_with_aria_sort(client, cases, coordinator_a):
    english(client, coordinator_a)
    response = get(client, "list", sorter="amount")
    assert amounts(response) == [101_000, 102_000, 103_000]
    html = response.content.decode()
    header = re.search(r'<th scope="col" class="money" aria-sort="ascending">(.*?)</th>', html, re.S)
    assert header, "the sorted column says its direction"
    assert "sorter=-amount" in header.group(1) and "sorted ascending" in header.group(1)
    response = get(client, "list", sorter="-amount")
    assert amounts(response) == [103_000, 102_000, 101_000]
    assert 'aria-sort="descending"' in response.content.decode()
    assert titles(get(client, "list", sorter="-title")) == ["Søknad 03", "Søknad 02", "Søknad 01"]
    assert titles(get(client, "list", sorter="title")) == ["Søknad 01", "Søknad 02", "Søknad 03"]


def test_equal_sort_values_keep_a_stable_order_by_id(client, cases, coordinator_a):
    client.force_login(coordinator_a)
    ids = [a.pk for a in get(client, "list", sorter="kommune").context["page"]]
    assert ids == sorted(ids)
    ids = [a.pk for a in get(client, "list", sorter="-kommune").context["page"]]
    assert ids == sorted(ids, reverse=True)


def test_the_sort_links_keep_the_filters_and_leave_the_page(client, cases, officer):
    client.force_login(officer)
    html = get(client, "list", status="submitted", side="1").content.decode()
    link = re.search(r'href="\?([^"]*sorter=title[^"]*)"', html).group(1)
    assert "status=submitted" in link and "side=" not in link


@pytest.mark.parametrize(
    ("name", "key", "value"),
    [
        ("project_list", "granted", lambda p: p.granted_amount),
        ("payment_register", "amount", lambda p: p.amount),
        ("report_list", "project", lambda r: r.project.title),
    ],
)
def test_the_other_lists_sort_both_ways(client, nt_projects, coordinator_a, officer, name, key, value):
    data.draft_reports(nt_projects, coordinator=coordinator_a)
    data.payments(nt_projects[1], 3, coordinator=coordinator_a)
    client.force_login(officer)
    ascending = [value(row) for row in get(client, name, sorter=key).context["page"]]
    descending = [value(row) for row in get(client, name, sorter=f"-{key}").context["page"]]
    assert ascending == sorted(ascending) and len(set(ascending)) == 3
    assert descending == list(reversed(ascending))


def test_the_status_column_sorts_in_workflow_order(client, cases, coordinator_a, officer):
    draft = data.applications(
        1,
        by=coordinator_a,
        municipality=data.steinkjer(),
        funding_round=cases["steinkjer"][0].funding_round,
        submit=False,
        prefix="Utkast",
    )[0]
    data.factories.take(cases["steinkjer"][1], coordinator=coordinator_a, officer=officer)
    client.force_login(coordinator_a)
    statuses = [a.status for a in get(client, "list", sorter="status").context["page"]]
    assert statuses == ["draft", "submitted", "submitted", "in_review"]
    assert get(client, "list", sorter="-status").context["page"][3].pk == draft.pk


# Search


def found_and_other(client, coordinator, funding_round, prefix: str, summary: str, *, other: str) -> None:
    """Two applications of Steinkjer in the round, the one to find (`prefix`, with its `summary`) and `other`; the
    coordinator signed in."""
    steinkjer = data.steinkjer()
    data.applications(
        1, by=coordinator, municipality=steinkjer, funding_round=funding_round, prefix=prefix, summary=summary
    )
    data.applications(1, by=coordinator, municipality=steinkjer, funding_round=funding_round, prefix=other)
    client.force_login(coordinator)


def test_search_finds_words_in_title_or_summary_in_any_case(client, coordinator_a, nt_round):
    found_and_other(client, coordinator_a, nt_round, "Møteplass", "Eit nytt sentrum for ungdom.", other="Bustad")
    assert titles(get(client, "list", q="SENTRUM")) == ["Møteplass 01"]
    assert titles(get(client, "list", q="ungdom møteplass")) == ["Møteplass 01"]
    assert titles(get(client, "list", q="ungdom bustad")) == []
    assert titles(get(client, "list", q="bustad")) == ["Bustad 01"]


def test_search_finds_a_case_number(client, cases, officer):
    application = cases["levanger"][0]
    client.force_login(officer)
    assert titles(get(client, "list", q=application.case_number)) == ["Levanger 01"]


def test_search_of_projects_reads_the_applications_summary_and_of_payments_and_reports_the_project_title(
    client, nt_projects, coordinator_a
):
    assert "folk" in nt_projects[1].application.summary
    data.draft_reports(nt_projects, coordinator=coordinator_a)
    data.payments(nt_projects[1], 1, coordinator=coordinator_a)
    client.force_login(coordinator_a)
    assert len(titles(get(client, "project_list", q="folk"))) == 3
    assert titles(get(client, "project_list", q="prosjekt 02")) == ["Prosjekt 02"]
    assert set(titles(get(client, "report_list", q="prosjekt 02"))) == {"Prosjekt 02"}
    assert titles(get(client, "payment_register", q="prosjekt 02")) == ["Prosjekt 02"]
    assert titles(get(client, "payment_register", q="prosjekt 03")) == []


def test_norwegian_full_text_search_on_postgresql(on_postgres, client, coordinator_a, nt_round):
    """Stemmed words and word starts: "kommunen" finds "kommunane", "steink" finds "Steinkjer"."""
    summary = "Samarbeid mellom kommunane om bustader."
    found_and_other(client, coordinator_a, nt_round, "Attraktive Steinkjer", summary, other="Anna")
    assert titles(get(client, "list", q="kommunen")) == ["Attraktive Steinkjer 01"]
    assert titles(get(client, "list", q="bustad")) == ["Attraktive Steinkjer 01"]
    assert titles(get(client, "list", q="steink")) == ["Attraktive Steinkjer 01"]
    assert titles(get(client, "list", q="kommunen & | ! :* ('")) == ["Attraktive Steinkjer 01"]


# Paging


def test_pages_keep_the_filters_and_the_sort(client, coordinator_a, nt_round):
    data.applications(27, by=coordinator_a, municipality=data.steinkjer(), funding_round=nt_round)
    client.force_login(coordinator_a)
    first = get(client, "list", status="submitted", sorter="-amount")
    assert first.context["page"].paginator.num_pages == 2
    html = first.content.decode()
    assert re.search(r'href="\?[^"]*status=submitted[^"]*sorter=-amount[^"]*side=2"', html) or re.search(
        r'href="\?[^"]*sorter=-amount[^"]*status=submitted[^"]*side=2"', html
    )
    second = get(client, "list", status="submitted", sorter="-amount", side=2)
    assert titles(second) == ["Søknad 02", "Søknad 01"]


# Bad input never gives a server error.


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(
    "params",
    [
        {"sorter": "nonsense"},
        {"sorter": "-"},
        {"sorter": "--title"},
        {"side": "abc"},
        {"side": "99999"},
        {"side": "-1"},
        {"status": "no-such-status"},
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"county": "abc"},
        {"lead_municipality": "abc"},
        {"kommune": "1' OR 1=1"},
        {"themes": "-5"},
        {"kind": "both"},
        {"q": "x" * 500},
        {"q": "'\"&|!:*()<>\\"},
        {"q": "\x00"},
        {"format": "pdf"},
    ],
)
def test_bad_input_gives_a_page_not_an_error(client, mr_project, coordinator_other_county, ministry, name, params):
    data.payments(mr_project, 1, coordinator=coordinator_other_county)
    client.force_login(ministry)
    response = get(client, name, **params)
    assert response.status_code == 200
    assert response.context["page"].paginator.count >= 1


def test_a_bad_filter_value_is_named_beside_its_field_and_the_rest_still_filters(client, cases, officer):
    english(client, officer)
    response = get(client, "list", status="no-such-status", q="Levanger")
    assert response.context["filter"].form.errors["status"]
    assert titles(response) == ["Levanger 01"]
    assert "Select a valid choice" in response.content.decode()


# Queries: a fixed number, whatever the number of rows.


# The session, the person, their memberships (for access and for the menu), the count, the page's rows, the
# filters' choices (one query for all), saving the session (3: it is saved on every request). The payment
# register adds one for its totals.
PAGE_QUERIES = 10


def queries_for(client, django_assert_max_num_queries, url, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
        assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("role", ["ministry", "officer", "coordinator_a"])
def test_the_application_list_costs_the_same_queries_for_3_and_30_rows(
    request, client, coordinator_a, nt_round, django_assert_max_num_queries, role
):
    client.force_login(request.getfixturevalue(role))
    url = reverse("applications:list")
    data.applications(3, by=coordinator_a, municipality=data.steinkjer(), funding_round=nt_round)
    few = queries_for(client, django_assert_max_num_queries, url, PAGE_QUERIES)
    data.applications(27, by=coordinator_a, municipality=data.steinkjer(), funding_round=nt_round, start=4)
    assert queries_for(client, django_assert_max_num_queries, url, PAGE_QUERIES) == few


def test_the_project_and_report_lists_cost_the_same_queries_for_3_and_30_rows(
    client, coordinator_a, officer, decider, nt_round, django_assert_max_num_queries
):
    client.force_login(officer)
    made = data.steinkjer_projects(
        3, coordinator=coordinator_a, officer=officer, decider=decider, funding_round=nt_round
    )
    data.draft_reports(made, coordinator=coordinator_a)
    urls = [reverse("applications:project_list"), reverse("applications:report_list")]
    few = [queries_for(client, django_assert_max_num_queries, url, PAGE_QUERIES) for url in urls]
    made = data.steinkjer_projects(
        27, coordinator=coordinator_a, officer=officer, decider=decider, funding_round=nt_round, start=4
    )
    data.draft_reports(made, coordinator=coordinator_a)
    assert [queries_for(client, django_assert_max_num_queries, url, PAGE_QUERIES) for url in urls] == few


def test_the_payment_register_costs_the_same_queries_for_3_and_30_rows(
    client, nt_projects, coordinator_a, officer, django_assert_max_num_queries
):
    client.force_login(officer)
    url = reverse("applications:payment_register")
    data.payments(nt_projects[0], 3, coordinator=coordinator_a)
    few = queries_for(client, django_assert_max_num_queries, url, PAGE_QUERIES + 1)
    data.payments(nt_projects[1], 27, coordinator=coordinator_a)
    assert Payment.objects.count() == 30
    assert queries_for(client, django_assert_max_num_queries, url, PAGE_QUERIES + 1) == few
    assert ProgressReport.objects.count() == 2


# In a browser: every list, sorted, filtered and on its second page, passes axe (WCAG 2.1 A/AA) at 1280 and 320 px.


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_four_lists_pass_axe_sorted_filtered_and_paged(page: Any, demo: None) -> None:  # noqa: F811
    people = get_user_model().objects.in_bulk(
        ["k1702.koordinator", "nt.saksbehandlar", "nt.leiar"], field_name="username"
    )
    coordinator, officer, decider = people["k1702.koordinator"], people["nt.saksbehandlar"], people["nt.leiar"]
    nt_round = data.round_for("17")
    data.applications(26, by=coordinator, municipality=data.steinkjer(), funding_round=nt_round)
    made = data.steinkjer_projects(
        2, coordinator=coordinator, officer=officer, decider=decider, funding_round=nt_round, start=30
    )
    data.draft_reports(made[1:], coordinator=coordinator)
    data.payments(made[0], 2, coordinator=coordinator)
    log_in(page, "departementet", reverse("reporting:national"))
    for name in LISTS:
        url = reverse(f"applications:{name}")
        page.goto(url)
        check_page(page)
        page.locator("main thead th a").first.click()
        page.wait_for_url(re.compile(r"sorter="))
        check_page(page)
        page.locator("main thead th[aria-sort] a").click()  # the other way
        page.wait_for_url(re.compile(r"sorter=-"))
        check_page(page)
        page.goto(f"{url}?status=nonsense&year=x&q=steinkjer")  # errors shown beside their fields
        check_page(page)
    page.goto(reverse("applications:list") + "?side=2&sorter=-amount")
    check_page(page)
