"""Every role against objects of its own kommune or county, another kommune of the same county, and another
county: pages answer 200, 403 or 404, and the permission functions agree."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from conftest import county, kommune
from programmes import permissions
from programmes.models import CountyFrame
from programmes.tests.factories import MunicipalRoundFactory

# Named here so the tests that fetch people by name run before the transactional ones, which empty the
# database afterwards.
pytestmark = pytest.mark.django_db

ROLES = ["coordinator_a", "officer", "decider", "ministry", "nobody"]

# Kommune A is Steinkjer; B is Levanger in the same county (Nord-Trøndelag); the other county is Møre og Romsdal.
TARGETS = {
    "kommune_own": ("page", "reporting:municipality", lambda: kommune("1702")),
    "kommune_same_county": ("page", "reporting:municipality", lambda: kommune("1719")),
    "kommune_other_county": ("page", "reporting:municipality", lambda: kommune("1504")),
    "county_own": ("page", "reporting:county", lambda: county("17")),
    "county_other": ("page", "reporting:county", lambda: county("15")),
    "round_own_county": ("page", "programmes:round_detail", lambda: MunicipalRoundFactory(county=county("17"))),
    "round_other_county": ("page", "programmes:round_detail", lambda: MunicipalRoundFactory(county=county("15"))),
    "round_change_own_county": ("change_round", None, lambda: MunicipalRoundFactory(county=county("17"))),
    "round_change_other_county": ("change_round", None, lambda: MunicipalRoundFactory(county=county("15"))),
    "frame_own_county": ("frame", None, lambda: CountyFrame.objects.get(county__number="17")),
    "frame_other_county": ("frame", None, lambda: CountyFrame.objects.get(county__number="15")),
}

#                         coordinator_a officer decider ministry nobody
EXPECTED = {
    "kommune_own":               (200, 200, 200, 200, 404),
    "kommune_same_county":       (404, 200, 200, 200, 404),
    "kommune_other_county":      (404, 404, 404, 200, 404),
    "county_own":                (404, 200, 200, 200, 404),
    "county_other":              (404, 404, 404, 200, 404),
    "round_own_county":          (200, 200, 200, 200, 404),
    "round_other_county":        (404, 404, 404, 200, 404),
    "round_change_own_county":   (403, 200, 403, 403, 404),
    "round_change_other_county": (404, 404, 404, 403, 404),
    "frame_own_county":          (404, 200, 200, 200, 404),
    "frame_other_county":        (404, 404, 404, 200, 404),
}  # fmt: skip


def outcome(function, *args, **kwargs) -> int:
    try:
        function(*args, **kwargs)
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    return 200


CELLS = [(role, target, EXPECTED[target][ROLES.index(role)]) for target in TARGETS for role in ROLES]


@pytest.mark.parametrize(("role", "target", "expected"), CELLS, ids=[f"{r}-{t}" for r, t, _e in CELLS])
def test_access_matrix(request, client, role, target, expected):
    user = request.getfixturevalue(role)
    kind, url_name, make = TARGETS[target]
    obj = make()
    if kind == "page":
        client.force_login(user)
        assert client.get(reverse(url_name, args=[obj.pk])).status_code == expected
    elif kind == "change_round":
        assert outcome(permissions.get_round_for_user, user, obj.pk, write=True) == expected
    else:
        assert outcome(permissions.get_frame_for_user, user, obj.pk) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("ministry", 200), ("officer", 403), ("decider", 403), ("coordinator_a", 403), ("nobody", 403)],
)
def test_only_the_ministry_opens_the_national_overview(request, client, role, expected):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("reporting:national")).status_code == expected


@pytest.mark.parametrize(
    ("url_name", "args"),
    [
        ("reporting:national", []),
        ("reporting:county", [1]),
        ("reporting:municipality", [1]),
        ("programmes:round_list", []),
        ("programmes:round_detail", [1]),
        ("start", []),
    ],
)
def test_anonymous_is_sent_to_login(client, db, url_name, args):
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_unknown_ids_answer_404_like_another_partys(client, ministry):
    client.force_login(ministry)
    assert client.get(reverse("reporting:county", args=[999_999])).status_code == 404
    assert client.get(reverse("reporting:municipality", args=[999_999])).status_code == 404


def test_lists_are_scoped(officer, coordinator_a, ministry, nobody):
    own, other = MunicipalRoundFactory(county=county("17")), MunicipalRoundFactory(county=county("15"))
    visible = {
        user: set(permissions.rounds_visible_to(user).values_list("pk", flat=True))
        for user in (officer, coordinator_a, ministry, nobody)
    }
    assert own.pk in visible[officer] and other.pk not in visible[officer]
    assert own.pk in visible[coordinator_a] and other.pk not in visible[coordinator_a]
    assert {own.pk, other.pk} <= visible[ministry]
    assert visible[nobody] == set()
    # Coordinators see their county's rounds, not the national start-up round; county staff see both.
    startup = CountyFrame.objects.get(county__number="17").funding_round_id
    assert startup in visible[officer] and startup not in visible[coordinator_a]

    assert set(permissions.counties_visible_to(officer).values_list("number", flat=True)) == {"17"}
    assert permissions.counties_visible_to(ministry).count() == 18 + 3 + 11  # every county authority, any year
    kommunar = permissions.municipalities_visible_to(officer)
    assert kommunar.filter(number="1702").exists() and not kommunar.filter(number="1504").exists()
    assert list(permissions.municipalities_visible_to(coordinator_a).values_list("number", flat=True)) == ["1702"]


def test_the_round_list_shows_only_what_the_person_may_see(client, officer):
    MunicipalRoundFactory(county=county("17"), name="Nord-Trøndelag 2011")
    MunicipalRoundFactory(county=county("15"), name="Møre og Romsdal 2011")
    client.force_login(officer)
    page = client.get(reverse("programmes:round_list")).content.decode()
    assert "Nord-Trøndelag 2011" in page and "Møre og Romsdal 2011" not in page


def test_an_inactive_membership_gives_no_access(client, officer):
    officer.memberships.update(is_active=False)
    client.force_login(officer)
    assert client.get(reverse("reporting:county", args=[county("17").pk])).status_code == 404
