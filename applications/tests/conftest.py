"""Applications at each step of the grant cycle, reached through the services, for the people of the root conftest.

Service messages are compared in English: the tests activate English, as a person who chose it would see.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from applications import services
from applications.models import Project
from applications.tests import factories
from conftest import kommune
from programmes.tests.factories import MunicipalRoundFactory


@pytest.fixture(scope="module")
def reference_data_put_back(django_db_blocker):
    """A transactional test empties the database when it ends, after its own fixtures are gone; this wider
    fixture ends later and puts the session's reference data and programme back for the tests that follow."""
    from programmes.services import programme_setup_luk, refdata_load

    yield
    with django_db_blocker.unblock():
        refdata_load()
        programme_setup_luk()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def nt_round(db):
    """An open round for the kommunar of Nord-Trøndelag."""
    return MunicipalRoundFactory()


@pytest.fixture
def draft(coordinator_a, nt_round):
    """A complete draft from Steinkjer (kommune A) with Levanger (kommune B) as partner kommune."""
    return factories.make_draft(
        by=coordinator_a,
        municipality=kommune("1702"),
        funding_round=nt_round,
        partner_municipalities=[kommune("1719")],
    )


@pytest.fixture
def submitted(draft, coordinator_a):
    return factories.submit(draft, by=coordinator_a)


@pytest.fixture
def in_review(submitted, coordinator_a, officer):
    return factories.take(submitted, coordinator=coordinator_a, officer=officer)


@pytest.fixture
def returned(in_review, officer):
    """Submitted, then returned for changes by the county's case officer: the kommune edits it again, and the
    county, which has had it, still sees it."""
    from applications import services

    services.application_return(application=in_review, by=officer, message="Skriv meir om budsjettet.")
    in_review.refresh_from_db()
    return in_review


@pytest.fixture
def recommended(in_review, coordinator_a, officer):
    """Recommended for approval with 250 000 kr by the county's case officer."""
    factories.recommend(in_review, coordinator=coordinator_a, officer=officer, amount=250_000)
    in_review.refresh_from_db()
    return in_review


@pytest.fixture
def approved(recommended, decider):
    """Approved with 250 000 kr by the county's decision-maker (letters and e-mails not yet run)."""
    from applications import services

    services.decision_make(
        application=recommended,
        by=decider,
        outcome="approve",
        amount=250_000,
        reasons="Prosjektet svarar godt på resultatmåla.",
        conditions="Rapport kvart halvår.",
    )
    recommended.refresh_from_db()
    return recommended


# The project tests' projects (test_projects_lifecycle, _reports, _changes).


@pytest.fixture
def project(approved) -> Project:
    return factories.project_of(approved)


@pytest.fixture
def planned(project, coordinator_a) -> Project:
    """The project with an indicator for its one result goal."""
    factories.indicators_add(project, by=coordinator_a)
    return project


@pytest.fixture
def two_lines(coordinator_a, officer, decider, nt_round) -> Project:
    """A project whose budget has two lines: personnel 300 000 and events 100 000."""
    application = factories.make_draft(by=coordinator_a, municipality=kommune("1702"), funding_round=nt_round)
    services.application_save_draft(
        application=application,
        by=coordinator_a,
        fields={},
        budget_lines=[
            {
                "pk": application.budget_lines.get().pk,
                "category": "personnel",
                "description": "Prosjektleiar",
                "amount": 300_000,
            },
            {"category": "events", "description": "Verkstader", "amount": 100_000},
        ],
    )
    factories.approve(application, coordinator=coordinator_a, officer=officer, decider=decider)
    return factories.project_of(application)
