"""The rooms depend one way (README, "How the code is organised"): the import-linter contracts in pyproject.toml
hold, they are the contracts meant (an emptied config cannot pass), and no production module imports the demo.

The same check as `make lint` (`lint-imports`), through import-linter's Python API (pinned in requirements.txt).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import grimp
import pytest
from importlinter.application import use_cases
from importlinter.configuration import configure

ROOT = Path(__file__).resolve().parents[2]
ROOMS = ["luk_portal", "accounts", "programmes", "applications", "reporting", "demo"]
LAYERS = ["demo", "reporting", "applications | accounts", "programmes", "luk_portal"]
SERVICES_AND_SELECTORS = {f"{app}.{part}" for app in ROOMS[1:5] for part in ("services", "selectors")}
TASKS = {"applications.tasks", "reporting.tasks"}

# Imports that break a contract today and are being mended on other branches of issue 13: the test accepts a
# broken chain only if it runs through one of these, and prints it. Empty this set once they are merged.
PENDING = {
    # Services that start their tasks by importing them (to go through luk_portal.jobs, by the task's name).
    ("applications.services.cases", "applications.tasks"),
}


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


def _links(check_metadata: dict) -> list[tuple[tuple[str, str], ...]]:
    """Each broken chain of a contract as its links (importer, imported), whatever the contract type."""
    chains = []
    for dependency in check_metadata.get("invalid_dependencies", []):  # layers
        for route in dependency["routes"]:
            for first in route["extra_firsts"] or [None]:
                for last in route["extra_lasts"] or [None]:
                    links = [first, *route["chain"], last]
                    chains.append(tuple((link["importer"], link["imported"]) for link in links if link))
    for invalid in check_metadata.get("invalid_chains", []):  # independence and forbidden
        for chain in invalid["chains"]:
            chains.append(tuple((link["importer"], link["imported"]) for link in chain))
    return chains


def test_the_rooms_depend_one_way(capsys):
    configure()
    options = use_cases.read_user_options(config_filename=str(ROOT / "pyproject.toml"))
    use_cases._register_contract_types(options)  # as `lint-imports` does before it reads the contracts
    report = use_cases.create_report(options, cache_dir=None)
    assert not report.could_not_run, report.invalid_contract_options
    checked = {contract.name: check for contract, check in report.get_contracts_and_checks()}
    assert len(checked) == len(_config()["contracts"])
    broken, pending = [], []
    for name, check in checked.items():
        for chain in _links(check.metadata):
            (pending if PENDING & set(chain) else broken).append(
                f"{name}: {' -> '.join(a for a, _ in chain)} -> {chain[-1][1]}"
            )
        if not check.kept:
            assert _links(check.metadata), f"{name} is broken, and the test cannot tell where"
    with capsys.disabled():
        for line in pending:
            print(f"\npending on another branch of issue 13: {line}")
    assert broken == []


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
