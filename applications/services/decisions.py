"""The county's decision on an application, and the decision letter it keeps.

The letter is made by a Celery task (applications.tasks.decision_letter_make) started by its name once the
decision is committed, so that this module never imports the tasks that call the services.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luk_portal import jobs
from luk_portal.errors import LukError, NotAllowed
from luk_portal.formats import format_kroner
from programmes.services import account_reserve

from .. import notifications, permissions
from ..models import Application, Decision, Recommendation
from . import steps
from .common import event, locked_application, more_than_applied, require
from .projects import project_create

__all__ = ["decision_letter_store", "decision_make"]

OUTCOME_ACTIONS = {"approve": "approve", "reject": "reject", "send_back": "send_back"}


@transaction.atomic
def decision_make(
    *,
    application: Application,
    by: AbstractUser,
    outcome: str,
    reasons: str = "",
    amount: int | None = None,
    conditions: str = "",
) -> Decision | None:
    """A decision-maker approves, rejects, or sends the case back to the case officer.

    Never on a recommendation the same person wrote. Approval takes the amount from the county's free frame,
    with the county's account locked, so two decisions at once cannot together grant more than it holds.
    Returns the decision, or None when the case was sent back.
    """
    application = locked_application(application)
    recommendation, action = _decision_allowed(application, by=by, outcome=outcome)
    reasons = reasons.strip()
    if action == "send_back":
        if not reasons:
            raise ValidationError({"reasons": [_("Write what the case officer should look at again.")]})
        # The decision-maker's word to the case officer is internal, like the recommendation it is about.
        steps.take(application, "send_back", by=by, reason=reasons, internal=True)
        return None
    if not reasons:
        raise ValidationError({"reasons": [_("Give the reasons for the decision.")]})
    approve = action == "approve"
    if approve:
        _amount_reserve(application, amount=amount)
    decision = Decision(
        application=application,
        recommendation=recommendation,
        recommended_by_id=recommendation.author_id,
        decided_by=by,
        outcome=Decision.Outcome.APPROVED if approve else Decision.Outcome.REJECTED,
        amount=amount if approve else None,
        conditions=conditions.strip() if approve else "",
        reasons=reasons,
        decided_at=timezone.now(),
    )
    decision._history_user = by
    decision.full_clean()
    decision.save()
    summary = decision.get_outcome_display() + (f": {format_kroner(decision.amount)}" if decision.amount else "")
    steps.take(application, action, by=by, reason=summary)
    if approve:
        project_create(decision=decision)
    jobs.send_on_commit("applications.tasks.decision_letter_make", decision.pk)
    notifications.on_commit_application(application, "decided")
    return decision


def _decision_allowed(application: Application, *, by: AbstractUser, outcome: str) -> tuple[Recommendation, str]:
    """The recommendation decided on and the step the outcome is, if `by` may take it now."""
    require(
        permissions.is_decision_maker_for(by, application), _("Only the county's decision-makers can decide this case.")
    )
    recommendation = application.recommendations.order_by("-created_at", "-pk").first()
    if recommendation is not None and recommendation.author_id == by.pk:
        raise NotAllowed(_("You wrote the recommendation, so someone else must make the decision."))
    action = OUTCOME_ACTIONS.get(outcome)
    if action is None:
        raise LukError(_("Choose approve, reject or send back."), field="outcome")
    steps.require(application, action, by=by)
    return recommendation, action


def _amount_reserve(application: Application, *, amount: int | None) -> None:
    """Take the granted amount from the county's free frame, or say on the amount field why not."""
    if not amount or amount <= 0:
        raise ValidationError({"amount": [_("Give the amount granted.")]})
    if amount > application.requested_amount:
        raise ValidationError({"amount": [more_than_applied(application.requested_amount)]})
    try:
        account_reserve(
            county=application.funding_round.county, programme=application.funding_round.programme, amount=amount
        )
    except LukError as error:
        raise ValidationError({"amount": [error.message]}) from error


@transaction.atomic
def decision_letter_store(*, decision_id: int, pdf: bytes, language: str) -> Decision:
    """Keep the decision letter. Once kept it never changes: a second call leaves the first letter as it is."""
    decision = Decision.objects.select_for_update().get(pk=decision_id)
    if decision.letter:
        return decision
    digest = hashlib.sha256(pdf).hexdigest()
    decision.letter.save(f"vedtak-{decision.application_id}-{digest[:12]}.pdf", ContentFile(pdf), save=False)
    decision.letter_sha256 = digest
    decision.letter_language = language
    decision.save(update_fields=["letter", "letter_sha256", "letter_language"])
    event(application=decision.application, actor=decision.decided_by, action="letter")
    return decision
