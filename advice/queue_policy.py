"""The queue's whole ordering policy: who goes first, and how each officer sees the queue.

1. ``queue_rank``: the shared order of waiting conversations (requeued first, then urgency
   with aging, then the longest wait).
2. ``routed_queue``: one officer's view of that order — every P1 first, then conversations
   referred to their unit, then those in their languages, then the rest, each part keeping
   the shared order; cards are marked ``preferred`` and ``for_my_unit``.

Pure functions, no database: selectors fetch the rows, consumers pass the cards.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings

from advice.models import Conversation
from core.vocabulary import Urgency

URGENCY_RANK = {Urgency.P1: 1, Urgency.P2: 2, Urgency.P3: 3, Urgency.P4: 4}


def queue_rank(conversation: Conversation, *, now: datetime) -> tuple[int, int, float]:
    """Sort key of a waiting conversation: lower goes first.

    1. Conversations handed back to the queue (their officer disconnected) go to the head.
    2. Then urgency, where waiting ages a conversation: every ``QUEUE_AGING_SECONDS`` of
       waiting raises it one level, but never into P1 (a real P1 always goes first).
    3. Then the longest wait.
    """
    waited = (now - conversation.queued_at).total_seconds()
    rank = URGENCY_RANK.get(conversation.urgency, 3)  # type: ignore[call-overload]
    if rank > 1:
        rank = max(2, rank - int(waited // settings.QUEUE_AGING_SECONDS))
    return (0 if conversation.requeued_at else 1, rank, conversation.queued_at.timestamp())


def route_entry(
    entry: Mapping[str, Any], languages: frozenset[str], unit_id: int | None
) -> dict[str, Any]:
    """Mark a queue card for one officer: ``preferred`` if they speak its language,
    ``for_my_unit`` if it was referred to (or handed back in) their unit."""
    return {
        **entry,
        "preferred": entry["language"] in languages,
        "for_my_unit": entry.get("unit_id") is not None and entry.get("unit_id") == unit_id,
    }


def routed_queue(
    entries: Sequence[Mapping[str, Any]], languages: frozenset[str], unit_id: int | None
) -> list[dict[str, Any]]:
    """The queue as one officer sees it: every P1 first, then conversations referred to their
    unit, then those in their languages, then the rest (marked); queue order within each."""
    marked = [route_entry(entry, languages, unit_id) for entry in entries]

    def part(entry: dict[str, Any]) -> int:
        if entry["urgency"] == Urgency.P1:
            return 0
        if entry["for_my_unit"]:
            return 1
        return 2 if entry["preferred"] else 3

    return sorted(marked, key=part)
