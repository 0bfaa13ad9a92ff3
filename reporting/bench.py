"""The benchmark's measurements, run inside one database at one scale (see the `bench` command)."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application, Payment, ProgressReport, Project
from luk_portal.middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT
from luk_portal.pdf import html_to_document
from programmes.models import County
from programmes.selectors import programme_current

from . import documents
from .models import ReportJob


def data_size() -> dict[str, int]:
    return {
        "applications": Application.objects.count(),
        "projects": Project.objects.count(),
        "progress_reports": ProgressReport.objects.count(),
        "payments": Payment.objects.count(),
    }


def national_report(*, runs: int = 1, language: str = "nn") -> dict[str, Any]:
    """Make the national evaluation report `runs` times (after one warm-up of the templates and fonts at the
    first run's cost): the median total, its two halves, and WeasyPrint alone on the same finished HTML."""
    programme = programme_current()
    samples = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            built = documents.build(ReportJob.Kind.NATIONAL, programme=programme, language=language)
        samples.append((built.gather_seconds + built.weasyprint_seconds, built, len(queries)))
    samples.sort(key=lambda sample: sample[0])
    total, built, query_count = samples[len(samples) // 2]
    started = time.perf_counter()
    html_to_document(built.html).write_pdf()
    floor = time.perf_counter() - started
    return {
        "total_s": total,
        "gather_s": built.gather_seconds,
        "weasyprint_s": built.weasyprint_seconds,
        "gather_share": built.gather_seconds / total,
        "floor_s": floor,
        "pages": built.pages,
        "pdf_kb": len(built.pdf) // 1024,
        "queries": query_count,
        "all_totals_s": [round(sample[0], 3) for sample in samples],
        "median_total_s": statistics.median(sample[0] for sample in samples),
    }


# Pages: server time in-process, the raw SQL beneath them, and requests per second under load


def _person(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def page_urls() -> dict[str, tuple[str | None, str]]:
    """The pages measured: (who is logged in, URL). The county inbox is Nord-Trøndelag's page, its work queue."""
    county = County.objects.get(number="17", is_county_authority=True)
    return {
        "national dashboard": ("departementet", reverse("reporting:national")),
        "county inbox": ("nt.saksbehandlar", reverse("reporting:county", args=[county.pk])),
        "trivial page": (None, reverse("home")),
    }


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def pages(*, runs: int = 30) -> dict[str, dict[str, Any]]:
    """Each page's time through Django (middleware, view, template): median and 95th percentile as served
    (the dashboards' figures kept, data_version) and made afresh (as the first request after a change of the data),
    their query counts, and the floor: the SQL of the page made afresh, replayed on the database alone."""
    results = {}
    for name, (username, url) in page_urls().items():
        client = Client(HTTP_HOST="127.0.0.1")  # as the development server is reached
        if username:
            client.force_login(_person(username))
        for _ in range(2):
            assert client.get(url).status_code == 200, url  # warm: templates, the connection
        served, served_queries = _times(client, url, runs)
        afresh, afresh_queries = _times(client, url, runs, afresh=True)
        floors = [
            _replay([q["sql"] for q in afresh_queries.captured_queries if q["sql"].startswith("SELECT")])
            for _ in range(runs)
        ]
        results[name] = {
            "median_ms": 1000 * statistics.median(served),
            "p95_ms": 1000 * _percentile(served, 0.95),
            "queries": len(served_queries.captured_queries),
            "afresh_median_ms": 1000 * statistics.median(afresh),
            "afresh_p95_ms": 1000 * _percentile(afresh, 0.95),
            "afresh_queries": len(afresh_queries.captured_queries),
            "sql_floor_ms": 1000 * statistics.median(floors),
        }
    return results


def _times(client: Client, url: str, runs: int, *, afresh: bool = False) -> tuple[list[float], Any]:
    """`runs` requests' times, and the last one's queries. `afresh`: nothing kept from the request before."""
    times = []
    with override_settings(DASHBOARD_CACHE_SECONDS=0) if afresh else contextlib.nullcontext():
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200
    return times, queries


def _replay(statements: list[str]) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()
    return time.perf_counter() - started


def load(*, seconds: int = 5, connections: int = 8, rounds: int = 3) -> dict[str, Any]:
    """Requests per second for the county inbox and the trivial page: gunicorn with 2 workers on loopback,
    driven by wrk for `seconds` at a time, the two pages taking turns for `rounds` rounds (so a passing burst
    of other work on the machine falls on both); the median round of each. Needs wrk (apt-get install wrk)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "luk_portal.settings.base",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": settings.SECRET_KEY,  # the sessions made here must be valid there
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "luk_portal.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port)
        cookie = f"{settings.SESSION_COOKIE_NAME}={_session_for('nt.saksbehandlar')}"
        commands = {}
        for name, (username, url) in page_urls().items():
            if name == "national dashboard":
                continue
            _get(port, url, {"Cookie": cookie} if username else {})  # the page answers 200 to this person
            command = [wrk, "-t2", f"-c{connections}", "--timeout", "10s", f"http://127.0.0.1:{port}{url}"]
            if username:
                command[1:1] = ["-H", f"Cookie: {cookie}"]
            # Two seconds of the same load first, not counted: both workers have made and kept the page's
            # figures (the first request of each makes them; a running server has long done so), and settled.
            subprocess.run([*command, "-d2s"], capture_output=True, check=True)
            commands[name] = command
        rates: dict[str, list[float]] = {name: [] for name in commands}
        errors = dict.fromkeys(commands, False)
        for _ in range(rounds):
            for name, command in commands.items():
                out = subprocess.run([*command, f"-d{seconds}s"], capture_output=True, text=True, check=True).stdout
                rates[name].append(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)))
                errors[name] |= bool(re.search(r"Non-2xx or 3xx responses|Socket errors", out))
        return {
            name: {"rps": statistics.median(rates[name]), "rounds": rates[name], "errors": errors[name]}
            for name in commands
        }
    finally:
        server.terminate()
        server.wait(timeout=20)


def _get(port: int, url: str, headers: dict[str, str]) -> None:
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection_.request("GET", url, headers=headers)
        response = connection_.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status} under gunicorn")
    finally:
        connection_.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not listen on port {port}")


def _session_for(username: str) -> str:
    """A logged-in session in the database, as the login form makes one."""
    user = _person(username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SESSION_LOGIN_AT] = session[SESSION_SEEN_AT] = time.time()
    session.create()
    return session.session_key
