"""The retention rule: what citizens wrote is erased a fixed time after the conversation ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from advice.audit import audit_record
from advice.models import Conversation, ConversationNote, ConversationStatus, Message
from advice.tokens import token_hash, token_new
from core.vocabulary import AuditAction

BATCH = 500


@dataclass(frozen=True)
class RetentionReport:
    conversations: int
    messages: int


def retention_apply(*, now: datetime | None = None, days: int | None = None) -> RetentionReport:
    """Erase the words of conversations that ended more than ``days`` ago.

    Deleted: messages and internal notes. Cleared: the rating comment, the pre-chat answers
    and the triage reasons (which quote the citizen). The token hash is replaced, so the old
    token no longer opens anything. Kept: the conversation's timestamps, language, category,
    urgency and rating, which statistics need and which identify nobody. Each erasure writes
    a ``conversation.erased`` audit event. Idempotent.
    """
    cutoff = (now or timezone.now()) - timedelta(
        days=settings.RETENTION_DAYS if days is None else days
    )
    ended = Conversation.objects.filter(
        status__in=[ConversationStatus.CLOSED, ConversationStatus.ABANDONED],
        closed_at__lt=cutoff,
        erased_at__isnull=True,
    )
    conversations = messages = 0
    while True:
        ids = list(ended.order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            break
        with transaction.atomic():
            deleted, _ = Message.objects.filter(conversation_id__in=ids).delete()
            ConversationNote.objects.filter(conversation_id__in=ids).delete()
            erased_at = timezone.now()
            for conversation_id in ids:
                Conversation.objects.filter(pk=conversation_id).update(
                    erased_at=erased_at,
                    rating_comment="",
                    prechat={},
                    triage_reasons=[],
                    token_hash=token_hash(token_new()),
                )
                audit_record(
                    action=AuditAction.CONVERSATION_ERASED,
                    actor_kind="system",
                    object_type="conversation",
                    object_id=conversation_id,
                    params={"retention_days": settings.RETENTION_DAYS if days is None else days},
                )
        conversations += len(ids)
        messages += deleted
    return RetentionReport(conversations=conversations, messages=messages)
