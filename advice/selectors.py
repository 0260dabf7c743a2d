"""Read-only queries of the conversation domain."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from advice.models import (
    Conversation,
    ConversationNote,
    ConversationStatus,
    Message,
    OfficerProfile,
    SenderKind,
    Unit,
)
from advice.queue_policy import queue_rank
from core.errors import DomainError, ErrorCode
from core.vocabulary import StaffGroup, Urgency
from knowledge_base.bank_lines import STOP_TRANSFER_SLUG
from knowledge_base.selectors import ArticleView, article_view, articles_suggest
from triage.data_files import rules as triage_rules
from triage.reason_codes import reason_code


def queue_waiting(*, now: datetime | None = None) -> list[Conversation]:
    """Waiting conversations in the order officers should take them."""
    now = now or timezone.now()
    waiting = list(
        Conversation.objects.filter(status=ConversationStatus.WAITING).select_related("unit")
    )
    waiting.sort(key=lambda c: queue_rank(c, now=now))
    return waiting


def queue_order(*, now: datetime | None = None) -> list[int]:
    """Ids of the waiting conversations in the order officers should take them (as
    :func:`queue_waiting`, reading only what the order needs)."""
    now = now or timezone.now()
    waiting = [
        _RankRow(*row)
        for row in Conversation.objects.filter(status=ConversationStatus.WAITING).values_list(
            "pk", "urgency", "queued_at", "requeued_at", "referred_at"
        )
    ]
    waiting.sort(key=lambda row: queue_rank(row, now=now))
    return [row.pk for row in waiting]


class _RankRow(NamedTuple):
    pk: int
    urgency: str
    queued_at: datetime
    requeued_at: datetime | None
    referred_at: datetime | None


def queue_length_by_urgency() -> dict[str, int]:
    """Waiting conversations per urgency level, every level present: one aggregated query."""
    counted = dict(
        Conversation.objects.filter(status=ConversationStatus.WAITING)
        .order_by()
        .values("urgency")
        .annotate(waiting=Count("pk"))
        .values_list("urgency", "waiting")
    )
    return {urgency: counted.get(urgency, 0) for urgency in Urgency.values}


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


def conversation_notes(*, conversation_id: int) -> list[ConversationNote]:
    """The internal notes (and whispers) of a conversation, oldest first."""
    return list(ConversationNote.objects.filter(conversation_id=conversation_id))


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
        or user.groups.filter(name=StaffGroup.SUPERVISORS).exists()  # type: ignore[attr-defined]
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


@dataclass(frozen=True)
class QueueEstimate:
    position: int
    estimated_wait_seconds: int | None
    officers_on_duty: int


DEFAULT_HANDLE_SECONDS = 600.0
_handle_cache: dict[str, float] = {}


def recent_handle_seconds() -> float:
    """Median handle time (claimed → closed) of the last 200 closed conversations.

    Cached in-process for a minute: it changes slowly and is read on every queue change.
    """
    now = time.monotonic()
    if now - _handle_cache.get("at", -1e9) < 60:
        return _handle_cache["value"]
    rows = (
        Conversation.objects.filter(status=ConversationStatus.CLOSED, claimed_at__isnull=False)
        .order_by("-closed_at")
        .values_list("claimed_at", "closed_at")[:200]
    )
    durations = [
        (closed - claimed).total_seconds() for claimed, closed in rows if closed and claimed
    ]
    value = statistics.median(durations) if len(durations) >= 5 else DEFAULT_HANDLE_SECONDS
    _handle_cache.update(at=now, value=value)
    return value


def queue_estimate(*, conversation_id: int) -> QueueEstimate | None:
    """Position and estimated wait of a waiting conversation, or None if it is not waiting."""
    return queue_estimates().get(conversation_id)


def queue_estimates() -> dict[int, QueueEstimate]:
    """Position and estimated wait of every waiting conversation, from one read of the queue.

    Model: on-duty officers with an open console take conversations up to their limits. While
    free places exceed the position, the wait is short (one minute is shown); beyond them,
    every full round of capacity costs one recent median handle time. No estimated wait
    (None) when nobody is on duty: the citizen is then told so and offered self-help.
    """
    waiting = queue_order()
    if not waiting:
        return {}
    staffing = OfficerProfile.objects.filter(on_duty=True, open_sockets__gt=0).aggregate(
        officers=Count("pk"), capacity=Sum("max_concurrent_chats")
    )
    officers = staffing["officers"] or 0
    if officers == 0:
        return {
            pk: QueueEstimate(position=n, estimated_wait_seconds=None, officers_on_duty=0)
            for n, pk in enumerate(waiting, start=1)
        }
    capacity = staffing["capacity"] or officers
    busy = Conversation.objects.filter(
        status=ConversationStatus.ACTIVE,
        assigned_officer__officer_profile__on_duty=True,
        assigned_officer__officer_profile__open_sockets__gt=0,
    ).count()
    free = max(0, capacity - busy)
    handle = recent_handle_seconds()
    estimates: dict[int, QueueEstimate] = {}
    for position, pk in enumerate(waiting, start=1):
        seconds = 60.0 if position <= free else 60.0 + (position - free) / capacity * handle
        estimates[pk] = QueueEstimate(
            position=position, estimated_wait_seconds=int(seconds), officers_on_duty=officers
        )
    return estimates


def staff_directory(*, exclude_user_id: int | None = None) -> list[OfficerProfile]:
    """Every officer and supervisor by unit and name (for transfers), minus one user."""
    profiles = OfficerProfile.objects.select_related("unit").order_by("unit__code", "display_name")
    if exclude_user_id is not None:
        profiles = profiles.exclude(user_id=exclude_user_id)
    return list(profiles)


def units_all() -> list[Unit]:
    """Every unit of the joint network, by code (for referrals)."""
    return list(Unit.objects.order_by("code"))


@dataclass(frozen=True)
class ConsoleSnapshot:
    active: list[Conversation]
    waiting: list[Conversation]
    previews: dict[int, str]


def console_snapshot(*, user: AbstractBaseUser) -> ConsoleSnapshot:
    """What a console needs on connect: the officer's active conversations, the queue in
    order, and the preview line of each."""
    active = list(officer_active_conversations(user=user))
    waiting = queue_waiting()
    previews = conversation_previews([c.pk for c in waiting + active])
    return ConsoleSnapshot(active=active, waiting=waiting, previews=previews)


# Suggestions read the citizen's first messages only: bounded work per refresh.
SUGGESTION_TEXTS = 12
SUGGESTION_LIMIT = 3
# The cues of triage's "money moved within hours" rule (``triage/data/rules.json``).
MONEY_MOVING_TAGS = frozenset({"recent", "money"})


def conversation_language(conversation_id: int) -> str:
    """The conversation's language (English while unknown); ``not_found`` if none."""
    found = (
        Conversation.objects.filter(pk=conversation_id).values_list("language", flat=True).first()
    )
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such conversation.")
    return found or "en"


def suggestions_for(
    conversation: Conversation, *, texts: Sequence[str] | None = None
) -> list[ArticleView]:
    """Up to three articles for the conversation's category and the citizen's words.

    ``texts``: the citizen's first messages when the caller has just read them (read here
    otherwise). While money is still moving (:func:`money_moving`), "Stop a bank transfer
    now" is first.
    """
    if texts is None:
        texts = list(
            Message.objects.filter(conversation_id=conversation.pk, sender=SenderKind.CITIZEN)
            .order_by("seq")
            .values_list("text", flat=True)[:SUGGESTION_TEXTS]
        )
    texts = list(texts[:SUGGESTION_TEXTS])
    language = conversation.language or "en"
    articles = articles_suggest(category=conversation.category, texts=texts, language=language)
    if money_moving(conversation):
        first = article_view(slug=STOP_TRANSFER_SLUG, language=language)
        if first is not None:
            rest = [view for view in articles if view.slug != STOP_TRANSFER_SLUG]
            articles = [first, *rest][:SUGGESTION_LIMIT]
    return articles


@lru_cache(maxsize=1)
def _money_moving_reasons() -> tuple[str, ...]:
    """The triage rules that raise urgency because money moved just now, by English wording
    (as reasons were stored before they had codes)."""
    return tuple(
        rule.reason
        for rule in triage_rules().urgency_rules
        if rule.urgency == Urgency.P2 and rule.all_tags >= MONEY_MOVING_TAGS
    )


def _is_money_moving(reason: object) -> bool:
    if isinstance(reason, dict):
        return reason.get("code") in {reason_code(text) for text in _money_moving_reasons()}
    return isinstance(reason, str) and reason.startswith(_money_moving_reasons())


def money_moving(conversation: Conversation) -> bool:
    """Whether triage says the citizen's money left minutes or hours ago (P2 for the
    "recent" and "money" cues), so the bank may still stop it."""
    if conversation.urgency != Urgency.P2:
        return False
    return any(_is_money_moving(reason) for reason in conversation.triage_reasons or [])


def safety_question_due(conversation: Conversation) -> bool:
    """Whether the citizen is to be asked "Are you safe right now?": a possible-risk
    conversation, still open, not answered yet (asked again after a resume until answered)."""
    return (
        conversation.possible_risk
        and not conversation.safety_answer
        and conversation.status in (ConversationStatus.WAITING, ConversationStatus.ACTIVE)
    )
