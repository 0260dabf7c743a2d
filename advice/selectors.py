"""Read-only queries of the conversation domain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

from advice.models import (
    Conversation,
    ConversationStatus,
    Message,
    OfficerProfile,
    SenderKind,
)

URGENCY_RANK = {"P1": 1, "P2": 2, "P3": 3, "P4": 4}


def queue_rank(conversation: Conversation, *, now: datetime) -> tuple[int, int, float]:
    """Sort key of a waiting conversation: lower goes first.

    1. Conversations handed back to the queue (their officer disconnected) go to the head.
    2. Then urgency, where waiting ages a conversation: every ``QUEUE_AGING_SECONDS`` of
       waiting raises it one level, but never into P1 (a real P1 always goes first).
    3. Then the longest wait.
    """
    waited = (now - conversation.queued_at).total_seconds()
    rank = URGENCY_RANK.get(conversation.urgency, 3)
    if rank > 1:
        rank = max(2, rank - int(waited // settings.QUEUE_AGING_SECONDS))
    return (0 if conversation.requeued_at else 1, rank, conversation.queued_at.timestamp())


def queue_waiting(*, now: datetime | None = None) -> list[Conversation]:
    """Waiting conversations in the order officers should take them."""
    now = now or timezone.now()
    waiting = list(
        Conversation.objects.filter(status=ConversationStatus.WAITING).select_related("unit")
    )
    waiting.sort(key=lambda c: queue_rank(c, now=now))
    return waiting


def queue_position(*, conversation_id: int) -> int | None:
    """1-based position of a waiting conversation in the queue, or None if it is not waiting."""
    for index, conversation in enumerate(queue_waiting(), start=1):
        if conversation.pk == conversation_id:
            return index
    return None


def conversation_previews(conversation_ids: Sequence[int]) -> dict[int, str]:
    """Last citizen message (first 140 characters) per conversation, for queue cards."""
    previews: dict[int, str] = {}
    rows = (
        Message.objects.filter(conversation_id__in=conversation_ids, sender=SenderKind.CITIZEN)
        .order_by("conversation_id", "-seq")
        .values_list("conversation_id", "text")
    )
    for conversation_id, text in rows:
        previews.setdefault(conversation_id, text[:140])
    return previews


def messages_after(*, conversation_id: int, after_seq: int, limit: int = 500) -> list[Message]:
    """Messages of a conversation with ``seq > after_seq``, in order (at most ``limit``)."""
    return list(
        Message.objects.filter(conversation_id=conversation_id, seq__gt=after_seq).order_by("seq")[
            :limit
        ]
    )


def officer_profile(*, user: AbstractBaseUser) -> OfficerProfile | None:
    return OfficerProfile.objects.select_related("unit").filter(user_id=user.pk).first()


def officer_active_conversations(*, user: AbstractBaseUser) -> QuerySet[Conversation]:
    return Conversation.objects.filter(
        assigned_officer_id=user.pk, status=ConversationStatus.ACTIVE
    ).order_by("claimed_at")


def is_staff_member(user: AbstractBaseUser) -> bool:
    """Officers and supervisors: authenticated users with an officer profile."""
    return bool(user.is_authenticated) and OfficerProfile.objects.filter(user_id=user.pk).exists()


def is_supervisor(user: AbstractBaseUser) -> bool:
    return bool(user.is_authenticated) and (
        bool(getattr(user, "is_superuser", False))
        or user.groups.filter(name="supervisors").exists()  # type: ignore[attr-defined]
    )


def conversation_with_officer_name(*, conversation_id: int) -> tuple[Conversation, str]:
    """The conversation and the display name of its officer while one is assigned."""
    conversation = Conversation.objects.get(pk=conversation_id)
    return conversation, officer_display_name(conversation)


def officer_display_name(conversation: Conversation) -> str:
    """Display name of the officer assigned to an active conversation, else ""."""
    if not conversation.assigned_officer_id or conversation.status != ConversationStatus.ACTIVE:
        return ""
    return (
        OfficerProfile.objects.filter(user_id=conversation.assigned_officer_id)
        .values_list("display_name", flat=True)
        .first()
        or ""
    )
