"""The queue's whole ordering policy: who goes first, who may take what, how each officer
sees the queue.

1. ``queue_rank``: the shared order of waiting conversations (handed back first, then urgency
   with aging — within one urgency, conversations accepted by a unit on referral first —
   then the longest wait).
2. ``reserved_for``: a conversation whose referral a unit accepted waits for that unit only;
   officers of other units neither see it in their queue nor may claim it.
3. ``routed_queue``: one officer's view of that order — conversations reserved for another
   unit left out; every P1 first, then conversations referred to their unit or in their
   languages, then the rest, each part keeping the shared order (so a conversation referred
   to their unit is at the head of its urgency); cards are marked ``preferred`` and
   ``for_my_unit``.

Pure functions, no database: selectors fetch the rows, consumers pass the cards.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from django.conf import settings
from django.db.models import Q

from core.vocabulary import Urgency

URGENCY_RANK = {Urgency.P1: 1, Urgency.P2: 2, Urgency.P3: 3, Urgency.P4: 4}


class Rankable(Protocol):
    """What ``queue_rank`` reads of a waiting conversation (a model or a row of its fields)."""

    @property
    def urgency(self) -> str: ...
    @property
    def queued_at(self) -> datetime: ...
    @property
    def requeued_at(self) -> datetime | None: ...
    @property
    def referred_at(self) -> datetime | None: ...


def queue_rank(conversation: Rankable, *, now: datetime) -> tuple[int, int, int, float]:
    """Sort key of a waiting conversation: lower goes first.

    1. Conversations handed back to the queue (their officer disconnected, or transferred
       them back) go to the head.
    2. Then urgency, where waiting ages a conversation: every ``QUEUE_AGING_SECONDS`` of
       waiting raises it one level, but never into P1 (a real P1 always goes first).
    3. Within one urgency, a conversation a unit accepted on referral goes first: its
       citizen has already been talked to, and only that unit sees it.
    4. Then the longest wait.
    """
    waited = (now - conversation.queued_at).total_seconds()
    rank = URGENCY_RANK.get(conversation.urgency, 3)  # type: ignore[call-overload]
    if rank > 1:
        rank = max(2, rank - int(waited // settings.QUEUE_AGING_SECONDS))
    return (
        0 if conversation.requeued_at else 1,
        rank,
        0 if conversation.referred_at else 1,
        conversation.queued_at.timestamp(),
    )


def reserved_for(entry: Mapping[str, Any]) -> int | None:
    """The unit a waiting card is reserved for (its referral was accepted), else None."""
    unit_id = entry.get("unit_id")
    return unit_id if entry.get("referred") and unit_id is not None else None


def visible_to(entry: Mapping[str, Any], unit_id: int | None) -> bool:
    """Whether an officer of ``unit_id`` sees (and may take) the waiting card ``entry``."""
    reserved = reserved_for(entry)
    return reserved is None or reserved == unit_id


def claimable_by(unit_id: int | None) -> Q:
    """Filter of the conversations an officer of ``unit_id`` may claim (the rule of
    :func:`visible_to` on the ``Conversation`` rows)."""
    return Q(referred_at__isnull=True) | Q(unit_id__isnull=True) | Q(unit_id=unit_id)


def route_entry(
    entry: Mapping[str, Any], languages: frozenset[str], unit_id: int | None
) -> dict[str, Any]:
    """Mark a queue card for one officer: ``preferred`` if they speak its language,
    ``for_my_unit`` if its referral to their unit was accepted."""
    reserved = reserved_for(entry)
    return {
        **entry,
        "preferred": entry["language"] in languages,
        "for_my_unit": reserved is not None and reserved == unit_id,
    }


def routed_queue(
    entries: Sequence[Mapping[str, Any]], languages: frozenset[str], unit_id: int | None
) -> list[dict[str, Any]]:
    """The queue as one officer sees it: without conversations reserved for another unit;
    every P1 first, then those referred to their unit or in their languages, then the rest
    (marked); shared order within each part."""
    marked = [
        route_entry(entry, languages, unit_id) for entry in entries if visible_to(entry, unit_id)
    ]

    def part(entry: dict[str, Any]) -> int:
        if entry["urgency"] == Urgency.P1:
            return 0
        return 1 if entry["for_my_unit"] or entry["preferred"] else 2

    return sorted(marked, key=part)
