"""Where a referral's decision sends things, and who hears of it (after commit).

- An accepted live conversation waits for the receiving unit only (``advice.queue_policy``:
  reserved for it, at the head of its urgency), never back in the shared queue.
- A P1 conversation referred to a unit alerts that unit's consoles: when the referral is made
  (with the referral's id, to decide in the inbox) and when it lands in their queue.
- The referring officer's consoles hear the decision (``referral.decided``).

Called by ``cases.services.referrals`` inside its transactions.
"""

from __future__ import annotations

from datetime import datetime

from advice.events import frames
from advice.events.publish import publish_referral_decided, publish_unit_p1_alert
from advice.models import Conversation
from advice.services.conversations import conversation_requeue
from cases.models import Referral
from core.vocabulary import StateReason, Urgency


def referral_conversation_route(
    *, referral: Referral, conversation: Conversation, now: datetime
) -> None:
    """Hand the locked, open ``conversation`` to the referral's receiving unit's queue."""
    conversation.unit_id = referral.to_unit_id
    conversation.referred_at = now
    conversation.save(update_fields=["unit", "referred_at"])
    conversation_requeue(conversation=conversation, reason=StateReason.REFERRED)
    if conversation.urgency == Urgency.P1:
        publish_unit_p1_alert(conversation, unit_id=referral.to_unit_id)


def referral_created_announce(*, referral: Referral, conversation: Conversation) -> None:
    """A live P1 conversation was referred: alert the receiving unit's consoles now."""
    if conversation.urgency == Urgency.P1:
        publish_unit_p1_alert(conversation, unit_id=referral.to_unit_id, referral_id=referral.pk)


def referral_decision_announce(referral: Referral) -> None:
    """Push the decision on ``referral`` (saved in this transaction) to its referrer."""
    publish_referral_decided(
        officer_id=referral.created_by_id,
        frame=frames.referral_decided(
            referral_id=referral.pk,
            decision=referral.status,
            unit=referral.to_unit.code,
            reason=referral.decision_reason,
            conversation_id=referral.conversation_id,
            case_reference=referral.case.reference if referral.case is not None else None,
        ),
    )
