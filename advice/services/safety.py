"""The citizen's answer to "Are you safe right now?" on a possible-risk conversation.

Triage marks a conversation ``possible_risk`` when it is below P1 but the model sees a real
chance of risk to life or safety; the citizen is asked once (``safety.ask``) and answers
with a ``SafetyAnswer``. "Not safe" raises the conversation to P1 and alerts every console
like any P1; "safe" clears the mark; "rather not say" keeps it. Every answer becomes the
first triage reason, so officers read it in their language; re-triage keeps it.
"""

from __future__ import annotations

from django.db import transaction

from advice.audit import audit_record
from advice.events.publish import publish_p1_alert, publish_queue_entry, publish_state
from advice.models import Conversation, ConversationStatus
from core.errors import DomainError, ErrorCode
from core.triage_reasons import Reason, TriageReason
from core.vocabulary import AuditAction, SafetyAnswer, StateReason, Urgency

_ANSWER_REASONS: dict[str, Reason] = {
    SafetyAnswer.NOT_SAFE: {"code": TriageReason.CITIZEN_NOT_SAFE.value, "to": Urgency.P1.value},
    SafetyAnswer.SAFE: {"code": TriageReason.CITIZEN_SAFE.value},
    SafetyAnswer.NO_ANSWER: {"code": TriageReason.CITIZEN_NO_ANSWER.value},
}
_ANSWER_CODES = frozenset(str(reason["code"]) for reason in _ANSWER_REASONS.values())


def safety_reasons(answer: str) -> list[Reason]:
    """The reason a recorded answer adds in front of triage's own ("" adds none)."""
    return [dict(_ANSWER_REASONS[answer])] if answer in _ANSWER_REASONS else []  # type: ignore[list-item]


def with_safety_reason(answer: str, reasons: list[object]) -> list[object]:
    """``reasons`` led by the answer's reason (once). Once the citizen said whether they are
    safe, "possible risk: ask whether they are safe" is answered and no longer shown; after
    "rather not say" it stays."""
    answered = answer in (SafetyAnswer.SAFE, SafetyAnswer.NOT_SAFE)
    dropped = {*_ANSWER_CODES, *([TriageReason.POSSIBLE_RISK.value] if answered else [])}
    kept = [
        reason
        for reason in reasons
        if not (isinstance(reason, dict) and reason.get("code") in dropped)
    ]
    return [*safety_reasons(answer), *kept]


def possible_risk_after(*, answer: str, marked_by_triage: bool, urgency: str) -> bool:
    """Whether the card stays marked: triage decides until the citizen answers; "rather not
    say" keeps the mark, "safe" clears it, and a P1 needs no mark."""
    if urgency == Urgency.P1:
        return False
    if answer:
        return answer == SafetyAnswer.NO_ANSWER
    return marked_by_triage


def conversation_safety_answer(*, conversation_id: int, answer: str) -> Conversation:
    """Record the citizen's answer once and apply it (events after commit).

    Refused with ``invalid_field`` for an answer not in ``SafetyAnswer``, ``not_allowed``
    when the conversation was not asked (no possible risk) or was answered already,
    ``conversation_ended`` once it has ended.
    """
    if answer not in SafetyAnswer.values:
        raise DomainError(ErrorCode.INVALID_FIELD, "Field 'answer' must be one of the answers.")
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
        if conversation is None:
            raise DomainError(ErrorCode.NOT_FOUND, "No such conversation.")
        if conversation.status not in (ConversationStatus.WAITING, ConversationStatus.ACTIVE):
            raise DomainError(ErrorCode.CONVERSATION_ENDED, "The conversation has ended.")
        if conversation.safety_answer or not conversation.possible_risk:
            raise DomainError(ErrorCode.NOT_ALLOWED, "This question is not open.")
        was_p1 = conversation.urgency == Urgency.P1
        conversation.safety_answer = answer
        if answer == SafetyAnswer.NOT_SAFE:
            conversation.urgency = Urgency.P1
        conversation.possible_risk = possible_risk_after(
            answer=answer, marked_by_triage=True, urgency=conversation.urgency
        )
        conversation.triage_reasons = with_safety_reason(
            answer, list(conversation.triage_reasons or [])
        )
        conversation.save(
            update_fields=["safety_answer", "urgency", "possible_risk", "triage_reasons"]
        )
        audit_record(
            action=AuditAction.CONVERSATION_SAFETY_ANSWERED,
            actor_kind="citizen",
            conversation=conversation,
            params={"answer": answer},
        )
        if conversation.urgency == Urgency.P1 and not was_p1:
            publish_p1_alert(conversation)
        if conversation.status == ConversationStatus.WAITING:
            publish_queue_entry(conversation)
        publish_state(conversation, reason=StateReason.TRIAGE)
    return conversation
