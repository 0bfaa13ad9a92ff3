"""The portal's own production code, for the tests that read it (the status engine's and the policy's scans)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Every room but the demo, which may do as it likes and which nothing imports.
PRODUCTION_ROOMS = ("accounts", "programmes", "applications", "reporting", "luk_portal")


def production_files() -> list[Path]:
    """Every Python module of the production rooms, without their tests and migrations."""
    return [
        path
        for room in PRODUCTION_ROOMS
        for path in (ROOT / room).rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]
