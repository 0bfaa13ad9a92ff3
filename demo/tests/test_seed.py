from django.contrib.auth import get_user_model
from django.core.management import call_command

from demo.people import DEMO_PASSWORD, DEMO_PEOPLE, DEMO_TOTP_SECRET
from demo.seed import demo_seed
from programmes.models import Membership


def test_demo_people_exist_for_every_role_in_three_counties_with_known_passwords(db):
    demo_seed(national=False)
    users = get_user_model().objects
    for person in DEMO_PEOPLE:
        assert users.get(username=person.username).check_password(DEMO_PASSWORD)
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {role.value for role in Membership.Role}
    counties = set(Membership.objects.filter(county__isnull=False).values_list("county__name", flat=True))
    assert {"Nord-Trøndelag", "Møre og Romsdal", "Finnmark"} <= counties
    kommune_counties = set(Membership.objects.values_list("municipality__county__name", flat=True))
    assert {"Nord-Trøndelag", "Møre og Romsdal", "Finnmark"} <= kommune_counties
    assert users.get(username="admin").is_superuser


def test_seeding_twice_adds_nothing(db):
    demo_seed(national=False)
    counts = (get_user_model().objects.count(), Membership.objects.count())
    call_command("seed_demo", "--quiet", "--no-national")
    assert (get_user_model().objects.count(), Membership.objects.count()) == counts


def test_scale_grows_the_data_deterministically(db):
    from demo.people import scaled_people

    demo_seed(national=False)
    first, again = scaled_people(scale=2, seed=7), scaled_people(scale=2, seed=7)
    assert first == again
    assert first != scaled_people(scale=2, seed=8)
    assert scaled_people(scale=1, seed=7) == []
    demo_seed(scale=2, seed=7, national=False)
    coordinators = set(Membership.objects.filter(role="coordinator").values_list("user__username", flat=True))
    assert {p.username for p in first if p.roles[0][0] == "coordinator"} <= coordinators
    assert Membership.objects.filter(role="case_officer").values("county").distinct().count() == 18


def test_demo_has_applications_in_every_state_in_the_three_demo_counties(db):
    from applications.models import Application

    demo_seed(national=False)
    for county in ("Nord-Trøndelag", "Møre og Romsdal", "Finnmark"):
        states = set(Application.objects.filter(funding_round__county__name=county).values_list("status", flat=True))
        assert states == {status.value for status in Application.Status}, county


def test_seed_demo_prints_the_logins(db, capsys):
    call_command("seed_demo", "--no-national")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for person in DEMO_PEOPLE:
        assert person.username in out
    # Staff and admin are asked for a code: the logins say how to get it.
    assert "make demo-code" in out and "demo_totp" in out and DEMO_TOTP_SECRET in out


def test_the_demo_commands_explain_themselves(capsys):
    """`manage.py help seed_demo`: argparse formats the help, which must be a plain string by then."""
    from django.core.management import ManagementUtility
    from django.utils import translation

    explained = {
        "seed_demo": ("Make the demo data", "--scale", "--seed", "--no-national", "--quiet", "Grow the data N times"),
        "demo_totp": ("Print the current code",),
    }
    for command, words in explained.items():
        with translation.override("en"):
            ManagementUtility(["manage.py", "help", command]).execute()
        out = " ".join(capsys.readouterr().out.split())
        assert out.startswith(f"usage: manage.py {command}")
        for word in words:
            assert word in out, (command, word)
