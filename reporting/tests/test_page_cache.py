"""The dashboards' figures and work queues are kept while the data is unchanged, and made again at once when it
changes (luk_portal/data_version.py)."""

from __future__ import annotations

import datetime
import re

from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.tests import factories
from conftest import county, kommune
from luk_portal import data_version
from programmes.models import CountyFrame
from programmes.selectors import programme_current

from .test_dashboards import county_url, national_url


def page(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # Each response masks the form's CSRF token afresh; the rest is what is compared.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode()), len(queries)


def frames_total(html: str) -> str:
    """The key figure "Frames" as the national dashboard shows it."""
    return html.split("Rammer</dt>", 1)[1].split("</dd>", 1)[0]


def test_the_national_figures_are_kept_until_a_case_moves(client, ministry, project, coordinator_b, nt_round):
    first, made = page(client, ministry, national_url())
    again, kept = page(client, ministry, national_url())
    assert again == first
    assert kept < made - 10  # none of the sums is read again
    factories.submit(
        factories.make_draft(by=coordinator_b, municipality=kommune("1719"), funding_round=nt_round), by=coordinator_b
    )
    after, remade = page(client, ministry, national_url())
    assert after != first and remade > kept + 10  # the sums are read again


def test_a_row_written_in_bulk_is_seen_at_once(client, ministry, project):
    before, _ = page(client, ministry, national_url())
    assert "18\u00a0000\u00a0000\u00a0kr" in frames_total(before)
    # bulk_create writes no history row and sends no signal: the table's highest id is what changes.
    CountyFrame.objects.bulk_create(
        [
            CountyFrame(
                programme=programme_current(), county=county("17"), amount=500_000, granted_on=datetime.date(2011, 1, 3)
            )
        ]
    )
    after, _ = page(client, ministry, national_url())
    assert "18\u00a0500\u00a0000\u00a0kr" in frames_total(after)


def test_each_person_has_their_own_work_queue(client, officer, officer_other_county, project, coordinator_b, nt_round):
    waiting = factories.submit(
        factories.make_draft(by=coordinator_b, municipality=kommune("1719"), funding_round=nt_round), by=coordinator_b
    )
    link = f'href="{reverse("applications:detail", args=[waiting.pk])}"'
    client.cookies["luk_language"] = "en"
    own, _ = page(client, officer, county_url())
    other, _ = page(client, officer_other_county, county_url("15"))
    assert link in own.split("Submitted applications to take", 1)[1] and link not in other
    # Taken by the officer, it moves from the cases to take to the officer's cases in review at once.
    factories.take(waiting, coordinator=coordinator_b, officer=officer)
    taken, _ = page(client, officer, county_url())
    assert "Submitted applications to take" not in taken
    assert link in taken.split("Your cases in review", 1)[1]


def test_the_language_has_its_own_figures(client, ministry, project):
    nynorsk, _ = page(client, ministry, national_url())
    client.cookies["luk_language"] = "en"
    english, _ = page(client, ministry, national_url())
    assert "Rammer</dt>" in nynorsk and "Frames</dt>" in english


def test_nothing_is_kept_when_the_time_is_zero(client, ministry, project, settings):
    page(client, ministry, national_url())
    _, kept = page(client, ministry, national_url())
    settings.DASHBOARD_CACHE_SECONDS = 0
    _, made = page(client, ministry, national_url())
    _, again = page(client, ministry, national_url())
    assert again == made > kept + 10  # every sum read again, each time


def test_the_stamp_is_one_query_over_every_table_of_the_data(django_assert_num_queries, db):
    with django_assert_num_queries(1) as captured:
        data_version.data_stamp()
    sql = captured.captured_queries[0]["sql"]
    tables = [
        model._meta.db_table
        for label in data_version.STAMPED_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    assert len(tables) > 30 and all(f'FROM "{table}"' in sql for table in tables)


def test_a_kept_page_carries_a_token_that_is_good_for_its_forms(officer, project):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(officer)
    browser.get(county_url())
    kept = browser.get(county_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', kept).group(1)
    assert token in kept and kept.count(token) == kept.count("csrfmiddlewaretoken")
    asked = {"kind": "county", "target": county("17").pk, "language": "xx", "next": county_url()}
    refused = browser.post(reverse("reporting:ask"), {**asked, "csrfmiddlewaretoken": "wrong" * 8})
    assert refused.status_code == 403
    # With the kept page's token the form is taken (and, the language being wrong, sent back with a message).
    response = browser.post(reverse("reporting:ask"), {**asked, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response.url == county_url()


def test_a_message_is_shown_once_on_a_kept_page(client, officer, project):
    client.cookies["luk_language"] = "en"
    client.force_login(officer)
    client.get(county_url())
    asked = {"kind": "county", "target": county("17").pk, "language": "xx", "next": county_url()}
    shown = client.post(reverse("reporting:ask"), asked, follow=True).content.decode()
    assert "The report could not be asked for" in shown
    assert "The report could not be asked for" not in client.get(county_url()).content.decode()


def test_a_kept_page_is_the_persons_own(client, officer, decider, project):
    officer_page, _ = page(client, officer, county_url())
    decider_page, _ = page(client, decider, county_url())
    for user, html, other in ((officer, officer_page, decider), (decider, decider_page, officer)):
        assert (user.get_full_name() or user.get_username()) in html
        assert (other.get_full_name() or other.get_username()) not in html


def test_the_dashboards_answer_when_the_cache_cannot_be_reached(client, ministry, officer, project, settings):
    # Nothing listens on port 9: every read and write of the cache fails at once.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    national, _ = page(client, ministry, national_url())
    county_page, _ = page(client, officer, county_url())
    assert "18\u00a0000\u00a0000\u00a0kr" in frames_total(national) and "Nord-Trøndelag" in county_page


def test_a_change_in_place_is_seen_once_committed(client, ministry, project, django_capture_on_commit_callbacks):
    theme = project.application.themes.first()
    before, _ = page(client, ministry, national_url())
    assert theme.name_nn in before
    # A theme has no history and keeps its id: only the data version, raised on commit, tells of the change.
    # The test's transaction never commits: what the fixtures left waiting for a commit is dropped first.
    connection.run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        theme.name_nn = "Eit nytt namn på temaet"
        theme.save()
        theme.save()
    assert len(callbacks) == 1  # once per transaction
    after, _ = page(client, ministry, national_url())
    assert "Eit nytt namn på temaet" in after


def test_a_placeholder_in_the_address_or_the_data_is_left_as_it_is(client, officer, project):
    client.force_login(officer)
    client.get(county_url())
    page = client.get(county_url(), {"x": "luk-csrf-token-placeholder"}).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert page.count(token) == page.count("csrfmiddlewaretoken")  # only in the forms' token fields
