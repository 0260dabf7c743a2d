"""The live supervisor view: queue and staffing figures right now (read-only)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from advice.events import frames
from advice.models import Conversation, ConversationStatus, OfficerProfile, Unit, Urgency
from stats.access import StatsScope

URGENCIES = tuple(Urgency.values)


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def live_snapshot(*, scope: StatsScope, now: datetime | None = None) -> dict[str, Any]:
    """The ``supervisor.live`` frame for ``scope`` (fields documented in docs/statistics.md).

    Waiting conversations are those in the shared queue (no unit) or already routed to a
    unit of the scope; officers are the on-duty officers of the scope's units. No message
    text and no citizen data beyond triage codes leave this function.
    """
    now = now or timezone.now()
    waiting_rows = list(
        Conversation.objects.filter(scope.conversations_q(), status=ConversationStatus.WAITING)
        .order_by("queued_at")
        .values_list("pk", "urgency", "language", "category", "queued_at")
    )
    by_urgency = dict.fromkeys(URGENCIES, 0)
    by_language: Counter[str] = Counter()
    longest: dict[str, float] = {}
    p1_waiting = []
    for pk, urgency, language, category, queued_at in waiting_rows:
        waited = round(max(0.0, (now - queued_at).total_seconds()), 1)
        by_urgency[urgency] = by_urgency.get(urgency, 0) + 1
        by_language[language or ""] += 1
        longest[urgency] = max(longest.get(urgency, 0.0), waited)
        if urgency == Urgency.P1:
            p1_waiting.append(
                {
                    "conversation_id": pk,
                    "language": language,
                    "category": category,
                    "waiting_seconds": waited,
                }
            )
    officers = _officers(scope)
    spoken = _languages_spoken(scope)
    active = Conversation.objects.filter(
        scope.conversations_q(), status=ConversationStatus.ACTIVE
    ).count()
    return frames.supervisor_live(
        {
            "generated_at": _iso(now),
            "waiting": {
                "total": len(waiting_rows),
                "by_urgency": by_urgency,
                "by_language": dict(sorted(by_language.items())),
                "longest_wait_seconds": max(longest.values()) if longest else None,
                "longest_wait_by_urgency": {u: longest.get(u) for u in URGENCIES},
                "languages_without_officer": sorted(
                    lang for lang in by_language if lang and lang not in spoken
                ),
            },
            "p1_waiting": p1_waiting,
            "active": active,
            "officers": {
                "on_duty": sum(1 for o in officers if o["on_duty"]),
                "online": sum(1 for o in officers if o["on_duty"] and o["online"]),
                "capacity": sum(o["max_chats"] for o in officers if o["on_duty"]),
                "load": sum(o["active_chats"] for o in officers),
                "list": [o for o in officers if o["unit_id"] in scope.officer_unit_ids],
            },
        }
    )


def _languages_spoken(scope: StatsScope) -> set[str]:
    """Languages someone on duty can serve the scope's waiting conversations in.

    The shared queue is open to on-duty officers of every unit, so a colleague of a partner
    unit who speaks Ukrainian covers Ukrainian; conversations routed to a unit are that
    unit's, whose officers are among them.
    """
    spoken: set[str] = set()
    for languages in OfficerProfile.objects.filter(on_duty=True).values_list(
        "languages", flat=True
    ):
        spoken.update(languages or [])
    return spoken


def _officers(scope: StatsScope) -> list[dict[str, Any]]:
    """Officers of the scope's units who are on duty or still hold an active chat, with their
    current load, by display name.

    An officer who went off duty with a chat open still counts in the load, so "in
    conversation" and "chats / capacity" agree; only on-duty officers add capacity. The
    frame lists officers one by one only for units the user supervises; the totals cover
    every unit of the scope.
    """
    profiles = OfficerProfile.objects.filter(
        Q(on_duty=True)
        | Q(
            user__assigned_conversations__status=ConversationStatus.ACTIVE,
        )
    ).distinct()
    if scope.unit_ids is not None:
        profiles = profiles.filter(unit_id__in=sorted(scope.unit_ids))
    rows = list(
        profiles.annotate(
            active_chats=Count(
                "user__assigned_conversations",
                filter=Q(user__assigned_conversations__status=ConversationStatus.ACTIVE),
            )
        )
        .order_by("display_name", "user_id")
        .values(
            "user_id",
            "display_name",
            "unit_id",
            "languages",
            "max_concurrent_chats",
            "open_sockets",
            "on_duty",
            "active_chats",
        )
    )
    codes = dict(Unit.objects.filter(pk__in={r["unit_id"] for r in rows}).values_list("pk", "code"))
    return [
        {
            "officer_id": r["user_id"],
            "unit_id": r["unit_id"],
            "display_name": r["display_name"],
            "unit": codes.get(r["unit_id"], ""),
            "languages": list(r["languages"] or []),
            "active_chats": r["active_chats"],
            "max_chats": r["max_concurrent_chats"],
            "online": r["open_sockets"] > 0,
            "on_duty": r["on_duty"],
        }
        for r in rows
    ]
