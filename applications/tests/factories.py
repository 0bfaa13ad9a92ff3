"""Applications for tests: a complete draft made through the services, and helpers that walk it onwards.

Later states are reached by calling the services (submit, take, recommend, decide), never by setting status=.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation

from applications import services
from applications.models import Application, Decision, Recommendation
from programmes.models import FundingRound, Municipality, Programme, ResultGoal, Theme
from programmes.tests.factories import MunicipalRoundFactory

# The people of the root conftest, by fixture name, for the tests that ask each of them.
PEOPLE = [
    "coordinator_a",
    "coordinator_b",
    "coordinator_other_county",
    "officer",
    "decider",
    "officer_other_county",
    "ministry",
    "nobody",
]

BUDGET = 400_000
REQUESTED = 300_000
OWN = 100_000


def english(client: Any, user: Any) -> Any:
    """The test client signed in as `user`, with the portal in English."""
    client.force_login(user)
    client.cookies["luk_language"] = "en"
    return client


def luk() -> Programme:
    return Programme.objects.get(slug="luk")


def complete_fields(**overrides: Any) -> dict[str, Any]:
    """Every field of the application form filled in, with a financing plan that balances a 400 000 budget."""
    fields = {
        "title": "Attraktive Steinkjer",
        "summary": "Ein stad folk vil bu i.",
        "background": "Folketalet går ned.",
        "goals": "Fleire unge flyttar heim.",
        "activities": "Møte, verkstader og ein stadanalyse.",
        "period_start": datetime.date(2026, 1, 1),
        "period_end": datetime.date(2027, 12, 31),
        "requested_amount": REQUESTED,
        "own_contribution": OWN,
        "other_public": 0,
        "private": 0,
        "contact_name": "Kari Koordinator",
        "contact_email": "kari@steinkjer.example",
        "contact_phone": "+47 74 00 00 00",
    }
    fields.update(overrides)
    return fields


def make_draft(
    *,
    by: Any,
    municipality: Municipality,
    funding_round: FundingRound | None = None,
    budget: int = BUDGET,
    partner_municipalities: list[Municipality] | None = None,
    **overrides: Any,
) -> Application:
    """A complete draft: every field, a theme, a result goal, one budget line and a balanced financing plan.

    `budget` sets the budget line; unless given, the amount applied for is the budget less an own
    contribution of 100 000, so the plan always balances.
    """
    funding_round = funding_round or MunicipalRoundFactory(county=municipality.county)
    overrides.setdefault("requested_amount", budget - OWN)
    overrides.setdefault("own_contribution", OWN)
    fields = complete_fields(**overrides)
    application = services.application_create(
        by=by, funding_round=funding_round, lead_municipality=municipality, title=fields["title"]
    )
    programme = funding_round.programme
    return services.application_save_draft(
        application=application,
        by=by,
        fields=fields,
        themes=[Theme.objects.filter(programme=programme).order_by("code").first()],
        result_goals=[ResultGoal.objects.get(programme=programme, number=1)],
        partner_municipalities=partner_municipalities or [],
        budget_lines=[{"category": "personnel", "description": "Prosjektleiar", "amount": budget}],
        partners=[{"name": "Steinkjer næringsforum", "kind": "business"}],
    )


def submit(application: Application, *, by: Any) -> Application:
    return services.application_submit(application=application, by=by)


def take(application: Application, *, coordinator: Any, officer: Any) -> Application:
    """Submitted by the coordinator (unless it is already), taken by the officer: in_review."""
    application.refresh_from_db()
    if application.status in (Application.Status.DRAFT, Application.Status.RETURNED):
        application = submit(application, by=coordinator)
    return services.application_take(application=application, by=officer)


def recommend(
    application: Application,
    *,
    coordinator: Any,
    officer: Any,
    amount: int = 250_000,
    reasons: str = "Prosjektet svarar godt på resultatmåla.",
    conditions: str = "Rapport kvart halvår.",
) -> Recommendation:
    """Walked through submit and take (where not done yet) to a recommendation of approval: recommended."""
    application.refresh_from_db()
    if application.status != Application.Status.IN_REVIEW:
        application = take(application, coordinator=coordinator, officer=officer)
    recommendation = services.recommendation_make(
        application=application, by=officer, outcome="approve", amount=amount, reasons=reasons, conditions=conditions
    )
    application.refresh_from_db()
    return recommendation


def approve(
    application: Application,
    *,
    coordinator: Any,
    officer: Any,
    decider: Any,
    amount: int = 250_000,
    reasons: str = "Prosjektet svarar godt på resultatmåla.",
) -> Decision:
    """Walked all the way to a decision granting `amount`: approved."""
    recommend(application, coordinator=coordinator, officer=officer, amount=amount)
    application.refresh_from_db()
    return grant(application, decider=decider, amount=amount, reasons=reasons)


def grant(application: Application, *, decider: Any, amount: int = 250_000, reasons: str = "") -> Decision:
    """The decision-maker approves the recommended application, granting `amount`."""
    return services.decision_make(
        application=application,
        by=decider,
        outcome="approve",
        amount=amount,
        reasons=reasons or "Prosjektet svarar godt på resultatmåla.",
        conditions="Rapport kvart halvår.",
    )


def plan_submitted(*, by: Any, county: Any, municipality: Municipality, title: str = "Plan") -> Any:
    """A complete county plan of `county`, written by `by` and submitted to the ministry."""
    plan = services.plan_create(by=by, county=county, programme=luk(), title=title)
    services.plan_save_draft(
        plan=plan,
        by=by,
        fields={
            "requested_amount": 3_000_000,
            "period_start": datetime.date(2010, 6, 1),
            "period_end": datetime.date(2014, 12, 31),
            "activities": "Kurs",
            "budget": "Kurs 100 %",
        },
        themes=list(Theme.objects.all()[:1]),
        municipalities=[municipality],
    )
    return services.plan_submit(plan=plan, by=by)


# Projects: the project an approved application became, its plan and its reports, walked through the services.


def project_of(application: Application) -> Any:
    from applications.models import Project

    return Project.objects.get(application=application)


def indicators_add(project: Any, *, by: Any) -> None:
    """One indicator for each result goal the application addresses that has none yet, through the plan service."""
    from applications.services import missing_indicator_goals

    rows = [
        {
            "result_goal": goal,
            "name": f"Indikator for resultatmål {goal.number}",
            "unit": "personar",
            "baseline": 10,
            "target": 30,
        }
        for goal in missing_indicator_goals(project)
    ]
    if rows:
        services.project_plan_save(project=project, by=by, milestones=[], indicators=rows)


def report_complete(report: Any, *, by: Any, cost: int = 10_000, value: int = 15) -> Any:
    """Every part of the report filled in: the texts, costs for every budget line, a value for every indicator."""
    project = report.project
    fields = {
        "activities": "Tre verkstader og ein stadanalyse.",
        "went_well": "Mange unge møtte opp.",
        "challenges": "Vanskeleg å nå pendlarane.",
        "next_steps": "Handlingsplan for sentrum.",
    }
    if report.final:
        fields.update(results="Fleire unge flytta heim enn venta.", lessons="Start tidleg med dei unge.")
    return services.report_save_draft(
        report=report,
        by=by,
        fields=fields,
        costs={line.pk: cost for line in project.application.budget_lines.all()},
        indicator_values={indicator.pk: value for indicator in project.indicators.all()},
    )


def report_submitted(project: Any, *, by: Any, final: bool = False) -> Any:
    """A complete report submitted by the coordinator `by` (indicators added to the plan first where missing)."""
    indicators_add(project, by=by)
    report = services.report_create(project=project, by=by, final=final)
    report_complete(report, by=by)
    return services.report_submit(report=report, by=by)


def report_approved(project: Any, *, coordinator: Any, officer: Any, final: bool = False) -> Any:
    report = report_submitted(project, by=coordinator, final=final)
    return services.report_decide(report=report, by=officer, approve=True)


def nt_staff() -> tuple[Any, Any, Any]:
    """A coordinator of Steinkjer, and a case officer and a decision-maker of Nord-Trøndelag."""
    from conftest import Role, county, kommune, person

    return (
        person("coord.steinkjer", Role.COORDINATOR, kommune("1702")),
        person("officer.nt", Role.CASE_OFFICER, county("17")),
        person("decider.nt", Role.DECISION_MAKER, county("17")),
    )


def at_the_same_moment(act: Callable[[Any], Any], items: list[Any]) -> dict[int, object]:
    """Call `act` on each item in a thread of its own, all let go at once (in English); what each got (a result
    or the exception), by the item's pk."""
    barrier = threading.Barrier(len(items), timeout=30)
    results: dict[int, object] = {}

    def run(item: Any) -> None:
        from django.db import connection

        try:
            with translation.override("en"):
                barrier.wait()
                results[item.pk] = act(item)
        except Exception as error:  # noqa: BLE001 - the test looks at what each thread got
            results[item.pk] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def account_sum_refused(account: Any, field: str, value: int) -> None:
    """The database refuses to keep `value` as the account's `field` (its constraints hold the sums in step)."""
    from django.db import IntegrityError, transaction

    setattr(account, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        account.save(update_fields=[field])


def neither_saved_nor_submitted(
    save: Callable[..., Any], submit: Callable[..., Any], *, by: Any, fields: dict[str, Any], **target: Any
) -> None:
    """`by` may neither save `fields` into the draft nor submit it (`target`: `plan=...`, `report=...`): both
    services refuse with NotAllowed."""
    from luk_portal.errors import NotAllowed

    with pytest.raises(NotAllowed):
        save(**target, by=by, fields=fields)
    with pytest.raises(NotAllowed):
        submit(**target, by=by)
