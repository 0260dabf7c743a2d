"""The citizen erases their own conversation from the chat, before it becomes a case.

Afterwards nothing the citizen wrote or answered remains: messages, officers' notes, triage
corrections (they quote the citizen), pending referrals of the conversation, the pre-chat
answers, the triage reasons, the rating comment and the resume code are gone, the token is
revoked and the conversation has ended. What stays is one ``conversation.erased`` audit
event and the row's figures (times, category, urgency), which identify nobody.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from advice.audit import audit_record
from advice.events.publish import publish_queue_removed, publish_state
from advice.models import (
    Conversation,
    ConversationNote,
    ConversationStatus,
    Message,
    TriageOverride,
)
from advice.tokens import token_hash_unusable
from core.errors import DomainError, ErrorCode
from core.vocabulary import AuditAction, Outcome, StateReason


def conversation_erase(*, conversation_id: int) -> Conversation:
    """Erase the conversation at the citizen's request (see the module).

    Refused with ``conversation_escalated`` once an officer made a case of it (the case's
    transcript is a police record then) and with ``invalid_token`` when it was erased
    already. Sends ``conversation.state`` with reason ``citizen_erased`` to the citizen and
    the staff watching it, and ``queue.removed`` if it was waiting.
    """
    now = timezone.now()
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
        if conversation is None or conversation.erased_at is not None:
            raise DomainError(ErrorCode.INVALID_TOKEN, "Unknown conversation.")
        if conversation.escalated_at is not None:
            raise DomainError(
                ErrorCode.CONVERSATION_ESCALATED,
                "This conversation is now a police case and can no longer be erased here.",
            )
        was_waiting = conversation.status == ConversationStatus.WAITING
        was_open = was_waiting or conversation.status == ConversationStatus.ACTIVE
        messages, _ = Message.objects.filter(conversation=conversation).delete()
        ConversationNote.objects.filter(conversation=conversation).delete()
        TriageOverride.objects.filter(conversation=conversation).delete()
        conversation.unit_referrals.filter(case__isnull=True).delete()
        if was_open:
            conversation.status = (
                ConversationStatus.ABANDONED if was_waiting else ConversationStatus.CLOSED
            )
            conversation.closed_at = now
            conversation.ended_by = "citizen"
            conversation.outcome = "" if was_waiting else Outcome.CITIZEN_LEFT
        conversation.prechat = {}
        conversation.triage_reasons = []
        conversation.rating_comment = ""
        conversation.resume_hash = ""
        conversation.resume_lookup = ""
        conversation.left_message = False
        conversation.token_hash = token_hash_unusable()
        conversation.erased_at = now
        conversation.save()
        audit_record(
            action=AuditAction.CONVERSATION_ERASED,
            actor_kind="citizen",
            conversation=conversation,
            object_type="conversation",
            object_id=conversation.pk,
            params={"by": "citizen", "messages": messages},
        )
        if was_waiting:
            publish_queue_removed(conversation.pk, reason=StateReason.ABANDONED)
        publish_state(conversation, reason=StateReason.CITIZEN_ERASED)
    return conversation
