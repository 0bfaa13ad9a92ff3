"""The decision letter (PDF/A, in the kommune's målform, never changed once kept) and the e-mails each step sends.

Målform from programmes/refdata/kommunar_2024.csv, following each 2010 kommune to its successor today:
Meråker 1711 -> 5034 Meråker is bokmål; Volda 1519 -> 1577 Volda is nynorsk; Steinkjer 1702 -> 5006 Steinkjer
is neutral, so its letters are in nynorsk.
"""

from __future__ import annotations

import hashlib
import io

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from applications import letters, services
from applications.models import CaseEvent, Decision
from applications.tests import factories
from conftest import Role, county, kommune, person
from programmes.models import Municipality
from programmes.selectors import letter_language
from programmes.tests.factories import MunicipalRoundFactory

pytestmark = pytest.mark.django_db

REASONS = "Prosjektet styrkjer samarbeidet mellom næringsliv og kommune."


def letter_bytes(decision: Decision) -> bytes:
    decision.refresh_from_db()
    with decision.letter.open("rb") as handle:
        return handle.read()


def letter_text(pdf: bytes) -> str:
    """The letter's text with every run of whitespace (no-break spaces too) as one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def decide_with_letter(application, *, decider, capture, amount: int = 250_000) -> Decision:
    """Approve, and run what waits for the commit: the letter task (eager in tests) and the e-mails."""
    with capture(execute=True):
        decision = factories.grant(application, decider=decider, amount=amount, reasons=REASONS)
    decision.refresh_from_db()
    return decision


@pytest.fixture
def steinkjer_decision(recommended, decider, django_capture_on_commit_callbacks):
    return decide_with_letter(recommended, decider=decider, capture=django_capture_on_commit_callbacks)


def approved_in(number: str, *, county_number: str, officer, decider, capture) -> Decision:
    coordinator = person(f"coord.{number}", Role.COORDINATOR, kommune(number))
    funding_round = MunicipalRoundFactory(county=county(county_number))
    application = factories.make_draft(by=coordinator, municipality=kommune(number), funding_round=funding_round)
    factories.recommend(application, coordinator=coordinator, officer=officer, amount=250_000)
    return decide_with_letter(application, decider=decider, capture=capture)


# The letter


def test_the_approval_letter_is_a_pdf_a_with_amount_reasons_and_case_number(steinkjer_decision, recommended):
    pdf = letter_bytes(steinkjer_decision)

    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert "/OutputIntents" in catalog
    assert b"pdfaid" in catalog["/Metadata"].get_object().get_data()
    text = letter_text(pdf)
    assert "250 000 kr" in text
    assert REASONS in text
    assert recommended.case_number in text
    assert "Rapport kvart halvår." in text
    assert steinkjer_decision.letter_sha256 == hashlib.sha256(pdf).hexdigest()
    assert CaseEvent.objects.filter(application=recommended, action="letter").count() == 1


def test_a_neutral_kommune_gets_its_letter_in_nynorsk(steinkjer_decision):
    text = letter_text(letter_bytes(steinkjer_decision))

    assert steinkjer_decision.letter_language == "nn"
    assert "tre veker" in text
    assert "klage" in text
    assert " uker " not in text


def test_a_bokmal_kommune_gets_its_letter_in_bokmal(officer, decider, django_capture_on_commit_callbacks):
    decision = approved_in(
        "1711", county_number="17", officer=officer, decider=decider, capture=django_capture_on_commit_callbacks
    )

    text = letter_text(letter_bytes(decision))
    assert decision.letter_language == "nb"
    assert "tre uker" in text
    assert "klage" in text
    assert "veker" not in text
    assert "250 000 kr" in text


def test_a_nynorsk_kommune_in_another_county_gets_its_letter_in_nynorsk(
    officer_other_county, decider_other_county, django_capture_on_commit_callbacks
):
    decision = approved_in(
        "1519",
        county_number="15",
        officer=officer_other_county,
        decider=decider_other_county,
        capture=django_capture_on_commit_callbacks,
    )

    text = letter_text(letter_bytes(decision))
    assert decision.letter_language == "nn"
    assert "tre veker" in text
    assert "Møre og Romsdal" in text


def test_the_letter_language_follows_the_kommunes_successor_today():
    assert letter_language(municipality=kommune("1711")) == "nb"
    assert letter_language(municipality=kommune("1519")) == "nn"
    assert letter_language(municipality=kommune("1702")) == "nn"


def test_a_kommune_of_unknown_malform_gets_nynorsk():
    unknown = Municipality.objects.create(number="1799", name="Prøvekommune", county=county("17"), language_form="")

    assert letter_language(municipality=unknown) == "nn"


def test_a_letter_once_kept_never_changes(steinkjer_decision):
    first = letter_bytes(steinkjer_decision)
    name, digest = steinkjer_decision.letter.name, steinkjer_decision.letter_sha256

    letters.decision_letter_make(decision_id=steinkjer_decision.pk)
    services.decision_letter_store(decision_id=steinkjer_decision.pk, pdf=b"%PDF-1.4 another letter", language="nb")

    steinkjer_decision.refresh_from_db()
    assert (steinkjer_decision.letter.name, steinkjer_decision.letter_sha256) == (name, digest)
    assert steinkjer_decision.letter_language == "nn"
    assert letter_bytes(steinkjer_decision) == first
    assert CaseEvent.objects.filter(application=steinkjer_decision.application, action="letter").count() == 1


def test_a_rejection_letter_gives_the_reasons_and_no_amount(recommended, decider, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decision_make(
            application=recommended, by=decider, outcome="reject", reasons="Prosjektet ligg utanfor satsinga."
        )

    text = letter_text(letter_bytes(decision))
    assert "Prosjektet ligg utanfor satsinga." in text
    assert "250 000 kr" not in text
    assert "tre veker" in text


# Downloading it


def test_the_coordinator_and_the_officer_open_the_letter(client, steinkjer_decision, coordinator_a, officer):
    url = reverse("applications:letter", args=[steinkjer_decision.application_id])
    for user in (coordinator_a, officer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == letter_bytes(steinkjer_decision)


@pytest.mark.parametrize("role", ["officer_other_county", "coordinator_other_county", "nobody"])
def test_outsiders_get_404_for_the_letter(request, client, steinkjer_decision, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("applications:letter", args=[steinkjer_decision.application_id]))

    assert response.status_code == 404


def test_anonymous_is_sent_to_login_for_the_letter(client, steinkjer_decision):
    response = client.get(reverse("applications:letter", args=[steinkjer_decision.application_id]))

    assert response.status_code == 302
    assert response.url.startswith(reverse(settings.LOGIN_URL))


def test_there_is_no_letter_before_the_decision(client, recommended, coordinator_a):
    client.force_login(coordinator_a)

    assert client.get(reverse("applications:letter", args=[recommended.pk])).status_code == 404


# E-mails


def recipients(mailoutbox) -> set[str]:
    return {address for message in mailoutbox for address in message.to}


def test_a_submission_mails_the_countys_case_officers(
    draft, coordinator_a, officer, officer_other_county, decider, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=draft, by=coordinator_a)

    draft.refresh_from_db()
    assert recipients(mailoutbox) == {officer.email}
    assert draft.case_number in mailoutbox[0].subject


def test_a_return_mails_the_lead_kommunes_coordinators_with_the_message(
    in_review, officer, coordinator_a, coordinator_b, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_return(application=in_review, by=officer, message="Legg ved ein tidsplan.")

    assert recipients(mailoutbox) == {coordinator_a.email}
    assert "Legg ved ein tidsplan." in mailoutbox[0].body


def test_a_recommendation_mails_the_decision_makers_but_not_its_author(
    draft, coordinator_a, decider, mailoutbox, django_capture_on_commit_callbacks
):
    author = person("both.nt", Role.CASE_OFFICER, county("17"))
    person("both.nt", Role.DECISION_MAKER, county("17"))
    factories.take(draft, coordinator=coordinator_a, officer=author)

    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_make(application=draft, by=author, outcome="approve", amount=250_000, reasons=REASONS)

    assert recipients(mailoutbox) == {decider.email}


def test_a_decision_mails_the_coordinators(
    recommended, decider, coordinator_a, coordinator_b, officer, mailoutbox, django_capture_on_commit_callbacks
):
    decide_with_letter(recommended, decider=decider, capture=django_capture_on_commit_callbacks)

    assert coordinator_a.email in recipients(mailoutbox)
    assert coordinator_b.email not in recipients(mailoutbox)
    to_coordinator = next(m for m in mailoutbox if coordinator_a.email in m.to)
    assert recommended.case_number in to_coordinator.subject
    assert "250\u00a0000\u00a0kr" in to_coordinator.body


def test_nothing_is_mailed_when_a_step_is_refused(
    draft, coordinator_b, officer, mailoutbox, django_capture_on_commit_callbacks
):
    from luk_portal.errors import NotAllowed

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotAllowed):
        services.application_submit(application=draft, by=coordinator_b)

    assert mailoutbox == []


def test_a_decision_whose_letter_was_never_made_gets_it_when_first_opened(client, approved, coordinator_a):
    """The letter task runs after commit; a decision it never reached (the 2010-2014 demo data) is not stuck."""
    decision = approved.decision
    assert not decision.letter  # the test's transaction never commits, so the task did not run
    client.force_login(coordinator_a)
    response = client.get(reverse("applications:letter", args=[approved.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    decision.refresh_from_db()
    assert decision.letter and decision.letter_sha256
