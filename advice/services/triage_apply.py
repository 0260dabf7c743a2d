"""Applying triage to conversations: store the assessment, refresh the queue, alert on P1."""

from __future__ import annotations

from django.db import transaction

from advice import notify
from advice.models import Conversation, ConversationStatus, Message, SenderKind
from triage.engine import assess

# Triage reads the citizen's first messages only: enough evidence, bounded work per frame.
TRIAGE_MESSAGES = 12


def conversation_triage(*, conversation: Conversation, publish: bool = True) -> bool:
    """Re-assess ``conversation`` from its pre-chat answers and first citizen messages.

    Saves the changed fields and returns True if anything changed. Fields an officer has
    overridden are kept. A conversation that becomes P1 alerts every on-duty officer and
    supervisor (after commit). With ``publish`` the queue entry is refreshed too.
    """
    from advice.services.conversations import publish_queue_entry

    texts = list(
        Message.objects.filter(conversation_id=conversation.pk, sender=SenderKind.CITIZEN)
        .order_by("seq")
        .values_list("text", flat=True)[:TRIAGE_MESSAGES]
    )
    result = assess(
        texts=texts,
        browser_language=conversation.browser_language,
        prechat=conversation.prechat,
        chosen_language=conversation.language if conversation.language_confirmed else "",
    )
    was_p1 = conversation.urgency == "P1"
    changes: dict[str, object] = {"language": result.language, "triage_reasons": result.reasons}
    if not conversation.triage_overridden:
        changes.update(category=result.category, urgency=result.urgency)
    changed = [name for name, value in changes.items() if getattr(conversation, name) != value]
    for name in changed:
        setattr(conversation, name, changes[name])
    if changed and conversation.pk:
        conversation.save(update_fields=changed)
    if conversation.urgency == "P1" and not was_p1:
        alert = {
            "type": "alert.p1",
            "conversation_id": conversation.pk,
            "language": conversation.language,
            "category": conversation.category,
            "reasons": conversation.triage_reasons,
        }
        notify.publish(notify.QUEUE_GROUP, alert)
        notify.publish(notify.SUPERVISOR_GROUP, alert)
    if changed and publish:
        publish_queue_entry(conversation)
    return bool(changed)


def conversation_retriage_if_waiting(*, conversation_id: int) -> None:
    """Re-triage after a new citizen message while the conversation is still in the queue."""
    with transaction.atomic():
        conversation = Conversation.objects.filter(
            pk=conversation_id, status=ConversationStatus.WAITING
        ).first()
        if conversation is not None:
            conversation_triage(conversation=conversation)
