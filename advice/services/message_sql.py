"""The message write on PostgreSQL as one statement: number the message and store it.

``message_post`` runs this on PostgreSQL instead of three ORM statements (conditional UPDATE,
re-read, INSERT) inside BEGIN … COMMIT. One data-modifying CTE takes the conversation row's
write lock, increments ``last_seq`` only if the sender may write, and inserts the message
with that number; outside a transaction it is its own transaction (one round trip).

Contract: returns ``(message_id, seq, status)`` when stored; ``None`` when the UPDATE matched
no row (no such conversation, or the sender may not write now: nothing changed). A resend
of a stored ``client_id`` violates ``msg_unique_client_id`` and raises ``IntegrityError``;
the whole statement is then undone, so ``last_seq`` never skips a number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection

from advice.models import ConversationStatus, SenderKind

_STORE = """
WITH s AS (
    UPDATE advice_conversation
       SET last_seq = last_seq + 1{extra_set}
     WHERE id = %(conversation_id)s AND {may_write}
 RETURNING id, last_seq, status
), m AS (
    INSERT INTO advice_message
           (conversation_id, seq, sender, author_id, author_name, kind, text, payload,
            client_id, created_at)
    SELECT s.id, s.last_seq, %(sender)s, %(author_id)s, %(author_name)s, %(kind)s, %(text)s,
           %(payload)s::jsonb, %(client_id)s, %(now)s
      FROM s
 RETURNING id
)
SELECT m.id, s.last_seq, s.status FROM m, s
"""

_OFFICER = _STORE.format(
    extra_set=(", first_officer_message_at = COALESCE(first_officer_message_at, %(now)s)"),
    may_write="status = %(active)s AND assigned_officer_id = %(author_id)s",
)
_CITIZEN = _STORE.format(
    extra_set=", citizen_last_seen_at = %(now)s",
    may_write="status IN (%(waiting)s, %(active)s)",
)
_SYSTEM = _STORE.format(extra_set="", may_write="status IN (%(waiting)s, %(active)s)")


def _positional(statement: str) -> tuple[str, tuple[str, ...]]:
    """``statement`` with ``$1 … $n`` for its named placeholders (asyncpg's form), and the
    names in that order."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    return re.sub(r"%\((\w+)\)s", number, statement), tuple(names)


_POSITIONAL = {statement: _positional(statement) for statement in (_OFFICER, _CITIZEN, _SYSTEM)}


def uses_single_statement() -> bool:
    """Whether this database runs the one-statement write (PostgreSQL)."""
    return connection.vendor == "postgresql"


def statement_for(sender: SenderKind) -> str:
    """The one statement that numbers and stores a message of ``sender``."""
    if sender == SenderKind.OFFICER:
        return _OFFICER
    if sender == SenderKind.CITIZEN:
        return _CITIZEN
    return _SYSTEM


def positional_statement_for(sender: SenderKind) -> str:
    """:func:`statement_for` with numbered placeholders (``$1``), for asyncpg."""
    return _POSITIONAL[statement_for(sender)][0]


def positional_parameters(sender: SenderKind, params: dict[str, Any]) -> Sequence[Any]:
    """The values of :func:`parameters` in the order of
    :func:`positional_statement_for`'s placeholders."""
    return [params[name] for name in _POSITIONAL[statement_for(sender)][1]]


def parameters(
    *,
    conversation_id: int,
    sender: SenderKind,
    author_id: int | None,
    author_name: str,
    kind: str,
    text: str,
    payload: dict[str, Any],
    client_id: str,
    now: datetime,
) -> dict[str, Any]:
    """The statement's parameters (named ``%(name)s`` placeholders)."""
    return {
        "conversation_id": conversation_id,
        "sender": str(sender),
        "author_id": author_id,
        "author_name": author_name,
        "kind": str(kind),
        "text": text,
        "payload": json.dumps(payload),
        "client_id": client_id,
        "now": now,
        "waiting": str(ConversationStatus.WAITING),
        "active": str(ConversationStatus.ACTIVE),
    }


def message_store(sender: SenderKind, params: dict[str, Any]) -> tuple[int, int, str] | None:
    """Number and store one message of ``sender`` in one statement, with the statement's
    ``params`` (:func:`parameters`); see the module's contract."""
    with connection.cursor() as cursor:
        cursor.execute(statement_for(sender), params)
        row = cursor.fetchone()
    if row is None:
        return None
    return int(row[0]), int(row[1]), str(row[2])
