"""The rooms depend one way (README, "How the code is organised"): the import-linter contracts in pyproject.toml
hold, they are the contracts meant (an emptied config cannot pass), and no production module imports the demo.

The same check as `make lint`: `lint-imports` (import-linter, pinned in requirements.txt), run as a command.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
ROOMS = ["luk_portal", "accounts", "programmes", "applications", "reporting", "demo"]
LAYERS = ["demo", "reporting", "applications | accounts", "programmes", "luk_portal"]
SERVICES_AND_SELECTORS = {f"{app}.{part}" for app in ROOMS[1:5] for part in ("services", "selectors")}
TASKS = {"applications.tasks", "reporting.tasks"}


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _contract(contract_id: str) -> dict:
    contracts = {contract["id"]: contract for contract in _config()["contracts"]}
    assert contract_id in contracts, f"pyproject.toml has no import-linter contract {contract_id!r}"
    return contracts[contract_id]


def test_the_contracts_are_the_rooms_meant():
    config = _config()
    assert config["root_packages"] == ROOMS
    rooms = _contract("rooms")
    assert rooms["type"] == "layers"
    assert rooms["layers"] == LAYERS
    assert rooms.get("exhaustive", False) is False and "containers" not in rooms
    # Only the tests are exempt: every ignored import is one made by an app's tests.
    assert rooms["ignore_imports"] == [f"{room}.tests.** -> **" for room in ROOMS[:5]]
    demo = _contract("demo-parts")
    assert demo["type"] == "independence"
    assert set(demo["modules"]) == {"demo.cases", "demo.national"}
    forbidden = _contract("services-not-tasks")
    assert forbidden["type"] == "forbidden"
    assert set(forbidden["source_modules"]) == SERVICES_AND_SELECTORS
    assert set(forbidden["forbidden_modules"]) == TASKS
    for contract in config["contracts"]:
        if contract["id"] != "rooms":
            assert "ignore_imports" not in contract, contract["id"]
        assert not contract.get("allow_indirect_imports", False), contract["id"]


def lint_imports() -> subprocess.CompletedProcess[str]:
    """`lint-imports` as `make lint` runs it, without its cache."""
    command = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(command), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_rooms_depend_one_way():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(_config()['contracts'])} kept, 0 broken." in result.stdout


def test_an_import_up_the_layers_breaks_the_contract():
    planted = ROOT / "programmes" / "planted_for_the_layers.py"
    planted.write_text("from reporting import selectors  # noqa: F401\n")
    try:
        result = lint_imports()
    finally:
        planted.unlink()
    assert result.returncode != 0
    assert "programmes.planted_for_the_layers -> reporting.selectors" in result.stdout


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*ROOMS, cache_dir=None)


def test_no_production_module_imports_the_demo(graph):
    importers = {
        importer
        for module in graph.find_descendants("demo") | {"demo"}
        for importer in graph.find_modules_that_directly_import(module)
    }
    assert importers, "the demo's own modules import each other: the graph must see that"
    production = {m for m in importers if m != "demo" and not m.startswith("demo.") and ".tests" not in f"{m}."}
    assert production == set()


def test_the_scan_sees_an_import_of_the_demo(graph):
    """The check above can fail: the graph sees the tests that import the demo."""
    assert "demo.seed" in graph.find_modules_that_directly_import("demo.cases")
    assert {m for m in graph.find_modules_that_directly_import("demo.seed") if ".tests." in m}
