"""Cases for the report tests: the grant cycle's fixtures, up to an approved application and its project."""

import pytest

from applications.tests.conftest import (  # noqa: F401 (fixtures)
    approved,
    draft,
    in_review,
    nt_round,
    recommended,
    submitted,
)


@pytest.fixture
def project(approved):  # noqa: F811
    """The project of an approved application from Steinkjer (kommune A), Levanger (B) a partner, 250 000 kr."""
    return approved.project


@pytest.fixture
def unreachable_broker():
    """Tasks are sent to a Redis that does not answer, as when Redis is down (nothing listens on port 9)."""
    from luk_portal.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_url)

    def fresh_connections() -> None:
        # Drop the app's references only: kombu keeps its pools per broker URL, and the other URL's pool must
        # stay open for the tests after this one.
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    fresh_connections()
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.broker_url = saved
        fresh_connections()
