"""Applications for tests: a complete draft made through the services, and helpers that walk it onwards.

Later states are reached by calling the services (submit, take, recommend, decide), never by setting status=.
"""

from __future__ import annotations

import datetime
from typing import Any

from applications import services
from applications.models import Application, Decision, Recommendation
from programmes.models import FundingRound, Municipality, Programme, ResultGoal, Theme
from programmes.tests.factories import MunicipalRoundFactory

BUDGET = 400_000
REQUESTED = 300_000
OWN = 100_000


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
    return services.decision_make(
        application=application,
        by=decider,
        outcome="approve",
        amount=amount,
        reasons=reasons,
        conditions="Rapport kvart halvår.",
    )
