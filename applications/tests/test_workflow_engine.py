"""One engine for every status of the grant cycle: the tables are whole, the buttons read them, and no code
outside services/steps.py writes a status."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps

from applications import permissions, services
from applications.models import CaseEvent, Milestone, MilestoneUpdate, Payment
from applications.services import steps
from applications.tests import factories
from applications.workflow import TABLES
from luk_portal.errors import InvalidTransition, NotAllowed

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = ("applications", "programmes", "reporting", "accounts", "luk_portal")
ENGINE = ROOT / "applications" / "services" / "steps.py"
# A milestone's status (and a report's word on it, MilestoneUpdate) is the project plan's own word (planned,
# started, done, delayed), set freely by the plan and by the report that tells it; it is not a workflow. Its
# writes are named here by their text.
MILESTONE_WRITES = {"update.milestone.status", "milestone.status"}
# The report jobs' state has a table and a mover of their own in reporting/services.py.
OWN_ENGINES = {ROOT / "reporting" / "services.py"}


@pytest.mark.parametrize("model", list(TABLES), ids=lambda model: model.__name__)
def test_each_table_names_real_statuses_and_real_predicates(model):
    statuses = {value for value, _label in model._meta.get_field("status").choices}
    for action, transition in TABLES[model].items():
        assert transition.sources <= statuses, action
        assert transition.target in statuses, action
        if transition.may:
            assert callable(getattr(permissions, transition.may)), transition.may
            assert str(transition.refusal), action


def test_every_model_with_a_status_has_a_table():
    with_status = {
        model
        for model in apps.get_app_config("applications").get_models()
        if not model.__name__.startswith("Historical") and any(f.name == "status" for f in model._meta.fields)
    }
    assert with_status - set(TABLES) == {Milestone, MilestoneUpdate}


def _status_writes(path: Path) -> list[str]:
    """Every place in the file that writes a `status`: an assignment to an attribute named status, an
    update(status=...), a setattr(..., "status", ...)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = [
                t for target in node.targets for t in (target.elts if isinstance(target, ast.Tuple) else [target])
            ]
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "status":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(target)}")
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in {"update", "bulk_update"} and any(k.arg == "status" for k in node.keywords):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}(status=...)")
            if name == "bulk_update" and any("status" in ast.unparse(a) for a in node.args[1:]):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: bulk_update([... 'status'])")
            if name == "setattr" and len(node.args) > 1 and ast.unparse(node.args[1]) in {"'status'", '"status"'}:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: setattr(..., 'status')")
    return found


def production_files() -> list[Path]:
    return [
        path
        for room in PRODUCTION
        for path in (ROOT / room).rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and "demo" not in path.name
        and "demo_national" not in path.parts
    ]


def test_no_code_but_the_engine_writes_a_status():
    writes = [
        write
        for path in production_files()
        if path != ENGINE and path not in OWN_ENGINES
        for write in _status_writes(path)
        if write.rsplit(": ", 1)[1] not in MILESTONE_WRITES
    ]
    assert writes == []


def test_the_scan_finds_a_status_written_by_hand(tmp_path):
    planted = ROOT / "applications" / "planted_for_the_scan.py"
    planted.write_text(
        "def f(payment, rows, Payment):\n"
        "    payment.status = 'approved'\n"
        "    payment.status, payment.reasons = 'refused', ''\n"
        "    rows.update(status='refused')\n"
        "    setattr(payment, 'status', 'x')\n"
        "    Payment.objects.bulk_update(rows, ['status'])\n"
    )
    try:
        assert len(_status_writes(planted)) == 5
        assert planted in production_files()
    finally:
        planted.unlink()
    assert len(_status_writes(ENGINE)) == 1


# Taking steps


@pytest.fixture
def payment(approved, coordinator_a, officer):
    project = factories.project_of(approved)
    services.schedule_set(project=project, by=officer, every_months=6, final_due=project.period_end)
    report = factories.report_approved(project, coordinator=coordinator_a, officer=officer)
    return services.payment_request(project=project, by=coordinator_a, amount=10_000, report=report)


def test_a_step_writes_the_status_and_one_timeline_entry_with_who_from_to_and_why(payment, officer):
    before = CaseEvent.objects.count()

    steps.take(payment, "refuse", by=officer, reason="Feil konto", fields=())

    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUSED
    assert CaseEvent.objects.count() == before + 1
    event = CaseEvent.objects.latest("pk")
    assert (event.project_id, event.actor, event.action, event.from_status, event.to_status, event.comment) == (
        payment.project_id,
        officer,
        "payment_refuse",
        "requested",
        "refused",
        "Feil konto",
    )


def test_a_step_is_refused_to_someone_the_table_does_not_name(payment, coordinator_a):
    with pytest.raises(NotAllowed):
        steps.take(payment, "approve", by=coordinator_a)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REQUESTED


def test_a_step_from_the_wrong_status_is_refused(submitted, officer):
    with pytest.raises(InvalidTransition):
        steps.take(submitted, "recommend", by=officer)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_a_step_that_is_part_of_another_is_never_a_persons_own(payment, officer):
    assert permissions.may_take(officer, payment, "withdraw") is False
    assert permissions.steps_open_to(officer, payment) == ["approve", "refuse"]


def test_the_steps_open_to_a_person_follow_the_status(submitted, coordinator_a, officer, decider):
    assert permissions.steps_open_to(officer, submitted) == ["take"]
    assert permissions.steps_open_to(coordinator_a, submitted) == []
    assert permissions.steps_open_to(decider, submitted) == []
