"""Payments on a project: requested by the coordinator, decided by the county, never more than granted (not even
with two approvals at the same moment), the last 25 % only after the final report; closing and cancelling give
what is not paid back to the county's free frame."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from applications import services
from applications.models import CaseEvent, Payment, ProgressReport, Project
from applications.tests import factories
from applications.tests.projects_data import STEP, last_event, last_event_says, refusal_needs_text
from conftest import IN_CI, county, kommune, require
from luk_portal.errors import LukError, NotAllowed
from programmes.models import CountyAccount
from programmes.services import account_for
from programmes.tests.factories import MunicipalRoundFactory

pytestmark = pytest.mark.django_db

# As in test_money: decided at collection, so that on SQLite the transactional test is skipped before it loads
# and then empties the database; under CI it runs (and fails on SQLite), as the root conftest asks.
NOT_ON_POSTGRES = connection.vendor != "postgresql" and not IN_CI

NBSP = "\u00a0"


def kr(amount: int) -> str:
    return f"{amount:,}".replace(",", NBSP) + f"{NBSP}kr"


def nt_account() -> CountyAccount:
    return account_for(county=county("17"), programme=factories.luk())


@pytest.fixture
def project(approved) -> Project:
    return factories.project_of(approved)


@pytest.fixture
def report(project, coordinator_a) -> ProgressReport:
    """A submitted progress report for payment requests to rest on."""
    return factories.report_submitted(project, by=coordinator_a)


def pay(project: Project, amount: int, *, report: ProgressReport, coordinator, officer) -> Payment:
    payment = services.payment_request(project=project, by=coordinator, amount=amount, report=report)
    return services.payment_decide(payment=payment, by=officer, approve=True)


def final_approved(project: Project, *, coordinator, officer) -> ProgressReport:
    return factories.report_approved(project, coordinator=coordinator, officer=officer, final=True)


# Requests


def test_the_coordinator_requests_a_payment_resting_on_a_submitted_report(project, report, coordinator_a):
    payment = services.payment_request(project=project, by=coordinator_a, amount=100_000, report=report)

    payment.refresh_from_db()
    project.refresh_from_db()
    assert (payment.status, payment.amount, payment.report, payment.requested_by) == (
        "requested",
        100_000,
        report,
        coordinator_a,
    )
    assert project.paid_amount == 0
    event = last_event(project)
    assert (event.action, event.actor, event.comment) == ("payment_request", coordinator_a, kr(100_000))


def test_a_request_cannot_be_more_than_what_is_left_with_the_requests_already_waiting(project, report, coordinator_a):
    services.payment_request(project=project, by=coordinator_a, amount=200_000, report=report)

    with pytest.raises(ValidationError) as raised:
        services.payment_request(project=project, by=coordinator_a, amount=50_001, report=report)
    assert kr(50_000) in raised.value.message_dict["amount"][0]
    assert Payment.objects.filter(project=project).count() == 1

    services.payment_request(project=project, by=coordinator_a, amount=50_000, report=report)
    assert sorted(Payment.objects.filter(project=project).values_list("amount", flat=True)) == [50_000, 200_000]


@pytest.mark.parametrize("amount", [0, None, -1])
def test_a_request_needs_an_amount(project, report, coordinator_a, amount):
    with pytest.raises(ValidationError) as raised:
        services.payment_request(project=project, by=coordinator_a, amount=amount, report=report)

    assert "amount" in raised.value.message_dict
    assert not Payment.objects.exists()


def test_a_request_cannot_rest_on_a_draft_report(project, coordinator_a):
    draft = services.report_create(project=project, by=coordinator_a)

    with pytest.raises(ValidationError) as raised:
        services.payment_request(project=project, by=coordinator_a, amount=10_000, report=draft)

    assert set(raised.value.message_dict) == {"report"}
    assert not Payment.objects.exists()


def test_a_request_cannot_rest_on_another_projects_report(project, coordinator_a, officer, decider, nt_round):
    other = factories.make_draft(by=coordinator_a, municipality=kommune("1702"), funding_round=nt_round)
    factories.approve(other, coordinator=coordinator_a, officer=officer, decider=decider, amount=100_000)
    others_report = factories.report_submitted(factories.project_of(other), by=coordinator_a)

    with pytest.raises(ValidationError) as raised:
        services.payment_request(project=project, by=coordinator_a, amount=10_000, report=others_report)

    assert set(raised.value.message_dict) == {"report"}
    assert not Payment.objects.exists()


@pytest.mark.parametrize("role", ["officer", "decider", "coordinator_b", "coordinator_other_county", "ministry"])
def test_only_the_lead_coordinator_requests_payments(request, project, report, role):
    with pytest.raises(NotAllowed):
        services.payment_request(project=project, by=request.getfixturevalue(role), amount=10_000, report=report)

    assert not Payment.objects.exists()


# Decisions


def test_the_officer_approves_a_payment_and_the_money_is_paid(project, report, coordinator_a, officer):
    payment = services.payment_request(project=project, by=coordinator_a, amount=100_000, report=report)

    services.payment_decide(payment=payment, by=officer, approve=True)

    payment.refresh_from_db()
    project.refresh_from_db()
    assert (payment.status, payment.decided_by) == ("approved", officer)
    assert payment.decided_at is not None
    assert project.paid_amount == 100_000
    account = nt_account()
    assert (account.granted, account.paid) == (250_000, 100_000)
    event = last_event(project)
    assert (event.action, event.actor, event.comment) == ("payment_approve", officer, kr(100_000))


@pytest.mark.parametrize("role", ["coordinator_a", "decider", "officer_other_county", "ministry"])
def test_only_the_countys_case_officer_decides_payments(request, project, report, coordinator_a, role):
    payment = services.payment_request(project=project, by=coordinator_a, amount=100_000, report=report)
    user = request.getfixturevalue(role)

    with pytest.raises(NotAllowed):
        services.payment_decide(payment=payment, by=user, approve=True)
    with pytest.raises(NotAllowed):
        services.payment_decide(payment=payment, by=user, approve=False, reasons="Nei.")

    payment.refresh_from_db()
    project.refresh_from_db()
    assert (payment.status, project.paid_amount, nt_account().paid) == ("requested", 0, 0)


def test_a_refusal_needs_reasons_and_frees_the_amount_for_a_new_request(project, report, coordinator_a, officer):
    payment = services.payment_request(project=project, by=coordinator_a, amount=250_000, report=report)

    def refuse(reasons: str) -> None:
        services.payment_decide(payment=payment, by=officer, approve=False, reasons=reasons)

    refusal_needs_text(
        payment, "reasons", status="requested", refuse=refuse, blank=" ", text="Rapporten manglar kostnader."
    )

    payment.refresh_from_db()
    project.refresh_from_db()
    assert (payment.status, payment.reasons, payment.decided_by) == ("refused", "Rapporten manglar kostnader.", officer)
    assert (project.paid_amount, nt_account().paid) == (0, 0)
    assert last_event(project).action == "payment_refuse"
    services.payment_request(project=project, by=coordinator_a, amount=250_000, report=report)


def test_a_decided_payment_cannot_be_decided_again(project, report, coordinator_a, officer):
    payment = pay(project, 100_000, report=report, coordinator=coordinator_a, officer=officer)

    with pytest.raises(LukError):
        services.payment_decide(payment=payment, by=officer, approve=True)

    project.refresh_from_db()
    assert (project.paid_amount, nt_account().paid) == (100_000, 100_000)


# The last 25 %


def test_before_the_final_report_only_75_percent_can_be_paid(project, report, coordinator_a, officer):
    assert services.payable_now(project) == 187_500
    pay(project, 187_500, report=report, coordinator=coordinator_a, officer=officer)
    project.refresh_from_db()
    assert services.payable_now(project) == 0
    one_more = services.payment_request(project=project, by=coordinator_a, amount=1, report=report)

    with pytest.raises(ValidationError) as raised:
        services.payment_decide(payment=one_more, by=officer, approve=True)

    message = raised.value.message_dict["amount"][0]
    assert "25 %" in message
    assert "final report" in message
    one_more.refresh_from_db()
    project.refresh_from_db()
    assert one_more.status == "requested"
    assert (project.paid_amount, nt_account().paid) == (187_500, 187_500)


def test_one_krone_above_75_percent_is_refused_and_the_message_says_what_can_be_paid(
    project, report, coordinator_a, officer
):
    payment = services.payment_request(project=project, by=coordinator_a, amount=187_501, report=report)

    with pytest.raises(ValidationError) as raised:
        services.payment_decide(payment=payment, by=officer, approve=True)

    message = raised.value.message_dict["amount"][0]
    assert kr(187_500) in message
    assert "25 %" in message
    project.refresh_from_db()
    assert project.paid_amount == 0


def test_after_the_final_report_is_approved_the_rest_is_paid_and_the_project_closes(
    project, report, coordinator_a, officer
):
    pay(project, 187_500, report=report, coordinator=coordinator_a, officer=officer)
    final = final_approved(project, coordinator=coordinator_a, officer=officer)
    project.refresh_from_db()
    assert project.status == "active"
    assert services.payable_now(project) == 62_500

    pay(project, 62_500, report=final, coordinator=coordinator_a, officer=officer)

    project.refresh_from_db()
    assert (project.paid_amount, project.released_amount, project.status) == (250_000, 0, "closed")
    assert project.closed_at is not None
    account = nt_account()
    assert (account.granted, account.paid) == (250_000, 250_000)
    assert last_event(project).action == "project_close"


def test_no_more_than_granted_can_be_requested_after_the_final_report(project, report, coordinator_a, officer):
    final_approved(project, coordinator=coordinator_a, officer=officer)
    project.refresh_from_db()
    assert services.payable_now(project) == 250_000

    with pytest.raises(ValidationError) as raised:
        services.payment_request(project=project, by=coordinator_a, amount=250_001, report=report)

    assert kr(250_000) in raised.value.message_dict["amount"][0]
    assert not Payment.objects.exists()


# Closing and cancelling


@pytest.mark.parametrize("role", ["officer", "decider"])
def test_closing_after_the_final_report_releases_the_unpaid_amount_to_the_county(
    request, project, report, coordinator_a, officer, role
):
    pay(project, 100_000, report=report, coordinator=coordinator_a, officer=officer)
    final_approved(project, coordinator=coordinator_a, officer=officer)
    user = request.getfixturevalue(role)

    services.project_close(project=project, by=user, comment="Ferdig.")

    project.refresh_from_db()
    assert (project.status, project.paid_amount, project.released_amount) == ("closed", 100_000, 150_000)
    assert project.closed_at is not None
    account = nt_account()
    assert (account.framed, account.granted, account.paid, account.free) == (1_000_000, 100_000, 100_000, 900_000)
    *step, comment = last_event_says(project, *STEP, "comment")
    assert step == ["project_close", user, "active", "closed"]
    assert kr(150_000) in comment


@pytest.mark.parametrize("final", ["none", "submitted"])
def test_a_project_cannot_be_closed_before_its_final_report_is_approved(project, report, coordinator_a, officer, final):
    if final == "submitted":
        factories.report_submitted(project, by=coordinator_a, final=True)

    with pytest.raises(LukError) as raised:
        services.project_close(project=project, by=officer)

    assert "final report" in str(raised.value)
    project.refresh_from_db()
    assert (project.status, project.released_amount, nt_account().granted) == ("active", 0, 250_000)


@pytest.mark.parametrize("role", ["coordinator_a", "officer_other_county", "ministry"])
def test_only_the_countys_staff_close_or_cancel_a_project(request, project, coordinator_a, officer, role):
    final_approved(project, coordinator=coordinator_a, officer=officer)
    user = request.getfixturevalue(role)

    with pytest.raises(NotAllowed):
        services.project_close(project=project, by=user)
    with pytest.raises(NotAllowed):
        services.project_cancel(project=project, by=user, reasons="Nei.")

    project.refresh_from_db()
    assert (project.status, project.released_amount, nt_account().granted) == ("active", 0, 250_000)


def test_cancelling_needs_reasons(project, officer):
    with pytest.raises(ValidationError) as raised:
        services.project_cancel(project=project, by=officer, reasons="  ")

    assert "reasons" in raised.value.message_dict
    project.refresh_from_db()
    assert (project.status, nt_account().granted) == ("active", 250_000)


@pytest.mark.parametrize("role", ["officer", "decider"])
def test_cancelling_releases_what_is_not_paid_and_refuses_the_waiting_requests(
    request, project, report, coordinator_a, officer, role
):
    pay(project, 60_000, report=report, coordinator=coordinator_a, officer=officer)
    waiting = services.payment_request(project=project, by=coordinator_a, amount=40_000, report=report)
    user = request.getfixturevalue(role)

    services.project_cancel(project=project, by=user, reasons="Kommunen trekte seg.")

    project.refresh_from_db()
    waiting.refresh_from_db()
    assert (project.status, project.paid_amount, project.released_amount) == ("cancelled", 60_000, 190_000)
    assert (waiting.status, waiting.reasons, waiting.decided_by) == ("refused", "Kommunen trekte seg.", user)
    account = nt_account()
    assert (account.granted, account.paid, account.free) == (60_000, 60_000, 940_000)
    event = last_event(project)
    assert (event.action, event.actor, event.to_status) == ("project_cancel", user, "cancelled")
    assert "Kommunen trekte seg." in event.comment


@pytest.mark.parametrize("end", ["close", "cancel"])
def test_after_closing_or_cancelling_nothing_more_can_be_done(project, report, coordinator_a, officer, end):
    draft = services.report_create(project=project, by=coordinator_a)
    if end == "close":
        final_approved(project, coordinator=coordinator_a, officer=officer)
        services.project_close(project=project, by=officer)
    else:
        services.project_cancel(project=project, by=officer, reasons="Kommunen trekte seg.")
    project.refresh_from_db()
    events_before = CaseEvent.objects.filter(project=project).count()
    account_before = nt_account()
    steps = {
        "report_create": lambda: services.report_create(project=project, by=coordinator_a),
        "report_save_draft": lambda: services.report_save_draft(
            report=draft, by=coordinator_a, fields={"activities": "Meir."}
        ),
        "report_submit": lambda: services.report_submit(report=draft, by=coordinator_a),
        "report_decide": lambda: services.report_decide(report=report, by=officer, approve=True),
        "payment_request": lambda: services.payment_request(project=project, by=coordinator_a, amount=1, report=report),
        "change_request_create": lambda: services.change_request_create(
            project=project,
            by=coordinator_a,
            kind="extend",
            reasons="Meir tid.",
            new_period_end=datetime.date(2028, 6, 30),
        ),
        "schedule_set": lambda: services.schedule_set(
            project=project, by=officer, every_months=3, final_due=datetime.date(2028, 1, 31)
        ),
        "project_plan_save": lambda: services.project_plan_save(
            project=project, by=officer, milestones=[], indicators=[]
        ),
        "project_close": lambda: services.project_close(project=project, by=officer),
        "project_cancel": lambda: services.project_cancel(project=project, by=officer, reasons="Igjen."),
    }

    for name, step in steps.items():
        with pytest.raises(LukError):
            step()
        assert CaseEvent.objects.filter(project=project).count() == events_before, name

    refreshed = Project.objects.get(pk=project.pk)
    assert (refreshed.status, refreshed.released_amount, refreshed.closed_at) == (
        project.status,
        project.released_amount,
        project.closed_at,
    )
    draft.refresh_from_db()
    assert (draft.status, draft.activities) == ("draft", "")
    assert nt_account().granted == account_before.granted


# The database keeps the rules too


def test_the_database_refuses_a_project_paid_more_than_granted(project):
    project.paid_amount = project.granted_amount + 1

    with pytest.raises(IntegrityError), transaction.atomic():
        project.save(update_fields=["paid_amount"])

    project.refresh_from_db()
    assert project.paid_amount == 0


def test_the_database_refuses_an_account_paid_more_than_granted(project):
    account = nt_account()

    factories.account_sum_refused(account, "paid", account.granted + 1)

    assert nt_account().paid == 0


# Two approvals at the same moment


@pytest.mark.postgres
@pytest.mark.skipif(NOT_ON_POSTGRES, reason="needs PostgreSQL (set DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_two_payment_approvals_at_the_same_moment_cannot_pay_more_than_may_be_paid(reference_data_put_back, refdata):
    require(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    coordinator, officer, decider = factories.nt_staff()
    application = factories.make_draft(
        by=coordinator, municipality=kommune("1702"), funding_round=MunicipalRoundFactory(county=county("17"))
    )
    factories.approve(application, coordinator=coordinator, officer=officer, decider=decider, amount=250_000)
    project = factories.project_of(application)
    report = factories.report_submitted(project, by=coordinator)
    # Both may be requested (250 000 in all, the whole grant), but before the final report only 187 500 may be
    # paid: approving both would pay 250 000.
    requests = [
        services.payment_request(project=project, by=coordinator, amount=amount, report=report)
        for amount in (150_000, 100_000)
    ]
    assert services.payable_now(project) == 187_500

    results = factories.at_the_same_moment(
        lambda payment: services.payment_decide(payment=payment, by=officer, approve=True), requests
    )

    approved = [r for r in results.values() if isinstance(r, Payment)]
    refused = [r for r in results.values() if isinstance(r, ValidationError)]
    assert (len(approved), len(refused)) == (1, 1), results
    message = refused[0].message_dict["amount"][0]
    assert "25 %" in message
    winner = approved[0].amount
    assert kr(187_500 - winner) in message
    project.refresh_from_db()
    assert project.paid_amount == winner
    assert project.paid_amount in (150_000, 100_000)
    statuses = dict(Payment.objects.filter(project=project).values_list("amount", "status"))
    assert sorted(statuses.values()) == ["approved", "requested"]
    assert statuses[winner] == "approved"
    account = account_for(county=county("17"), programme=refdata)
    assert (account.granted, account.paid) == (250_000, winner)
    assert not Project.history.filter(id=project.pk, paid_amount__gt=187_500).exists()
    assert not CountyAccount.history.filter(id=account.pk, paid__gt=187_500).exists()
    assert CaseEvent.objects.filter(project=project, action="payment_approve").count() == 1
