"""Verifying the audit hash chain, and purging events past their retention period.

The retention period of an audit event ends with the year after the event's year (the
database refuses to delete an event before that: ``advice.db_guard``). Purging removes
the oldest events only — a prefix of the chain — and moves the chain's anchor to the last
purged event, so the remaining events still verify from the anchor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, transaction
from django.utils import timezone

from advice.audit_chain import GENESIS, STREAM, chain_hash, event_canonical
from advice.models import AuditChainHead, AuditEvent

FIELDS = (
    "pk",
    "seq",
    "at",
    "actor_id",
    "actor_kind",
    "action",
    "conversation_id",
    "conversation_ref",
    "object_type",
    "object_id",
    "params",
    "hash",
)


@dataclass(frozen=True)
class ChainReport:
    """The result of a verification: ``first_broken`` is the position of the first event
    that does not chain (None when intact), ``event_id`` its row id, ``problem`` why."""

    checked: int
    anchor_seq: int
    head_seq: int
    first_broken: int | None = None
    event_id: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.first_broken is None


def audit_chain_verify() -> ChainReport:
    """Walk the chain from its anchor to its head and report the first broken link.

    A link is broken when an event's position is not the next one (an event was deleted or
    inserted), when its hash does not cover its fields and the previous hash (it was changed),
    when its conversation is neither the recorded one nor detached (NULL), or when the last
    event is not the head (events were cut off the end).
    """
    head = AuditChainHead.objects.filter(stream=STREAM).first()
    anchor_seq = head.anchor_seq if head else 0
    previous = head.anchor_hash if head else GENESIS
    head_seq = head.seq if head else 0
    expected, checked = anchor_seq + 1, 0
    rows = AuditEvent.objects.order_by("seq").values_list(*FIELDS)
    for pk, seq, at, actor, kind, action, conv, ref, otype, oid, params, digest in rows.iterator(
        chunk_size=2000
    ):
        problem = ""
        if seq != expected:
            problem = f"position {seq} follows {expected - 1}: events are missing or inserted"
        elif conv is not None and conv != ref:
            problem = f"conversation changed from {ref} to {conv}"
        if problem:
            return ChainReport(checked, anchor_seq, head_seq, min(seq, expected), pk, problem)
        canonical = event_canonical(
            seq=seq,
            at=at,
            actor_id=actor,
            actor_kind=kind,
            action=action,
            conversation_ref=ref,
            object_type=otype,
            object_id=oid,
            params=params,
        )
        if chain_hash(previous, canonical) != digest:
            problem = "the hash does not match the event's fields and the previous hash"
            return ChainReport(checked, anchor_seq, head_seq, seq, pk, problem)
        previous, expected, checked = digest, expected + 1, checked + 1
    if expected - 1 != head_seq or (head is not None and previous != head.hash):
        problem = f"the chain ends at {expected - 1} but its head is at {head_seq}"
        return ChainReport(checked, anchor_seq, head_seq, expected, None, problem)
    return ChainReport(checked, anchor_seq, head_seq)


def audit_retention_cutoff(now: datetime | None = None) -> datetime:
    """Events before this instant are past their retention period (1 January of last year)."""
    current = (now or timezone.now()).astimezone(UTC)
    return datetime(current.year - 1, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PurgeReport:
    purged: int
    anchor_seq: int
    anchor_hash: str


def audit_purge(*, before: datetime | None = None) -> PurgeReport:
    """Delete the oldest events written before ``before`` (at most up to the retention
    cutoff), keeping the hash of the last one deleted as the chain's new anchor.

    Only a prefix of the chain is deleted: it stops at the first event that must stay.
    Idempotent. Runs under the chain's lock, so no event is sealed meanwhile.
    """
    cutoff = audit_retention_cutoff()
    if before is not None:
        cutoff = min(cutoff, before)
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(stream=STREAM).first()
        if head is None:
            return PurgeReport(purged=0, anchor_seq=0, anchor_hash=GENESIS)
        first_kept = AuditEvent.objects.filter(at__gte=cutoff).order_by("seq").values("seq").first()
        limit = first_kept["seq"] - 1 if first_kept else head.seq
        last = (
            AuditEvent.objects.filter(seq__lte=limit)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
        if last is None:
            return PurgeReport(purged=0, anchor_seq=head.anchor_seq, anchor_hash=head.anchor_hash)
        # The model refuses deletion; the database allows it only past the retention period.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM advice_auditevent WHERE seq <= %s", [last[0]])
            purged = cursor.rowcount
        head.anchor_seq, head.anchor_hash = last
        head.save(update_fields=["anchor_seq", "anchor_hash"])
    return PurgeReport(purged=purged, anchor_seq=head.anchor_seq, anchor_hash=head.anchor_hash)
