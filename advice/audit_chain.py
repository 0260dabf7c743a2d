"""The hash chain of the audit trail: each event's SHA-256 covers the previous event's hash.

One stream per table: every row of ``advice_auditevent`` is in the stream ``STREAM``, whose
head (last position and hash, and the anchor left by purging) is one ``AuditChainHead`` row.
Sealing an event locks that row (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite every
writing transaction already holds the database's write lock from its start), so two writers
can never take the same position: the chain cannot fork. The lock is held until the writing
transaction commits; services write their audit event last, after their own row locks.

``hash(n) = SHA-256(hash(n-1) || "\\n" || canonical JSON of event n)``, where ``hash(0)`` is
the anchor: ``GENESIS`` until rows are purged, then the hash of the last purged event. The
canonical JSON has sorted keys, no spaces, UTF-8, and these fields: ``seq``, ``at`` (UTC,
microseconds), ``actor`` (user id or null), ``actor_kind``, ``action``, ``conversation``
(the id recorded when the event was written: ``conversation_ref``, which survives the
detaching of erased conversations), ``object_type``, ``object_id``, ``params``.

This module imports no model: ``advice.models`` calls :func:`chain_seal` when an event is
inserted, and :mod:`advice.audit_verify` verifies and purges.

On PostgreSQL an event is sealed and inserted by one statement (``SEAL_INSERT_SQL``): the
head's ``UPDATE … RETURNING`` computes the next position and hash in the database (``seq``
is the canonical JSON's last key, so the canonical text is a prefix written here, the
position, and ``}``), and the ``INSERT`` takes them from it. The head row's lock is then
taken by the transaction's last statement but one, and held for that statement and the
commit only: every audited write of every process waits behind that lock, so the fewer
round trips (and the fewer turns at the interpreter lock) it is held across, the more
writes per second the chain carries.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any, Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone

STREAM = "advice_auditevent"
GENESIS = "0" * 64


class SealableEvent(Protocol):
    seq: int
    at: datetime
    actor_id: int | None
    actor_kind: str
    action: str
    conversation_id: int | None
    conversation_ref: int | None
    object_type: str
    object_id: str
    params: Any
    hash: str


def event_canonical(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_kind: str,
    action: str,
    conversation_ref: int | None,
    object_type: str,
    object_id: str,
    params: Any,
) -> bytes:
    """The canonical JSON of one event's fields (see the module docstring)."""
    document = {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "actor_kind": actor_kind,
        "action": action,
        "conversation": conversation_ref,
        "object_type": object_type,
        "object_id": object_id,
        # As the database gives it back (e.g. integer keys become strings).
        "params": json.loads(json.dumps(params)),
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def canonical_prefix(event: SealableEvent) -> str:
    """The canonical JSON of ``event`` up to its position: ``prefix + str(seq) + "}"`` is
    :func:`event_canonical` decoded (``seq`` sorts last)."""
    text = event_canonical(
        seq=0,
        at=event.at,
        actor_id=event.actor_id,
        actor_kind=event.actor_kind,
        action=event.action,
        conversation_ref=event.conversation_ref,
        object_type=event.object_type,
        object_id=event.object_id,
        params=event.params,
    ).decode()
    if not text.endswith(',"seq":0}'):
        raise ValueError("the canonical JSON no longer ends with its position")
    return text[: -len("0}")]


# One statement that moves the head of ``STREAM`` by one and inserts the event at the new
# position with its hash; it inserts nothing when the head row does not exist. Parameters:
# ``prefix`` (:func:`canonical_prefix`), ``stream``, and the event's columns ``at``,
# ``actor_id``, ``actor_kind``, ``action``, ``conversation_id``, ``object_type``,
# ``object_id``, ``params`` (JSON text), ``conversation_ref``. Returns ``id, seq, hash``. In
# ``SET``, ``seq`` and ``hash`` are the head's values before the update.
SEAL_INSERT_SQL = (
    "WITH head AS (UPDATE advice_auditchainhead"
    " SET seq = seq + 1,"
    " hash = encode(sha256(convert_to("
    "hash || E'\\n' || %(prefix)s || (seq + 1)::text || '}', 'UTF8')), 'hex')"
    " WHERE stream = %(stream)s RETURNING seq, hash)"
    " INSERT INTO advice_auditevent (at, actor_id, actor_kind, action, conversation_id,"
    " object_type, object_id, params, seq, conversation_ref, hash)"
    " SELECT %(at)s, %(actor_id)s, %(actor_kind)s, %(action)s, %(conversation_id)s,"
    " %(object_type)s, %(object_id)s, %(params)s::jsonb, head.seq, %(conversation_ref)s,"
    " head.hash FROM head RETURNING id, seq, hash"
)


def chain_hash(previous: str, canonical: bytes) -> str:
    return hashlib.sha256(previous.encode("ascii") + b"\n" + canonical).hexdigest()


def _head_locked(heads: Any) -> Any:
    head = heads.objects.select_for_update().filter(stream=STREAM).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            return heads.objects.create(stream=STREAM, seq=0, hash=GENESIS)
    except IntegrityError:  # another writer created it first: wait for its lock
        return heads.objects.select_for_update().get(stream=STREAM)


def chain_seal(event: SealableEvent, *, heads: Any) -> None:
    """Give ``event`` (not yet inserted) the next position, its time and its hash, and move
    the head (``heads`` is the ``AuditChainHead`` model) to it.

    Call inside ``transaction.atomic``, immediately before inserting ``event`` in the same
    transaction. Guaranteed after: ``event.seq`` is the head's position + 1 and ``event.hash``
    chains to the head's hash; the head row stays locked until the transaction ends.
    """
    head = _head_locked(heads)
    event.seq = head.seq + 1
    event.at = timezone.now()
    event.conversation_ref = event.conversation_id
    event.hash = chain_hash(head.hash, f"{canonical_prefix(event)}{event.seq}}}".encode())
    head.seq = event.seq
    head.hash = event.hash
    head.save(update_fields=["seq", "hash"])
