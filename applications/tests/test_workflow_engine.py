"""One engine for every status (luk_portal/workflow.py): the tables are whole, the buttons read them, and no
code outside the engine writes a status."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps

from applications import permissions, services
from applications.models import CaseEvent, Milestone, MilestoneUpdate, Payment
from applications.services import steps
from applications.tests import factories
from applications.workflow import TABLES
from luk_portal import workflow
from luk_portal.errors import InvalidTransition, NotAllowed
from luk_portal.tests.source import ROOT, production_files
from programmes.selectors import programme_current
from reporting.models import ReportJob

ENGINE = ROOT / "luk_portal" / "workflow.py"
# A milestone's status (and a report's word on it, MilestoneUpdate) is the project plan's own word (planned,
# started, done, delayed), set freely by the plan and by the report that tells it; it is not a workflow. Its
# writes are named here by their text.
MILESTONE_WRITES = {"update.milestone.status", "milestone.status"}
PROJECT_APPS = ("accounts", "programmes", "applications", "reporting")


def status_fields() -> set[str]:
    """The names of the fields that hold a status, as the engine's flows declare them."""
    return {flow.field for flow in workflow.flows().values()}


@pytest.mark.parametrize("model", list(workflow.flows()), ids=lambda model: model.__name__)
def test_each_table_names_real_statuses_and_real_predicates(model):
    flow = workflow.flow_of(model)
    statuses = {value for value, _label in model._meta.get_field(flow.field).choices}
    rules = importlib.import_module(f"{model._meta.app_label}.permissions")
    assert flow.may.__module__ == rules.__name__
    for action, transition in flow.table.items():
        assert transition.sources <= statuses | {""}, action
        assert transition.target in statuses, action
        if transition.may:
            assert callable(getattr(rules, transition.may)), transition.may
            assert str(transition.refusal), action


def test_every_model_with_a_status_has_a_table():
    with_status = {
        model
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
        and any(f.name in {"status", "state"} for f in model._meta.fields)
    }
    assert with_status - set(workflow.flows()) == {Milestone, MilestoneUpdate}
    assert set(workflow.flows()) == set(TABLES) | {ReportJob}
    assert status_fields() == {"status", "state"}


def _names(keywords: list[ast.keyword]) -> set[str]:
    """The field names a call passes: its keywords, and the literal keys of a `**{...}` it unpacks."""
    names = {k.arg for k in keywords if k.arg}
    for k in keywords:
        if k.arg is None and isinstance(k.value, ast.Dict):
            names |= {key.value for key in k.value.keys if isinstance(key, ast.Constant)}
    return names


def _status_writes(path: Path) -> list[str]:
    """Every place in the file that writes a status field: an assignment to an attribute of that name, an
    update(status=...) or update(**{"status": ...}), a bulk_update naming it, a setattr(..., "status", ...)."""
    fields = status_fields()
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
            if isinstance(target, ast.Attribute) and target.attr in fields:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(target)}")
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in {"update", "bulk_update"} and _names(node.keywords) & fields:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}(status=...)")
            if name == "bulk_update" and any(f"'{field}'" in ast.unparse(a) for a in node.args[1:] for field in fields):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: bulk_update([... 'status'])")
            if name == "setattr" and len(node.args) > 1 and ast.unparse(node.args[1]).strip("'\"") in fields:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: setattr(..., 'status')")
    return found


def test_no_code_but_the_engine_writes_a_status():
    writes = [
        write
        for path in production_files()
        if path != ENGINE
        for write in _status_writes(path)
        if write.rsplit(": ", 1)[1] not in MILESTONE_WRITES
    ]
    assert writes == []


def test_the_scan_finds_a_status_written_by_hand(tmp_path):
    planted = ROOT / "applications" / "planted_for_the_scan.py"
    planted.write_text(
        "def f(payment, rows, Payment, job):\n"
        "    payment.status = 'approved'\n"
        "    payment.status, payment.reasons = 'refused', ''\n"
        "    rows.update(status='refused')\n"
        "    setattr(payment, 'status', 'x')\n"
        "    Payment.objects.bulk_update(rows, ['status'])\n"
        "    rows.update(**{'state': 'done'})\n"
        "    job.state = 'failed'\n"
    )
    try:
        assert len(_status_writes(planted)) == 7
        assert planted in production_files()
    finally:
        planted.unlink()
    # The engine sets the status by its flow's field name, in one place.
    assert ENGINE.read_text().count("setattr(obj, flow.field, transition.target)") == 1


def test_a_job_moves_only_by_its_table(approved, coordinator_a):
    project = factories.project_of(approved)
    job = ReportJob(kind="project", programme=programme_current(), project=project, language="nn")
    job.requested_by = coordinator_a
    with pytest.raises(InvalidTransition):
        workflow.take(job, "finish", reason=ReportJob.Reason.FINISHED)
    workflow.take(job, "ask", by=coordinator_a, reason=ReportJob.Reason.ASKED, values={"stamp": "x"})
    assert job.pk and job.state == ReportJob.State.QUEUED
    with pytest.raises(InvalidTransition):
        workflow.take(job, "finish", reason=ReportJob.Reason.FINISHED)
    assert workflow.open_steps(coordinator_a, job) == []  # no step of a job is a person's own
    assert [(e.by, e.from_state, e.to_state, e.reason) for e in job.events.all()] == [
        (coordinator_a, "", "queued", "asked")
    ]


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
