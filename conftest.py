"""People for every role, reference data loaded once, and guards for tests that need the real stack.

Under CI=true a test that needs PostgreSQL, Redis, a worker or Chromium fails instead of skipping.
"""

from __future__ import annotations

import contextlib
import os
import shutil

import pytest
from django.core.cache import cache
from django.db import connection

from accounts.services import factor_totp_add
from demo.people import DEMO_TOTP_SECRET
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


@pytest.fixture(autouse=True)
def _dashboard_figures_made_afresh(settings):
    """Each test's database rolls back and its ids come round again: what the dashboards kept in one test must
    not be taken for another's (luk_portal/data_version.py). Each test has the cache's keys to itself (its own
    KEY_PREFIX, so this holds for Redis too, without emptying the broker's database)."""
    import uuid

    settings.CACHES = {
        name: {**options, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"} for name, options in settings.CACHES.items()
    }


@pytest.fixture(autouse=True)
def _sign_in_rate_limits_per_test(monkeypatch):
    """allauth counts sign-ins per address in the cache (30 a minute from one address), which outlives each
    test's database: the whole suite signs in from 127.0.0.1 far more often than that. Each test counts afresh
    (its own keys, so this holds for Redis too), and a test of the limits still sees its own attempts."""
    import uuid

    from allauth.core.internal import ratelimit

    salt = uuid.uuid4().hex[:12]
    original = ratelimit.get_cache_key
    monkeypatch.setattr(ratelimit, "get_cache_key", lambda *args, **kwargs: f"{original(*args, **kwargs)}:{salt}")


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
    """A person with one membership; staff (county, ministry) have their authenticator app set up, as they must."""
    user = UserFactory(username=username)
    if isinstance(place, Municipality):
        membership_create(user=user, role=role, municipality=place)
    elif isinstance(place, County):
        membership_create(user=user, role=role, county=place)
    else:
        membership_create(user=user, role=role)
    if role != Membership.Role.COORDINATOR:
        factor_totp_add(user=user, secret=DEMO_TOTP_SECRET)
    return user


def totp_code(user, *, at: float | None = None) -> str:
    """The code the person's authenticator app shows now (from the demo secret that tests' staff share).

    A code is accepted once (allauth remembers used codes for a period); each test starts with the person's
    memory of used codes forgotten, as another test may have signed the same user id in a moment ago.
    """
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from demo.management.commands.demo_totp import demo_code

    code, _left = demo_code(at)
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    cache.delete(TOTP(authenticator)._get_used_cache_key(code))
    return code


@pytest.fixture
def admin_user(db, django_user_model):
    """pytest-django's administrator, with the second factor that every administrator must have."""
    user = django_user_model.objects.create_superuser("admin", "admin@test.example", "password")
    factor_totp_add(user=user, secret=DEMO_TOTP_SECRET)
    return user


Role = Membership.Role


# The people of the tests, one fixture each: name -> (who, user name, role, where: kommune or county and its number).
PEOPLE = {
    "coordinator_a": (
        "Coordinator of kommune A: Steinkjer, Nord-Trøndelag.",
        "coord.steinkjer",
        Role.COORDINATOR,
        kommune,
        "1702",
    ),
    "coordinator_b": (
        "Coordinator of kommune B: Levanger, the same county as A.",
        "coord.levanger",
        Role.COORDINATOR,
        kommune,
        "1719",
    ),
    "coordinator_other_county": (
        "Coordinator of Ålesund, Møre og Romsdal.",
        "coord.alesund",
        Role.COORDINATOR,
        kommune,
        "1504",
    ),
    "officer": ("Case officer of Nord-Trøndelag.", "officer.nt", Role.CASE_OFFICER, county, "17"),
    "decider": ("Decision-maker of Nord-Trøndelag.", "decider.nt", Role.DECISION_MAKER, county, "17"),
    "officer_other_county": ("Case officer of Møre og Romsdal.", "officer.mr", Role.CASE_OFFICER, county, "15"),
    "decider_other_county": ("Decision-maker of Møre og Romsdal.", "decider.mr", Role.DECISION_MAKER, county, "15"),
    "ministry": ("Ministry adviser.", "ministry", Role.MINISTRY_ADVISER, None, ""),
}


def _person_fixture(name: str, doc: str, username: str, role: str, place, number: str):
    def make(db):
        return person(username, role, place(number) if place else None)

    make.__doc__ = doc
    return pytest.fixture(make, name=name)


for _name, _spec in PEOPLE.items():
    globals()[_name] = _person_fixture(_name, *_spec)


@pytest.fixture
def nobody(db):
    """Logged in, with no membership."""
    return UserFactory(username="nobody")


class CeleryWorker:
    """A real Celery worker in its own process group, on Redis, using the test database."""

    def __init__(self, *, app: str, env: dict[str, str], queue: str) -> None:
        import subprocess
        import sys
        import uuid
        from pathlib import Path

        self.name = f"luktest-{uuid.uuid4().hex[:8]}@localhost"
        command = [sys.executable, "-m", "celery", "-A", app, "worker", "--pool=prefork", "--concurrency=1"]
        command += [
            "--without-gossip",
            "--without-mingle",
            f"--loglevel={os.environ.get('LUK_TEST_WORKER_LOGLEVEL', 'WARNING')}",
            "-n",
            self.name,
            "-Q",
            queue,
        ]
        self.process = subprocess.Popen(command, cwd=Path(__file__).resolve().parent, env=env, start_new_session=True)

    def wait_ready(self) -> None:
        import time

        from luk_portal.celery import app

        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[self.name], timeout=1):
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the Celery worker did not start", pytrace=False)

    def kill(self) -> None:
        """Kill the worker and its pool at once, as a machine that dies would (no clean shutdown)."""
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        import signal
        import subprocess

        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()


@pytest.fixture
def celery_workers(redis_url, transactional_db):
    """Start real workers: `start(app="luk_portal", **env)`; all are stopped afterwards.

    Tests that use them commit their data (transactional_db) so the workers can read it. Tasks go to a queue
    of this test's own, so no other worker on the same Redis takes them, and are not run in-process.
    """
    import uuid

    from django.conf import settings

    from luk_portal.celery import app

    db = settings.DATABASES["default"]
    require(db["ENGINE"].endswith("postgresql"), "needs PostgreSQL (set DATABASE_URL)")
    queue = f"luktest-{uuid.uuid4().hex[:8]}"
    base_env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "luk_portal.settings.base",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_QUEUE": queue,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "CONN_MAX_AGE": "0",
    }
    saved = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    workers: list[CeleryWorker] = []

    def start(app_module: str = "luk_portal", **env: str) -> CeleryWorker:
        worker = CeleryWorker(app=app_module, env={**base_env, **env}, queue=queue)
        workers.append(worker)
        worker.wait_ready()
        return worker

    try:
        yield start
    finally:
        for worker in workers:
            worker.stop()
        app.conf.task_always_eager, app.conf.task_default_queue = saved


@pytest.fixture
def celery_worker_process(celery_workers):
    """One real worker; yields (process, name)."""
    worker = celery_workers()
    yield worker.process, worker.name


def sign_in(client, username: str, password: str | None = None, **extra):
    """Sign in through the forms as a person would: the password, then (for staff) the code from their app."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from programmes.tests.factories import TEST_PASSWORD

    response = client.post(
        reverse("account_login"), {"login": username, "password": password or TEST_PASSWORD}, **extra
    )
    if response.status_code == 302 and response.url == reverse("mfa_authenticate"):
        user = get_user_model().objects.get(username=username)
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(user)}, **extra)
    return response
