import datetime

from django.core.management import call_command

from programmes.models import County, Municipality, MunicipalityChange
from programmes.services import refdata_load

DAY_2010 = datetime.date(2010, 1, 1)
DAY_2024 = datetime.date(2024, 6, 1)


def test_2010_has_19_fylke_of_which_18_county_authorities(db):
    counties = County.objects.valid_on(DAY_2010)
    assert counties.count() == 19
    assert counties.filter(is_county_authority=True).count() == 18
    assert not counties.get(number="03").is_county_authority  # Oslo


def test_2010_has_430_kommunar(db):
    assert Municipality.objects.valid_on(DAY_2010).count() == 430


def test_2024_has_15_fylke_and_357_kommunar(db):
    assert County.objects.valid_on(DAY_2024).count() == 15
    assert Municipality.objects.valid_on(DAY_2024).count() == 357


def test_every_2024_kommune_has_its_language_form_and_population(db):
    current = Municipality.objects.filter(valid_to__isnull=True)
    assert not current.filter(language_form="").exists()
    assert not current.filter(population__isnull=True).exists()
    assert current.get(number="4640").language_form == "nynorsk"  # Sogndal


def test_mosvik_is_followed_through_inderoy_to_its_2024_successor(db):
    mosvik = Municipality.objects.get(number="1723")
    assert mosvik.valid_to == datetime.date(2011, 12, 31)
    [inderoy_2012] = mosvik.successors.all()
    assert (inderoy_2012.number, inderoy_2012.name) == ("1756", "Inderøy")
    [inderoy_2024] = inderoy_2012.successors.all()
    assert (inderoy_2024.number, inderoy_2024.name) == ("5053", "Inderøy")
    assert [m.number for m in mosvik.current_successors()] == ["5053"]


def test_a_split_kommune_has_two_successors(db):
    alesund_2020 = Municipality.objects.get(number="1507")
    assert sorted(m.number for m in alesund_2020.current_successors()) == ["1508", "1580"]


def test_a_merger_under_an_old_number_and_name_is_a_new_version_as_ssb_counts_it(db):
    old, new = Municipality.objects.filter(number="1103")  # ordered oldest first, as the model says
    assert old.valid_to == datetime.date(2019, 12, 31)
    assert new.valid_from == datetime.date(2020, 1, 1) and new.valid_to is None
    assert set(new.predecessors.values_list("number", flat=True)) == {"1103", "1141", "1142"}  # Finnøy, Rennesøy


def test_every_2010_kommune_leads_to_a_2024_kommune(db):
    current = set(Municipality.objects.filter(valid_to__isnull=True).values_list("pk", flat=True))
    for municipality in Municipality.objects.valid_on(DAY_2010).prefetch_related("successors"):
        successors = municipality.current_successors()
        assert successors, municipality
        assert {m.pk for m in successors} <= current


def test_a_fylke_is_valid_while_its_kommunar_are(db):
    nord_trondelag = County.objects.get(number="17")
    assert nord_trondelag.valid_to == datetime.date(2017, 12, 31)
    assert County.objects.get(number="50").valid_from == datetime.date(2018, 1, 1)


def test_loading_again_changes_nothing(db):
    before = (County.objects.count(), Municipality.objects.count(), MunicipalityChange.objects.count())
    refdata_load()
    call_command("load_refdata", verbosity=0)
    assert (County.objects.count(), Municipality.objects.count(), MunicipalityChange.objects.count()) == before


def test_loading_mends_a_changed_row(db):
    Municipality.objects.filter(number="1702", valid_from__isnull=True).update(name="Feil")
    refdata_load()
    assert Municipality.objects.get(number="1702", valid_from__isnull=True).name == "Steinkjer"
