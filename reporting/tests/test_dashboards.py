"""The three dashboards: what each shows, who may see it, and that each reads a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.tests import factories
from conftest import county, kommune
from programmes.models import Theme
from programmes.selectors import programme_current
from reporting import selectors


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def national_url():
    return reverse("reporting:national")


def county_url(number="17"):
    return reverse("reporting:county", args=[county(number).pk])


def kommune_url(number="1702"):
    return reverse("reporting:municipality", args=[kommune(number).pk])


def more_cases(
    *, coordinator_b, coordinator_other_county, officer, decider, officer_other_county, decider_other_county
):
    """More of everything: a second project in the county (Levanger), one in Møre og Romsdal (Ålesund), with a
    report and a payment asked for, and an application waiting to be taken."""
    from applications import services

    levanger = factories.make_draft(by=coordinator_b, municipality=kommune("1719"))
    factories.approve(levanger, coordinator=coordinator_b, officer=officer, decider=decider, amount=280_000)
    alesund = factories.make_draft(by=coordinator_other_county, municipality=kommune("1504"))
    factories.approve(
        alesund,
        coordinator=coordinator_other_county,
        officer=officer_other_county,
        decider=decider_other_county,
        amount=200_000,
    )
    for application, coordinator, officer_ in (
        (levanger, coordinator_b, officer),
        (alesund, coordinator_other_county, officer_other_county),
    ):
        project = factories.project_of(application)
        report = factories.report_approved(project, coordinator=coordinator, officer=officer_)
        services.payment_request(project=project, by=coordinator, report=report, amount=50_000)
    factories.submit(factories.make_draft(by=coordinator_b, municipality=kommune("1719")), by=coordinator_b)


# Access


def test_anonymous_is_sent_to_login_from_every_dashboard(client, db):
    for url in (national_url(), county_url(), kommune_url()):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_national_dashboard_is_the_ministrys_only(client, ministry, officer, decider, coordinator_a):
    assert get(client, ministry, national_url()).status_code == 200
    for user in (officer, decider, coordinator_a):
        assert get(client, user, national_url()).status_code == 403


def test_county_dashboard_is_for_its_staff_and_the_ministry(
    client, ministry, officer, decider, officer_other_county, coordinator_a
):
    for user in (ministry, officer, decider):
        assert get(client, user, county_url()).status_code == 200
    for user in (officer_other_county, coordinator_a):
        assert get(client, user, county_url()).status_code == 404


def test_kommune_page_is_for_its_coordinators_its_county_and_the_ministry(
    client, ministry, officer, coordinator_a, coordinator_b, officer_other_county, coordinator_other_county
):
    for user in (coordinator_a, officer, ministry):
        assert get(client, user, kommune_url()).status_code == 200
    for user in (coordinator_b, officer_other_county, coordinator_other_county):
        assert get(client, user, kommune_url()).status_code == 404


@pytest.mark.parametrize("name", ["reporting:national", "reporting:county", "reporting:municipality"])
def test_dashboards_refuse_post_with_405(client, ministry, name):
    args = {
        "reporting:national": [],
        "reporting:county": [county("17").pk],
        "reporting:municipality": [kommune("1702").pk],
    }
    client.force_login(ministry)
    assert client.post(reverse(name, args=args[name])).status_code == 405


# What they show


def test_national_dashboard_shows_the_reports_figures_per_county_with_links_to_the_lists(client, ministry, project):
    response = get(client, ministry, national_url())
    page = response.content.decode()
    nt = county("17")
    row = next(c for c in response.context["counties"] if c.pk == nt.pk)
    assert (row.frame_total, row.granted, row.projects_count) == (1_000_000, 250_000, 1)
    assert row.free == 750_000 and row.taking_part == 2  # Steinkjer leads, Levanger is a partner
    assert response.context["totals"]["frame_total"] == 18_000_000
    assert f'href="{reverse("reporting:county", args=[nt.pk])}"' in page
    assert f'href="{reverse("applications:project_list")}?county={nt.pk}"' in page
    assert "250\u00a0000\u00a0kr" in page
    assert [row["count"] for row in response.context["project_status"] if row["status"] == "active"] == [1]
    assert len(response.context["charts"]) == 4


def test_national_figures_are_those_of_the_national_report(ministry, project):
    from reporting.report_data import national_report_data

    report = national_report_data(programme=programme_current())
    dashboard = selectors.national_dashboard(programme=programme_current())
    assert [(c.pk, c.frame_total, c.granted, c.paid, c.taking_part) for c in dashboard["counties"]] == [
        (c.pk, c.frame_total, c.granted, c.paid, c.taking_part) for c in report["counties"]
    ]

    def figures(rows):  # without the dashboard's links
        return [{key: value for key, value in row.items() if key not in ("link", "links")} for row in rows]

    assert figures(dashboard["goal_rows"]) == report["goal_rows"] and figures(dashboard["years"]) == report["years"]


def test_todays_structure_sums_nord_and_sor_trondelag_under_trondelag(client, ministry, project):
    response = get(client, ministry, national_url(), structure="2024")
    counties = {c.number: c for c in response.context["counties"]}
    assert "17" not in counties and "16" not in counties
    trondelag = counties["50"]
    assert trondelag.frame_total == 2_000_000  # the frames of Nord- and Sør-Trøndelag
    assert (trondelag.granted, trondelag.projects_count) == (250_000, 1)
    assert counties["46"].frame_total == 2_000_000  # Vestland: Hordaland and Sogn og Fjordane
    assert response.context["totals"]["frame_total"] == 18_000_000
    assert response.context["totals"]["municipality_count"] == sum(
        c.municipality_count for c in selectors.national_dashboard(programme=programme_current())["counties"]
    )


def test_year_and_theme_narrow_the_projects(client, ministry, project):
    theme = project.application.themes.first()
    other = Theme.objects.filter(programme=theme.programme).exclude(pk=theme.pk).first()
    year = project.period_start.year
    shown = get(client, ministry, national_url(), theme=theme.pk, year=year).context
    assert shown["totals"]["projects_count"] == 1 and shown["totals"]["granted"] == 250_000
    listed = client.get(f"{reverse('applications:project_list')}?{shown['totals']['links']['projects']}").context
    assert listed["page"].paginator.count == 1 and shown["totals"]["links"]["payments"] is None
    assert [t.pk for t in shown["themes"]] == [theme.pk]
    hidden = get(client, ministry, national_url(), theme=other.pk).context
    assert hidden["totals"]["projects_count"] == 0 and hidden["totals"]["granted"] == 0
    assert hidden["totals"]["frame_total"] == 18_000_000  # frames are not by theme


@pytest.mark.parametrize("params", [{"year": "x"}, {"theme": "999999"}, {"programme": "abc"}, {"structure": "1905"}])
def test_bad_filters_fall_back_to_the_whole_programme(client, ministry, project, params):
    response = get(client, ministry, national_url(), **params)
    assert response.status_code == 200
    assert response.context["totals"]["projects_count"] == 1


def test_county_dashboard_shows_its_kommunar_and_its_work_queue(
    client, officer, decider, project, coordinator_b, submitted_levanger
):
    response = get(client, officer, county_url())
    page = response.content.decode()
    steinkjer = next(m for m in response.context["municipality_rows"] if m.number == "1702")
    assert (steinkjer.projects_count, steinkjer.granted) == (1, 250_000)
    assert f'href="{reverse("reporting:municipality", args=[steinkjer.pk])}"' in page
    assert f'href="{reverse("applications:project_list")}?lead_municipality={steinkjer.pk}"' in page
    assert f'href="{reverse("applications:detail", args=[submitted_levanger.pk])}"' in page  # a case to take
    assert all(c.county_id == county("17").pk for c in response.context["municipality_rows"])


def test_kommune_page_lists_its_reports_due_with_dates_and_links(client, coordinator_a, project):
    from applications.models import ReportDeadline

    response = get(client, coordinator_a, kommune_url())
    page = response.content.decode()
    due = list(ReportDeadline.objects.filter(project=project))
    assert due and response.context["reports_due"] == sorted(due, key=lambda d: (d.due_on, d.pk))[:50]
    assert f'href="{reverse("applications:project_detail", args=[project.pk])}"' in page
    assert f"{reverse('applications:project_list')}?lead_municipality={kommune('1702').pk}" in page


@pytest.fixture
def more(coordinator_b, coordinator_other_county, officer, decider, officer_other_county, decider_other_county):
    """`more()` makes more_cases with the people of the tests."""
    return lambda: more_cases(
        coordinator_b=coordinator_b,
        coordinator_other_county=coordinator_other_county,
        officer=officer,
        decider=decider,
        officer_other_county=officer_other_county,
        decider_other_county=decider_other_county,
    )


@pytest.fixture
def submitted_levanger(coordinator_b, nt_round):
    return factories.submit(
        factories.make_draft(by=coordinator_b, municipality=kommune("1719"), funding_round=nt_round), by=coordinator_b
    )


# Bounded queries: the same number at two sizes of data


def queries(client, user, url, **params):
    client.force_login(user)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200
    return len(context)


@pytest.mark.parametrize(
    "who, where, params",
    [
        ("ministry", national_url, {}),
        ("ministry", national_url, {"structure": "2024"}),
        ("ministry", national_url, {"year": "2026", "structure": "2010"}),
        ("officer", county_url, {}),
        ("decider", county_url, {"year": "2026"}),
        ("coordinator_a", kommune_url, {}),
        ("officer", kommune_url, {}),
    ],
)
def test_dashboards_read_the_same_number_of_queries_with_more_data(
    request, client, django_assert_max_num_queries, project, more, who, where, params, settings
):
    settings.DASHBOARD_CACHE_SECONDS = 0  # both made afresh: nothing kept from the set-up or from each other
    user = request.getfixturevalue(who)
    small = queries(client, user, where(), **params)
    more()
    url = where()
    client.force_login(user)
    with django_assert_max_num_queries(small):
        assert client.get(url, params).status_code == 200


def test_year_and_theme_narrow_the_years_and_the_result_goals(client, ministry, project, coordinator_a):
    factories.indicators_add(project, by=coordinator_a)
    theme = project.application.themes.first()
    other = Theme.objects.filter(programme=theme.programme).exclude(pk=theme.pk).first()
    whole = get(client, ministry, national_url()).context
    decided = project.application.decision.decided_at.year
    assert sum(row["projects"] for row in whole["years"]) == 1
    chosen = get(client, ministry, national_url(), theme=theme.pk, year=decided).context
    assert [row["year"] for row in chosen["years"]] == [decided] and chosen["years"][0]["projects"] == 1
    figures = [{key: value for key, value in row.items() if key != "link"} for row in chosen["goal_rows"]]
    assert figures == [{key: value for key, value in row.items() if key != "link"} for row in whole["goal_rows"]]
    assert sum(row["indicators"] for row in whole["goal_rows"]) > 0
    hidden = get(client, ministry, national_url(), theme=other.pk).context
    assert sum(row["projects"] + row["applications"] for row in hidden["years"]) == 0
    assert all(row["projects"] == row["indicators"] == 0 for row in hidden["goal_rows"])


def test_every_figure_of_the_years_and_the_result_goals_leads_to_the_cases_it_sums(
    client, ministry, project, coordinator_a, officer
):
    from applications import services

    factories.indicators_add(project, by=coordinator_a)
    report = factories.report_approved(project, coordinator=coordinator_a, officer=officer)
    payment = services.payment_request(project=project, by=coordinator_a, report=report, amount=50_000)
    payment = services.payment_decide(payment=payment, by=officer, approve=True)
    shown = get(client, ministry, national_url()).context
    years, goals = shown["years"], shown["goal_rows"]
    assert sum(row["applications"] for row in years) >= 1 and sum(row["paid"] for row in years) == 50_000

    def listed(name, query):
        response = client.get(f"{reverse(name)}?{query}")
        assert response.status_code == 200
        return response.context

    # A figure of 0 is not a link (there is nothing to follow); every other one lists what it sums.
    for row in years:
        if row["applications"]:
            found = listed("applications:list", row["links"]["applications"])
            assert found["page"].paginator.count == row["applications"]
        if row["projects"]:
            found = listed("applications:project_list", row["links"]["projects"])
            assert found["page"].paginator.count == row["projects"]
        if row["paid"]:
            assert listed("applications:payment_register", row["links"]["payments"])["approved_total"] == row["paid"]
    for row in goals:
        if row["projects"]:
            assert listed("applications:project_list", row["link"])["page"].paginator.count == row["projects"]
    assert any(row["projects"] for row in goals) and any(row["paid"] for row in years)
    page = client.get(national_url()).content.decode()
    assert (
        f"{reverse('applications:payment_register')}?decided_year={payment.decided_at.year}&amp;status=approved" in page
    )


def test_a_kommunes_paid_figure_on_the_county_dashboard_leads_to_its_payments(client, officer, project, coordinator_a):
    from applications import services

    report = factories.report_approved(project, coordinator=coordinator_a, officer=officer)
    payment = services.payment_request(project=project, by=coordinator_a, report=report, amount=40_000)
    services.payment_decide(payment=payment, by=officer, approve=True)
    shown = get(client, officer, county_url()).context
    steinkjer = next(m for m in shown["municipality_rows"] if m.number == "1702")
    assert steinkjer.paid == 40_000
    found = client.get(f"{reverse('applications:payment_register')}?{steinkjer.links['payments']}").context
    assert found["approved_total"] == 40_000
    assert get(client, officer, county_url(), year="2026").context["municipality_rows"][0].links["payments"] is None


def test_every_count_of_the_national_and_county_tables_leads_to_the_cases_it_counts(client, ministry, project, more):
    more()

    def count(name, query):
        return client.get(f"{reverse(name)}?{query}").context["page"].paginator.count

    national = get(client, ministry, national_url()).context
    county_page = get(client, ministry, county_url()).context
    account = county_page["account"]
    assert (
        count("applications:project_list", county_page["county_query"])
        == county_page["municipality_totals"]["projects"]
    )
    paid = client.get(f"{reverse('applications:payment_register')}?{county_page['paid_query']}").context
    assert paid["approved_total"] == account.paid
    checked = 0
    for row in [*national["counties"], *county_page["municipality_rows"], *national["themes"]]:
        if row.applications_count:
            assert count("applications:list", row.links["applications"]) == row.applications_count
            checked += 1
        if row.projects_count:
            assert count("applications:project_list", row.links["projects"]) == row.projects_count
            checked += 1
    for row in national["project_status"]:
        if row["count"]:
            assert count("applications:project_list", row["link"]) == row["count"]
            checked += 1
    totals = national["totals"]
    assert count("applications:list", totals["links"]["applications"]) == totals["applications_count"]
    assert count("applications:project_list", totals["links"]["projects"]) == totals["projects_count"]
    paid = client.get(f"{reverse('applications:payment_register')}?{totals['links']['payments']}")
    assert paid.context["approved_total"] == totals["paid"]
    assert checked >= 10
