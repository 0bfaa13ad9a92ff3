import pytest
from django.urls import reverse

from programmes.tests.factories import TEST_PASSWORD


def login(client, user):
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_front_page_is_public_and_names_the_programme(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Lokal samfunnsutvikling i kommunane" in response.content.decode()


def test_login_lands_on_the_coordinators_kommune_page(client, coordinator_a):
    response = client.post(
        reverse("account_login"), {"login": coordinator_a.username, "password": TEST_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "reporting:municipality", args=[coordinator_a.memberships.get().municipality_id]
    )
    assert "Steinkjer kommune" in response.content.decode()


def test_officer_lands_on_the_county_page(client, officer):
    response = login(client, officer).get(reverse("start"), follow=True)
    assert "Nord-Trøndelag" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("reporting:county", args=[officer.memberships.get().county_id])


def test_ministry_lands_on_the_national_overview_with_eighteen_start_up_frames(client, ministry):
    response = login(client, ministry).get(reverse("start"), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("reporting:national")
    # Each county authority's frame is 1 000 000 kr, nothing granted yet: frame and free alike.
    assert [(c.frame_total, c.free) for c in response.context["counties"]] == [(1_000_000, 1_000_000)] * 18
    assert page.count("1\u00a0000\u00a0000\u00a0kr") == 2 * 18
    assert "18\u00a0000\u00a0000\u00a0kr" in page


def test_person_with_several_roles_chooses_where_to_start(client, coordinator_a):
    from conftest import kommune
    from programmes.services import membership_create

    membership_create(user=coordinator_a, role="coordinator", municipality=kommune("1721"))
    response = login(client, coordinator_a).get(reverse("start"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Steinkjer" in page and "Verdal" in page


def test_person_without_role_is_told_to_ask_for_one(client, nobody):
    response = login(client, nobody).get(reverse("start"))
    assert response.status_code == 200
    assert response.context["choices"] == []


@pytest.mark.parametrize("name", ["start", "reporting:national", "programmes:round_list"])
def test_wrong_method_is_405(client, ministry, name):
    assert login(client, ministry).post(reverse(name)).status_code == 405
