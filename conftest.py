"""People for every role, reference data loaded once, and guards for tests that need the real stack.

Under CI=true a test that needs PostgreSQL, Redis, a worker or Chromium fails instead of skipping.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.db import connection

from programmes.models import County, Membership, Municipality
from programmes.services import membership_create, programme_setup_luk, refdata_load
from programmes.tests.factories import UserFactory

CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip with a one-line reason where this machine lacks something; under CI, fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must run this test, but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data and the LUK programme, loaded once into the test database."""
    with django_db_blocker.unblock():
        refdata_load()
        programme_setup_luk()


@pytest.fixture
def refdata(transactional_db):
    """For transactional tests, which empty the database afterwards: load it again (idempotent, fast)."""
    refdata_load()
    return programme_setup_luk()


@pytest.fixture
def on_postgres(db):
    require(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    require(bool(url), "needs Redis (set REDIS_URL)")
    return url


@pytest.fixture(scope="session")
def chromium_path():
    require(os.path.exists(CHROMIUM) or bool(shutil.which("chromium")), f"needs Debian's Chromium at {CHROMIUM}")
    return CHROMIUM


def county(number: str) -> County:
    return County.objects.get(number=number)


def kommune(number: str) -> Municipality:
    """The kommune as it was in 2010 (LUK's structure)."""
    return Municipality.objects.get(number=number, valid_from__isnull=True)


def person(username: str, role: str, place: County | Municipality | None = None):
    user = UserFactory(username=username)
    if isinstance(place, Municipality):
        membership_create(user=user, role=role, municipality=place)
    elif isinstance(place, County):
        membership_create(user=user, role=role, county=place)
    else:
        membership_create(user=user, role=role)
    return user


Role = Membership.Role


@pytest.fixture
def coordinator_a(db):
    """Coordinator of kommune A: Steinkjer, Nord-Trøndelag."""
    return person("coord.steinkjer", Role.COORDINATOR, kommune("1702"))


@pytest.fixture
def coordinator_b(db):
    """Coordinator of kommune B: Levanger, the same county as A."""
    return person("coord.levanger", Role.COORDINATOR, kommune("1719"))


@pytest.fixture
def coordinator_other_county(db):
    """Coordinator of Ålesund, Møre og Romsdal."""
    return person("coord.alesund", Role.COORDINATOR, kommune("1504"))


@pytest.fixture
def officer(db):
    """Case officer of Nord-Trøndelag."""
    return person("officer.nt", Role.CASE_OFFICER, county("17"))


@pytest.fixture
def decider(db):
    """Decision-maker of Nord-Trøndelag."""
    return person("decider.nt", Role.DECISION_MAKER, county("17"))


@pytest.fixture
def officer_other_county(db):
    """Case officer of Møre og Romsdal."""
    return person("officer.mr", Role.CASE_OFFICER, county("15"))


@pytest.fixture
def decider_other_county(db):
    """Decision-maker of Møre og Romsdal."""
    return person("decider.mr", Role.DECISION_MAKER, county("15"))


@pytest.fixture
def ministry(db):
    """Ministry adviser."""
    return person("ministry", Role.MINISTRY_ADVISER)


@pytest.fixture
def nobody(db):
    """Logged in, with no membership."""
    return UserFactory(username="nobody")


@pytest.fixture
def celery_worker_process(redis_url, transactional_db):
    """A real Celery worker in its own process, on Redis, using the test database; stopped afterwards.

    Tests that use it commit their data (transactional_db) so the worker can read it.
    """
    import subprocess
    import sys
    import time
    import uuid
    from pathlib import Path

    from django.conf import settings

    from luk_portal.celery import app

    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "luk_portal.settings.base",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    if db["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    name = f"luktest-{uuid.uuid4().hex[:8]}@localhost"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "luk_portal",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
            "-n",
            name,
        ],
        cwd=Path(__file__).resolve().parent,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[name], timeout=1):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the Celery worker did not start", pytrace=False)
        yield process, name
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
