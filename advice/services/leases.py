"""Socket leases and process heartbeats: presence that belongs to the cluster, not a process.

Every open websocket is a ``SocketLease`` row of the server process holding it; the process
renews its ``ProcessHeartbeat`` every few seconds. The counters readers use
(``OfficerProfile.open_sockets``, ``Conversation.citizen_open_sockets``) are recounted from
the leases whenever a lease is added or dropped, with the owning row locked first, so they
equal the number of leases after every commit. When a count falls to zero the due-time of
the expiry is set (``grace_due_at``, ``resume_due_at``); a new lease clears it. The sweeper
(``advice.services.sweeper``) runs those due-times and drops the leases of dead processes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection
from django.db.models import Count, QuerySet
from django.utils import timezone

from advice.models import (
    Conversation,
    ConversationStatus,
    OfficerProfile,
    ProcessHeartbeat,
    SocketKind,
    SocketLease,
)


@dataclass(frozen=True)
class SocketRef:
    """Which socket a connect or disconnect is about: its process and its channel name."""

    process_id: str
    channel_name: str


Q = TypeVar("Q", bound=QuerySet[Any])


def locked(queryset: Q) -> Q:
    """``SELECT … FOR UPDATE SKIP LOCKED`` where the database has it (SQLite locks the file)."""
    return queryset.select_for_update(
        skip_locked=connection.features.has_select_for_update_skip_locked
    )


def process_beat(*, process_id: str, now: datetime | None = None) -> bool:
    """Renew the heartbeat of ``process_id``; create it if it does not exist.

    Returns False when there was no row: the process is new, or the sweeper declared it dead
    (and dropped its leases), in which case it must close its sockets and take a new id.
    """
    now = now or timezone.now()
    if ProcessHeartbeat.objects.filter(pk=process_id).update(beat_at=now):
        return True
    ProcessHeartbeat.objects.get_or_create(
        pk=process_id, defaults={"started_at": now, "beat_at": now}
    )
    return False


def lease_officer_socket(*, officer_id: int, socket: SocketRef, now: datetime) -> None:
    """Record an officer's console socket (inside the caller's transaction, profile locked)."""
    SocketLease.objects.create(
        process_id=socket.process_id,
        kind=SocketKind.OFFICER,
        officer_id=officer_id,
        channel_name=socket.channel_name,
        opened_at=now,
    )
    officers_recount([officer_id], now=now)


def lease_citizen_socket(
    *, conversation_id: int, socket: SocketRef, now: datetime, first: bool = False
) -> None:
    """Record a citizen's socket (inside the caller's transaction, conversation locked).

    ``first``: the conversation was created in this transaction with one open socket and no
    wait for a return, so its counts are already right and are not recounted.
    """
    SocketLease.objects.create(
        process_id=socket.process_id,
        kind=SocketKind.CITIZEN,
        conversation_id=conversation_id,
        channel_name=socket.channel_name,
        opened_at=now,
    )
    if not first:
        conversations_recount([conversation_id], now=now)


def lease_drop(*, socket: SocketRef) -> bool:
    """Delete the lease of ``socket``; False if it was gone already (swept as dead)."""
    deleted, _ = SocketLease.objects.filter(channel_name=socket.channel_name).delete()
    return deleted > 0


def officers_recount(officer_ids: Iterable[int], *, now: datetime) -> list[int]:
    """Set each officer's ``open_sockets`` to their lease count; start or stop the grace.

    Call with the profiles locked. Returns the officers who have just gone offline.
    """
    ids = sorted(set(officer_ids))
    counts = dict(
        SocketLease.objects.filter(officer_id__in=ids)
        .values("officer_id")
        .annotate(n=Count("pk"))
        .values_list("officer_id", "n")
    )
    gone: list[int] = []
    due = now + timedelta(seconds=settings.OFFICER_GRACE_SECONDS)
    for profile in OfficerProfile.objects.filter(user_id__in=ids).only(
        "pk", "user_id", "open_sockets", "grace_due_at"
    ):
        count = counts.get(profile.user_id, 0)
        fields: dict[str, object] = {"open_sockets": count}
        if count > 0:
            fields["grace_due_at"] = None
        elif profile.open_sockets > 0 or profile.grace_due_at is None:
            fields.update(grace_due_at=due, last_disconnected_at=now)
            gone.append(profile.user_id)
        OfficerProfile.objects.filter(pk=profile.pk).update(**fields)
    return gone


def _citizen_return_due(conversation: Conversation, *, now: datetime) -> datetime | None:
    """When a conversation whose citizen just left is given up: never for a left message
    (it waits for an officer), ``CITIZEN_CODE_RESUME_SECONDS`` once the citizen wrote and
    holds a resume code, else ``CITIZEN_RESUME_SECONDS``."""
    if conversation.left_message:
        return None
    if conversation.resume_hash and conversation.last_seq > 0:
        return now + timedelta(seconds=settings.CITIZEN_CODE_RESUME_SECONDS)
    return now + timedelta(seconds=settings.CITIZEN_RESUME_SECONDS)


def conversations_recount(conversation_ids: Iterable[int], *, now: datetime) -> list[int]:
    """Set each conversation's ``citizen_open_sockets`` to its lease count; start or stop
    the wait for the citizen's return. Call with the conversations locked.

    Returns the open conversations whose citizen has just gone.
    """
    ids = sorted(set(conversation_ids))
    counts = dict(
        SocketLease.objects.filter(conversation_id__in=ids)
        .values("conversation_id")
        .annotate(n=Count("pk"))
        .values_list("conversation_id", "n")
    )
    gone: list[int] = []
    for conversation in Conversation.objects.filter(pk__in=ids).only(
        "pk",
        "status",
        "citizen_open_sockets",
        "resume_due_at",
        "left_message",
        "resume_hash",
        "last_seq",
    ):
        due = _citizen_return_due(conversation, now=now)
        count = counts.get(conversation.pk, 0)
        fields: dict[str, object] = {"citizen_open_sockets": count}
        if count > 0:
            fields["resume_due_at"] = None
            fields["citizen_last_seen_at"] = now
        elif conversation.status in (ConversationStatus.WAITING, ConversationStatus.ACTIVE) and (
            conversation.citizen_open_sockets > 0 or conversation.resume_due_at is None
        ):
            fields.update(resume_due_at=due, citizen_last_seen_at=now)
            gone.append(conversation.pk)
        Conversation.objects.filter(pk=conversation.pk).update(**fields)
    return gone


def process_leases_expire(*, process_id: str, now: datetime) -> tuple[list[int], list[int]]:
    """Drop every lease of a dead process, as if its sockets had closed ``now``.

    Call inside a transaction holding the process's heartbeat row. Returns the officers and
    the conversations whose last socket this was.
    """
    leases = list(
        SocketLease.objects.filter(process_id=process_id).values_list(
            "officer_id", "conversation_id"
        )
    )
    officer_ids = sorted({o for o, _ in leases if o is not None})
    conversation_ids = sorted({c for _, c in leases if c is not None})
    # Lock in the order every other writer uses: profiles, then conversations.
    list(OfficerProfile.objects.select_for_update().filter(user_id__in=officer_ids).order_by("pk"))
    list(Conversation.objects.select_for_update().filter(pk__in=conversation_ids).order_by("pk"))
    SocketLease.objects.filter(process_id=process_id).delete()
    ProcessHeartbeat.objects.filter(pk=process_id).delete()
    return officers_recount(officer_ids, now=now), conversations_recount(conversation_ids, now=now)
