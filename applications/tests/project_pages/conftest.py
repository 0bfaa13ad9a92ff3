"""Projects at each step, for the project page tests."""

from __future__ import annotations

import datetime

import pytest

from applications import services
from applications.tests.project_pages.pages import complete_report

# Projects at each step, reached through the services.


@pytest.fixture
def project(approved):
    return approved.project


@pytest.fixture
def goal(project):
    return project.application.result_goals.get()


@pytest.fixture
def planned(project, coordinator_a, goal):
    """The project with a milestone and an indicator for its one result goal."""
    services.project_plan_save(
        project=project,
        by=coordinator_a,
        milestones=[{"name": "Stadanalyse", "due_date": datetime.date(2026, 6, 30), "status": "planned"}],
        indicators=[{"result_goal": goal, "name": "Deltakarar", "unit": "personar", "baseline": 0, "target": 200}],
    )
    return project


@pytest.fixture
def draft_report(project, coordinator_a):
    return services.report_create(project=project, by=coordinator_a)


@pytest.fixture
def submitted_report(planned, coordinator_a):
    return complete_report(planned, coordinator_a)


@pytest.fixture
def approved_report(submitted_report, officer):
    return services.report_decide(report=submitted_report, by=officer, approve=True)


@pytest.fixture
def requested_payment(planned, submitted_report, coordinator_a):
    return services.payment_request(project=planned, by=coordinator_a, amount=100_000, report=submitted_report)


@pytest.fixture
def change(project, coordinator_a):
    return services.change_request_create(
        project=project, by=coordinator_a, kind="extend", reasons="Meir tid", new_period_end=datetime.date(2028, 6, 30)
    )
