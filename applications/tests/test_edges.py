"""Edges found in review: what another county may glimpse, internal words, and inputs that must not give a 500."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications import services
from applications.tests import factories
from conftest import kommune

pytestmark = pytest.mark.django_db


def test_a_kommune_page_lists_only_the_cases_the_reader_may_see(client, coordinator_other_county, officer):
    secret = factories.make_draft(
        by=coordinator_other_county,
        municipality=kommune("1504"),
        partner_municipalities=[kommune("1702")],
        title="Hemmeleg frå Møre og Romsdal",
    )
    client.force_login(officer)
    assert client.get(reverse("applications:detail", args=[secret.pk])).status_code == 404
    page = client.get(reverse("reporting:municipality", args=[kommune("1702").pk])).content.decode()
    assert "Hemmeleg frå Møre og Romsdal" not in page


def test_the_decision_makers_word_to_the_officer_stays_with_the_county(
    client, recommended, decider, officer, coordinator_a
):
    services.decision_make(
        application=recommended, by=decider, outcome="send_back", reasons="Sjekk budsjettet mot rammene igjen."
    )
    url = reverse("applications:detail", args=[recommended.pk])
    client.force_login(officer)
    assert "Sjekk budsjettet mot rammene igjen." in client.get(url).content.decode()
    client.force_login(coordinator_a)
    assert "Sjekk budsjettet mot rammene igjen." not in client.get(url).content.decode()


def test_a_project_longer_than_ten_years_cannot_be_submitted(draft, coordinator_a):
    services.application_save_draft(
        application=draft,
        by=coordinator_a,
        fields={"period_end": draft.period_start + datetime.timedelta(days=11 * 366)},
    )
    with pytest.raises(ValidationError) as refused:
        services.application_submit(application=draft, by=coordinator_a)
    assert "period_end" in refused.value.message_dict


def test_a_date_in_year_9999_gets_a_message_on_the_form(client, draft, coordinator_a):
    from applications.forms import ApplicationForm

    form = ApplicationForm(
        data={"title": "x", "period_start": "2026-01-01", "period_end": "9999-12-31"}, instance=draft
    )
    assert not form.is_valid()
    assert form.errors["period_end"]


def test_an_extension_beyond_ten_years_is_refused(approved, coordinator_a):
    project = approved.project
    with pytest.raises(ValidationError) as refused:
        services.change_request_create(
            project=project,
            by=coordinator_a,
            kind="extend",
            reasons="Lenger",
            new_period_end=datetime.date(9999, 12, 31),
        )
    assert "new_period_end" in refused.value.message_dict


def test_a_huge_indicator_value_is_a_message_not_a_server_error(client, approved, coordinator_a):
    project = approved.project
    factories.indicators_add(project, by=coordinator_a)
    report = services.report_create(project=project, by=coordinator_a)
    indicator = project.indicators.first()
    client.force_login(coordinator_a)
    response = client.post(
        reverse("applications:report_edit", args=[report.pk]),
        {f"value_{indicator.pk}": "100000000000000000000", "save": "1"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors[f"value_{indicator.pk}"]


def test_a_county_that_is_not_a_number_answers_404(client, officer):
    client.force_login(officer)
    assert client.post(reverse("applications:plan_new"), {"county": "abc"}).status_code == 404
