"""The due-time sweeper: what any server process (or ``manage.py sweep``) runs every few
seconds so that presence and expiries survive the process that started them.

1. Processes whose heartbeat is older than ``PRESENCE_TTL_SECONDS`` are dead: their leases
   are dropped as if their sockets had closed now (which sets the due-times below).
2. Officers whose ``grace_due_at`` has passed with no console back: their active
   conversations go back to the head of the queue (``officer_grace_expired``).
3. Waiting conversations whose ``resume_due_at`` has passed without their citizen: abandoned
   (``citizen_resume_expired``).

Each item is taken in its own short transaction under ``SELECT … FOR UPDATE SKIP LOCKED``
(PostgreSQL), so several processes sweeping at once share the work instead of queueing on
it; every step re-checks its condition, so running one twice does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from advice.events.publish import publish_state
from advice.models import (
    Conversation,
    ConversationStatus,
    OfficerProfile,
    ProcessHeartbeat,
    SocketLease,
)
from advice.services.conversations import citizen_resume_expired
from advice.services.leases import locked, process_leases_expire
from advice.services.presence import officer_grace_expired, officers_publish_presence
from core.vocabulary import StateReason

# Items taken per step and sweep; the rest wait for the next sweep, seconds later.
BATCH = 200


@dataclass
class SweepResult:
    """What one sweep did (ids, for logs and tests)."""

    processes_expired: list[str] = field(default_factory=list)
    officers_offline: list[int] = field(default_factory=list)
    conversations_requeued: list[int] = field(default_factory=list)
    conversations_abandoned: list[int] = field(default_factory=list)


def sweep_due(*, now: datetime) -> SweepResult:
    """Run every lease expiry and due-time that has passed at ``now`` (see the module)."""
    result = SweepResult()
    stale_before = now - timedelta(seconds=settings.PRESENCE_TTL_SECONDS)
    for process_id in ProcessHeartbeat.objects.filter(beat_at__lt=stale_before).values_list(
        "pk", flat=True
    )[:BATCH]:
        if _process_expire(process_id, stale_before=stale_before, now=now, result=result):
            result.processes_expired.append(process_id)
    for process_id in (
        SocketLease.objects.filter(opened_at__lt=stale_before)
        .exclude(process_id__in=ProcessHeartbeat.objects.values("pk"))
        .values_list("process_id", flat=True)
        .distinct()[:BATCH]
    ):
        # Leases of an id that has no heartbeat (a process that was declared dead and took a
        # new identity) are as dead as the process.
        _orphans_expire(process_id, now=now, result=result)
        result.processes_expired.append(process_id)
    for officer_id in OfficerProfile.objects.filter(
        grace_due_at__lte=now, open_sockets__lte=0
    ).values_list("user_id", flat=True)[:BATCH]:
        result.conversations_requeued += officer_grace_expired(officer_id=officer_id, now=now)
    for conversation_id in Conversation.objects.filter(
        status=ConversationStatus.WAITING, resume_due_at__lte=now, citizen_open_sockets__lte=0
    ).values_list("pk", flat=True)[:BATCH]:
        if citizen_resume_expired(conversation_id=conversation_id, now=now):
            result.conversations_abandoned.append(conversation_id)
    return result


def _orphans_expire(process_id: str, *, now: datetime, result: SweepResult) -> None:
    with transaction.atomic():
        officers, conversations = process_leases_expire(process_id=process_id, now=now)
        result.officers_offline += officers
        officers_publish_presence(officers, reason=StateReason.OFFICER_RECONNECTING)
        _publish_citizens_gone(conversations)


def _publish_citizens_gone(conversation_ids: list[int]) -> None:
    for conversation in Conversation.objects.filter(
        pk__in=conversation_ids,
        status__in=(ConversationStatus.WAITING, ConversationStatus.ACTIVE),
    ):
        publish_state(conversation, reason=StateReason.CITIZEN_DISCONNECTED)


def _process_expire(
    process_id: str, *, stale_before: datetime, now: datetime, result: SweepResult
) -> bool:
    with transaction.atomic():
        taken = locked(
            ProcessHeartbeat.objects.filter(Q(pk=process_id) & Q(beat_at__lt=stale_before))
        ).first()
        if taken is None:
            return False  # renewed meanwhile, or another process is sweeping it
        officers, conversations = process_leases_expire(process_id=process_id, now=now)
        result.officers_offline += officers
        officers_publish_presence(officers, reason=StateReason.OFFICER_RECONNECTING)
        _publish_citizens_gone(conversations)
    return True
