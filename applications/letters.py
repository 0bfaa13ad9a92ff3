"""The decision letter: made once when the decision is made, in the kommune's målform, kept as PDF/A."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from luk_portal.pdf import render_pdf
from programmes.selectors import letter_language

from .models import Decision
from .services.decisions import decision_letter_store

APPEAL_WEEKS = 3


def decision_letter_context(decision: Decision) -> dict[str, object]:
    application = decision.application
    decided_on = timezone.localtime(decision.decided_at).date()
    return {
        "decision": decision,
        "application": application,
        "county": application.funding_round.county,
        "municipality": application.lead_municipality,
        "decided_on": decided_on,
        "appeal_deadline": decided_on + datetime.timedelta(weeks=APPEAL_WEEKS),
        "appeal_weeks": APPEAL_WEEKS,
        "portal_url": settings.PORTAL_URL,
    }


def decision_letter_make(*, decision_id: int) -> Decision:
    decision = Decision.objects.select_related(
        "application__funding_round__county",
        "application__funding_round__programme",
        "application__lead_municipality",
        "decided_by",
        "recommendation__author",
    ).get(pk=decision_id)
    if decision.letter:
        return decision
    language = letter_language(municipality=decision.application.lead_municipality)
    pdf = render_pdf(
        "reporting/pdf/decision_letter.html", decision_letter_context(decision), language=language, archive=True
    )
    return decision_letter_store(decision_id=decision.pk, pdf=pdf, language=language)
