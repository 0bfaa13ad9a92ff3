"""`make bench`: at demo scale and at scale 10, each in a database of its own: the national evaluation report,
the national dashboard and a county inbox (server time, queries, the SQL beneath), and requests per second
under load against a trivial page."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

TARGET_REPORT_SECONDS = 15.0  # the national report at scale 10
TARGET_GATHER_SHARE = 0.10  # data gathering's share of the total
TARGET_DASHBOARD_MS = 150.0  # the national dashboard's median at scale 10
TARGET_OVER_SQL = 1.5  # ... within 1.5 times the SQL it needs
TARGET_GROWTH = 2.0  # scale 1 to 10 costs under 2 times
TARGET_INBOX_SHARE = 0.5  # the county inbox's requests per second against the trivial page's


def database_url(scale: int) -> str:
    """A database per scale: beside the configured PostgreSQL database, or an SQLite file under var/bench."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/luk_bench_{scale}"
    folder = Path(settings.BASE_DIR) / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / f'scale{scale}.sqlite3'}"


class Command(BaseCommand):
    help = "Measure the national report, the dashboards and the inbox under load at scales 1 and 10; print it."

    def add_arguments(self, parser):
        parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
        parser.add_argument("--runs", type=int, default=3, help="Runs at scale 1 (the median is shown).")
        parser.add_argument("--load-seconds", type=int, default=3, help="Seconds of load per page and round (wrk).")
        parser.add_argument("--measure", action="store_true", help="(internal) measure in this database")

    def handle(
        self, *args: Any, scales: list[int], runs: int, load_seconds: int, measure: bool, **options: Any
    ) -> None:
        if measure:
            from reporting import bench

            result = {
                "size": bench.data_size(),
                "national_report": bench.national_report(runs=runs),
                "pages": bench.pages(),
                "load": bench.load(seconds=load_seconds),
            }
            self.stdout.write(json.dumps(result))
            return
        self.load_seconds = load_seconds
        results = {scale: self._measure(scale, runs if scale == 1 else 1) for scale in scales}
        self._print(results)

    def _measure(self, scale: int, runs: int) -> dict[str, Any]:
        env = {**os.environ, "DATABASE_URL": database_url(scale), "CELERY_TASK_ALWAYS_EAGER": "true"}
        if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
            subprocess.run(
                ["createdb", "-h", "127.0.0.1", "-U", "postgres", f"luk_bench_{scale}"], env=env, capture_output=True
            )
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        self.stderr.write(f"scale {scale}: migrating and seeding ({env['DATABASE_URL']})…")
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
        subprocess.run([*manage, "seed_demo", "--scale", str(scale), "--quiet"], env=env, check=True)
        self.stderr.write(f"scale {scale}: measuring…")
        out = subprocess.run(
            [*manage, "bench", "--measure", "--runs", str(runs), "--load-seconds", str(self.load_seconds)],
            env=env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        return json.loads(out.strip().splitlines()[-1])

    def _print(self, results: dict[int, dict[str, Any]]) -> None:
        write = self.stdout.write
        write("")
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        write(f"LUK-portalen benchmark ({os.cpu_count()} cores, {engine})")
        for section in (_print_report, _print_pages, _print_load, _print_targets):
            write("")
            section(write, results)
        write("")


Results = dict[int, dict[str, Any]]


def _print_report(write: Any, results: Results) -> None:
    write("National evaluation report (PDF, nynorsk)")
    header = f"{'scale':>5} {'applications':>12} {'projects':>8} {'reports':>7} {'payments':>8} {'pages':>5} "
    header += f"{'total s':>8} {'data s':>7} {'WeasyPrint s':>12} {'data %':>6} {'floor s':>7} {'queries':>7}"
    write(header)
    for scale, result in results.items():
        size, report = result["size"], result["national_report"]
        write(
            f"{scale:>5} {size['applications']:>12} {size['projects']:>8} {size['progress_reports']:>7} "
            f"{size['payments']:>8} {report['pages']:>5} {report['total_s']:>8.2f} {report['gather_s']:>7.2f} "
            f"{report['weasyprint_s']:>12.2f} {100 * report['gather_share']:>5.1f}% {report['floor_s']:>7.2f} "
            f"{report['queries']:>7}"
        )


def _print_pages(write: Any, results: Results) -> None:
    write("Pages, through Django in-process (30 requests each after two to warm up): as served, with the")
    write("dashboards' figures kept; made afresh, as the first request after a change of the data; and the SQL")
    write("of the page made afresh, replayed on the database alone (its floor)")
    write(
        f"{'scale':>5} {'page':<20} {'median ms':>9} {'p95 ms':>7} {'queries':>7} {'afresh ms':>9} "
        f"{'p95 ms':>7} {'queries':>7} {'SQL ms':>7} {'x SQL':>6} {'afresh x SQL':>12}"
    )
    for scale, result in results.items():
        for name, page in result["pages"].items():
            floor = page["sql_floor_ms"] or float("nan")
            write(
                f"{scale:>5} {name:<20} {page['median_ms']:>9.1f} {page['p95_ms']:>7.1f} {page['queries']:>7} "
                f"{page['afresh_median_ms']:>9.1f} {page['afresh_p95_ms']:>7.1f} {page['afresh_queries']:>7} "
                f"{page['sql_floor_ms']:>7.1f} {page['median_ms'] / floor:>6.2f} "
                f"{page['afresh_median_ms'] / floor:>12.2f}"
            )


def _print_load(write: Any, results: Results) -> None:
    write("Under load: gunicorn with 2 workers on loopback, wrk with 2 threads and 8 connections; the pages take")
    write("turns, three rounds each (after two seconds not counted); the median round")
    write(f"{'scale':>5} {'page':<20} {'requests/s':>10}  rounds")
    for scale, result in results.items():
        load = result["load"]
        if "skipped" in load:
            write(f"{scale:>5} {load['skipped']}")
            continue
        for name, figures in load.items():
            flag = "  (errors!)" if figures["errors"] else ""
            rounds = ", ".join(f"{rate:.0f}" for rate in figures["rounds"])
            write(f"{scale:>5} {name:<20} {figures['rps']:>10.1f}  ({rounds}){flag}")


def _print_targets(write: Any, results: Results) -> None:
    write("Targets (2-core machine):")
    for scale, result in results.items():
        share = result["national_report"]["gather_share"]
        verdict = _verdict(share < TARGET_GATHER_SHARE)
        write(f"  scale {scale}: report data gathering {100 * share:.1f}% of the total (< 10%): {verdict}")
    if 10 in results:
        _print_scale_10(write, results[10])
    if 1 in results and 10 in results:
        for name in ("national dashboard", "county inbox"):
            small, large = results[1]["pages"][name], results[10]["pages"][name]
            growth = large["median_ms"] / small["median_ms"]
            verdict = _verdict(growth < TARGET_GROWTH)
            write(f"  {name}: scale 1 to 10 costs {growth:.2f} x (< {TARGET_GROWTH:.0f} x): {verdict}")
            growth = large["afresh_median_ms"] / small["afresh_median_ms"]
            write(f"    (made afresh: {growth:.2f} x: {_verdict(growth < TARGET_GROWTH)})")
    for scale, result in results.items():
        load = result["load"]
        if "skipped" not in load:
            share = load["county inbox"]["rps"] / load["trivial page"]["rps"]
            verdict = _verdict(share >= TARGET_INBOX_SHARE)
            rate = f"{100 * share:.0f}% of the trivial page's rate"
            write(f"  scale {scale}: county inbox at {rate} (>= 50%): {verdict}")


def _print_scale_10(write: Any, result: dict[str, Any]) -> None:
    total = result["national_report"]["total_s"]
    verdict = _verdict(total < TARGET_REPORT_SECONDS)
    write(f"  scale 10: national report {total:.1f} s (< {TARGET_REPORT_SECONDS:.0f} s): {verdict}")
    dashboard = result["pages"]["national dashboard"]
    median, floor = dashboard["median_ms"], dashboard["sql_floor_ms"]
    verdict = _verdict(median < TARGET_DASHBOARD_MS)
    write(f"  scale 10: national dashboard median {median:.0f} ms (< {TARGET_DASHBOARD_MS:.0f} ms): {verdict}")
    verdict = _verdict(median <= TARGET_OVER_SQL * floor)
    write(f"  scale 10: national dashboard {median / floor:.2f} x its SQL (<= {TARGET_OVER_SQL}): {verdict}")
    afresh = dashboard["afresh_median_ms"]
    write(
        f"    (made afresh: {afresh:.0f} ms, {afresh / floor:.2f} x its SQL: "
        f"{_verdict(afresh < TARGET_DASHBOARD_MS)}, {_verdict(afresh <= TARGET_OVER_SQL * floor)})"
    )


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"
