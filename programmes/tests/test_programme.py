import datetime
import re
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from luk_portal.errors import NotAllowed
from programmes.models import County, CountyAccount, CountyFrame, FundingRound, Membership, Programme, Theme
from programmes.services import frame_grant, programme_setup_luk

SEED = Path(__file__).resolve().parents[1] / "refdata" / "seeds" / "luk-distriktssenteret.txt"


@pytest.fixture
def luk(db):
    return Programme.objects.get(slug="luk")


def test_luk_runs_2010_to_2014_in_the_2010_structure(luk):
    assert (luk.start_year, luk.end_year, luk.structure_year) == (2010, 2014, 2010)


def test_the_five_result_goals_are_the_seed_text_verbatim(luk):
    seed_goals = [
        line.split("•", 1)[1].strip() for line in SEED.read_text(encoding="utf-8").splitlines() if "•" in line
    ]
    assert len(seed_goals) == 5
    assert [goal.text_nn for goal in luk.result_goals.order_by("number")] == seed_goals


def test_result_goals_follow_the_language(luk):
    goal = luk.result_goals.get(number=1)
    with translation.override("nb"):
        assert goal.text.startswith("Flere kommuner")
    with translation.override("en"):
        assert goal.text.startswith("More municipalities")
    with translation.override("nn"):
        assert goal.text.startswith("Fleire kommunar")


def test_luk_has_the_themes_from_the_programme_texts(luk):
    names = set(luk.themes.values_list("name_nn", flat=True))
    assert {
        "Rekruttering",
        "Plan og prosess",
        "Samhandling",
        "Stadutvikling",
        "Mobilisering og frivilligheit",
        "Næringsutvikling",
    } <= names


def test_the_2009_start_up_round_granted_each_county_authority_one_million(luk):
    startup = luk.rounds.get(kind=FundingRound.Kind.STARTUP)
    frames = CountyFrame.objects.filter(funding_round=startup)
    assert frames.count() == 18
    assert set(frames.values_list("amount", flat=True)) == {1_000_000}
    assert startup.budget == 18_000_000
    assert not frames.filter(county__number="03").exists()
    assert {f.granted_on.year for f in frames} == {2009}


def test_setting_up_again_adds_nothing(luk):
    programme_setup_luk()
    assert CountyFrame.objects.count() == 18
    assert Theme.objects.filter(programme=luk).count() == 6
    assert luk.result_goals.count() == 5


def test_frame_history_is_kept(luk):
    frame = CountyFrame.objects.first()
    frame.amount = 1_500_000
    frame.save()
    assert [h.amount for h in frame.history.order_by("history_date")][-2:] == [1_000_000, 1_500_000]


def test_a_municipal_round_needs_a_county_and_others_must_not_have_one(luk):
    round_refused(luk, kind="municipal")
    round_refused(luk, kind="startup", county=County.objects.get(number="17"))


def test_a_round_deadline_comes_after_its_opening(luk):
    round_refused(luk, kind="county_plan", opens_at="2010-02-01T00:00Z", deadline="2010-01-01T00:00Z")


def round_refused(programme, **fields) -> None:
    """The database refuses a round with these fields (the others as a valid round has them)."""
    row = {"name": "x", "budget": 1, "opens_at": "2010-01-01T00:00Z", "deadline": "2010-02-01T00:00Z", **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingRound.objects.create(programme=programme, **row)


def test_a_frame_is_positive_whole_kroner(luk):
    with pytest.raises(IntegrityError), transaction.atomic():
        CountyFrame.objects.create(
            programme=luk, county=County.objects.get(number="17"), amount=0, granted_on="2010-01-01"
        )


@pytest.mark.parametrize(
    ("role", "county", "municipality"),
    [
        ("coordinator", True, False),
        ("case_officer", False, True),
        ("ministry_adviser", True, False),
        ("decision_maker", False, False),
    ],
)
def test_a_membership_place_must_fit_its_role(db, django_user_model, role, county, municipality):
    from conftest import kommune

    user = django_user_model.objects.create_user("x", password="irrelevant-here-123")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=user,
            role=role,
            county=County.objects.get(number="17") if county else None,
            municipality=kommune("1702") if municipality else None,
        )


def test_money_is_shown_as_whole_kroner_with_spaces():
    from luk_portal.formats import format_kroner

    assert format_kroner(1_000_000) == "1\u00a0000\u00a0000\u00a0kr"
    assert format_kroner(0) == "0\u00a0kr"
    assert format_kroner(None) == "–"
    assert re.fullmatch(r"−5\u00a0000\u00a0kr", format_kroner(-5000))


def test_the_start_up_grants_are_the_set_ups_own(luk):
    assert not CountyFrame.objects.filter(granted_by__isnull=False).exists()


def test_only_the_ministry_grants_a_frame_and_the_frame_says_who(luk, ministry, officer):
    county = County.objects.get(number="17")
    with pytest.raises(NotAllowed):
        frame_grant(by=officer, county=county, programme=luk, amount=100_000, granted_on=datetime.date(2010, 1, 4))
    assert CountyAccount.objects.get(county=county, programme=luk).framed == 1_000_000

    frame = frame_grant(by=ministry, county=county, programme=luk, amount=100_000, granted_on=datetime.date(2010, 1, 4))

    assert frame.granted_by == ministry
    assert CountyAccount.objects.get(county=county, programme=luk).framed == 1_100_000
