"""Applying triage to conversations: store the assessment, refresh the queue, alert on P1."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from advice.audit import audit_record
from advice.events.publish import (
    publish_language_ask,
    publish_p1_alert,
    publish_queue_entry,
    publish_safety_ask,
    publish_state,
    publish_suggestions,
)
from advice.models import (
    Conversation,
    ConversationStatus,
    Message,
    SenderKind,
    TriageOverride,
)
from advice.prechat import clean_language
from advice.selectors import is_supervisor, money_moving, safety_question_due
from advice.services.safety import possible_risk_after, with_safety_reason
from advice.text import without_invisible_format
from core.errors import DomainError, ErrorCode
from core.vocabulary import AuditAction, Category, SafetyAnswer, StateReason, Urgency
from triage.engine import assess

# Triage reads the citizen's first messages only: enough evidence, bounded work per frame.
TRIAGE_MESSAGES = 12


def conversation_triage(
    *, conversation: Conversation, publish: bool = True, new: bool = False
) -> bool:
    """Re-assess ``conversation`` from its pre-chat answers and first citizen messages
    (``new``: it was created in this transaction, so it has none yet).

    Saves the changed fields and returns True if anything changed. Fields an officer has
    overridden are kept. A conversation that becomes P1 alerts every on-duty officer and
    supervisor (after commit). With ``publish`` the queue entry is refreshed too.
    """
    texts: list[str] = (
        []
        if new
        else list(
            Message.objects.filter(conversation_id=conversation.pk, sender=SenderKind.CITIZEN)
            .order_by("seq")
            .values_list("text", flat=True)[:TRIAGE_MESSAGES]
        )
    )
    result = assess(
        texts=[without_invisible_format(text) for text in texts],
        browser_language=conversation.browser_language,
        prechat=conversation.prechat,
        chosen_language=conversation.language if conversation.language_confirmed else "",
    )
    was_p1 = conversation.urgency == "P1"
    was_moving = money_moving(conversation)
    was_asking = safety_question_due(conversation)
    answer = conversation.safety_answer
    changes: dict[str, object] = {
        "language": result.language,
        "triage_reasons": with_safety_reason(answer, list(result.reasons)),
    }
    if not conversation.triage_overridden:
        not_safe = answer == SafetyAnswer.NOT_SAFE
        changes.update(category=result.category, urgency="P1" if not_safe else result.urgency)
    changes["possible_risk"] = possible_risk_after(
        answer=answer,
        marked_by_triage=result.possible_risk,
        urgency=str(changes.get("urgency", conversation.urgency)),
    )
    changed = [name for name, value in changes.items() if getattr(conversation, name) != value]
    for name in changed:
        setattr(conversation, name, changes[name])
    if changed and conversation.pk:
        conversation.save(update_fields=changed)
    if conversation.urgency == Urgency.P1 and not was_p1:
        publish_p1_alert(conversation)
    if safety_question_due(conversation) and not was_asking:
        publish_safety_ask(conversation)
    if (
        texts
        and not result.language_confident
        and not conversation.language_confirmed
        and not conversation.language_asked
        and len(result.language_candidates) > 1
    ):
        # Ask once, rather than guess: calling a Ukrainian's message Russian is worse than
        # asking. Each candidate is named in its own language.
        names = dict(settings.LANGUAGES)
        candidates = [
            (code, names[code]) for code in result.language_candidates[:3] if code in names
        ]
        conversation.language_asked = True
        conversation.save(update_fields=["language_asked"])
        publish_language_ask(conversation, candidates)
    if changed and publish:
        publish_queue_entry(conversation)
    if (
        {"category", "language"} & set(changed)
        or not texts
        or money_moving(conversation) != was_moving
    ):
        publish_suggestions(conversation, texts=texts)
    return bool(changed)


def conversation_retriage_if_waiting(*, conversation_id: int) -> None:
    """Re-triage after a new citizen message while the conversation is still in the queue."""
    with transaction.atomic():
        conversation = Conversation.objects.filter(
            pk=conversation_id, status=ConversationStatus.WAITING
        ).first()
        if conversation is not None:
            conversation_triage(conversation=conversation)


def conversation_set_language(*, conversation_id: int, language: object) -> Conversation:
    """The citizen's explicit language choice: it wins over detection from then on."""
    code = clean_language(language)
    if not code:
        raise DomainError(ErrorCode.INVALID_FIELD, "Choose one of the supported languages.")
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation_id)
        conversation.language = code
        conversation.language_confirmed = True
        conversation.save(update_fields=["language", "language_confirmed"])
        audit_record(
            action=AuditAction.CONVERSATION_LANGUAGE_CHOSEN,
            actor_kind="citizen",
            conversation=conversation,
            params={"language": code},
        )
        conversation_triage(conversation=conversation, publish=True)
        publish_state(conversation, reason=StateReason.TRIAGE)
    return conversation


OVERRIDABLE = ("category", "urgency", "language")


def conversation_override(
    *, conversation_id: int, officer: AbstractBaseUser, changes: dict[str, object]
) -> Conversation:
    """An officer corrects category, urgency or language; each change is kept with its author.

    Only open conversations can be corrected, by their officer, by a supervisor, or (while
    waiting) by any officer who sees the queue.
    """
    cleaned = _clean_override(changes)
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
        if conversation is None:
            raise DomainError(ErrorCode.NOT_FOUND, "No such conversation.")
        if conversation.status not in (ConversationStatus.WAITING, ConversationStatus.ACTIVE):
            raise DomainError(ErrorCode.CONVERSATION_ENDED, "The conversation has ended.")
        if (
            conversation.status == ConversationStatus.ACTIVE
            and conversation.assigned_officer_id != officer.pk
            and not is_supervisor(officer)
        ):
            raise DomainError(ErrorCode.NOT_ASSIGNED, "This conversation is not assigned to you.")
        for field, value in cleaned.items():
            old = getattr(conversation, field)
            if old == value:
                continue
            TriageOverride.objects.create(
                conversation=conversation,
                officer_id=officer.pk,
                field=field,
                old_value=old,
                new_value=value,
                reasons=conversation.triage_reasons,
            )
            audit_record(
                action=AuditAction.CONVERSATION_TRIAGE_OVERRIDDEN,
                actor=officer,
                conversation=conversation,
                params={"field": field, "old": old, "new": value},
            )
            setattr(conversation, field, value)
        if "language" in cleaned:
            conversation.language_confirmed = True
        if "category" in cleaned or "urgency" in cleaned:
            conversation.triage_overridden = True
        conversation.save()
        if conversation.status == ConversationStatus.WAITING:
            publish_queue_entry(conversation)
        publish_state(conversation, reason=StateReason.TRIAGE)
    return conversation


def _clean_override(changes: dict[str, object]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for field in OVERRIDABLE:
        value = changes.get(field)
        if value is None:
            continue
        if field == "category" and value not in Category.values:
            raise DomainError(ErrorCode.INVALID_FIELD, "Unknown category.")
        if field == "urgency" and value not in Urgency.values:
            raise DomainError(ErrorCode.INVALID_FIELD, "Urgency must be P1, P2, P3 or P4.")
        if field == "language":
            value = clean_language(value)
            if not value:
                raise DomainError(ErrorCode.INVALID_FIELD, "Unknown language.")
        cleaned[field] = str(value)
    if not cleaned:
        raise DomainError(
            ErrorCode.INVALID_FIELD, "Give at least one of category, urgency or language."
        )
    return cleaned
