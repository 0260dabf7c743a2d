"""Message writes on the event loop (PostgreSQL): the one statement without a thread hop.

``advice.services.messages.message_post`` runs in a database thread: every message crossed
threads twice (the executor's queue, a future, the loop's self-pipe, and each thread waiting
for the GIL). On PostgreSQL the write is one statement (``advice.services.message_sql``), so
a socket's message is stored here with psycopg's asynchronous connection on the event loop
itself, and its events are sent at once.

Only the common case takes this path: a message that is stored in an active conversation.
Everything else (not PostgreSQL, a resend of a stored ``client_id``, a sender who may not
write, a message to a waiting conversation, which is triaged again) goes to the service in a
database thread, which explains refusals and finds duplicates as before; a failed attempt
here changed nothing (the statement is undone as a whole), so the service may run it again.

Connections: at most ``DB_THREADS`` per process (the same bound as the message threads),
opened on first use, each with the pool threads' lock and statement timeouts, kept between
messages and closed when broken. They belong to the event loop that opened them; a process
has one (a test run has one per test, and the connections of a finished loop are closed).
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from typing import Any

import psycopg
from django.conf import settings
from django.db import connections
from django.utils import timezone
from psycopg import errors as pg_errors

from advice.events import outbox
from advice.events.publish import message_frames
from advice.models import ConversationStatus, Message, MessageKind, SenderKind
from advice.services import message_sql
from advice.services.messages import PostResult, clean_client_id, message_post
from advice.services.triage_apply import conversation_retriage_if_waiting
from advice.text import clean_message_text
from chat import bridge, dbpool
from core import metrics
from core.errors import DomainError, ErrorCode

Connection = psycopg.AsyncConnection[Any]


class Writers:
    """This process's connections for message writes (see the module's docstring)."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.idle: list[Connection] = []
        self.slots: asyncio.Semaphore | None = None

    def _slots(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self.loop is not loop or self.slots is None:
            self.close_all()
            self.loop = loop
            self.slots = asyncio.Semaphore(max(1, int(settings.DB_THREADS)))
        return self.slots

    async def fetch_one(self, statement: str, params: Any) -> Any:
        """The statement's one row (or None), on a connection of this process's, within its
        bound."""
        slots = self._slots()
        async with slots:
            conn = self.idle.pop() if self.idle else await _connect()
            try:
                cursor = await conn.execute(statement, params)
                return await cursor.fetchone()
            finally:
                self._keep_or_close(conn)

    def _keep_or_close(self, conn: Connection) -> None:
        """Keep ``conn`` for the next message if it is idle and sound (a statement that failed
        on its own, e.g. a resend's unique violation, leaves it so); else close it (broken, or
        cancelled half-way)."""
        idle = conn.pgconn.transaction_status == psycopg.pq.TransactionStatus.IDLE
        if idle and not conn.closed and not conn.broken:
            self.idle.append(conn)
        else:
            _discard(conn)

    def close_all(self) -> None:
        """Close every idle connection (also those of an event loop that has ended)."""
        idle, self.idle = self.idle, []
        for conn in idle:
            _discard(conn)


def _discard(conn: Connection) -> None:
    # Closing the libpq connection needs no event loop (the loop that opened it may be gone).
    if not conn.closed:
        conn.pgconn.finish()


async def _connect() -> Connection:
    # In a context of its own: a connection object looked up from a consumer's task would stay
    # with that socket (``chat.dbpool._vendor``).
    params = dict(contextvars.Context().run(lambda: connections["default"].get_connection_params()))
    for django_only in ("cursor_factory", "context"):
        params.pop(django_only, None)
    timeouts = (
        f"-c lock_timeout={int(settings.DB_LOCK_TIMEOUT_MS)}"
        f" -c statement_timeout={int(settings.DB_STATEMENT_TIMEOUT_MS)}"
    )
    params["options"] = f"{params.get('options', '')} {timeouts}".strip()
    return await psycopg.AsyncConnection.connect(autocommit=True, **params)


writers = Writers()
# The metrics' children of this path, looked up once.
_DATABASE_SECONDS = metrics.FRAME_DATABASE_SECONDS.labels(service=message_post.__name__)
_STORED = {kind: metrics.MESSAGES_STORED.labels(sender=kind) for kind in SenderKind}


def enabled() -> bool:
    return bool(settings.DB_MESSAGE_WRITES_ON_LOOP) and dbpool.vendor() == "postgresql"


async def post(
    *,
    conversation_id: int,
    sender: SenderKind,
    client_id: object,
    text: object,
    officer_id: int | None = None,
    author_name: str | None = None,
    **service_kwargs: Any,
) -> PostResult:
    """Store a socket's message and send its events: here when it can, else the service.

    The result and the events are the service's (``message_post``); ``service_kwargs`` are
    passed to it as they are (e.g. ``officer``) when it runs.
    """

    async def on_loop() -> PostResult | None:
        return await _post_on_loop(
            conversation_id=conversation_id,
            sender=sender,
            client_id=client_id,
            text=text,
            officer_id=officer_id,
            author_name=author_name,
        )

    return await bridge.call(
        message_post,
        lane=conversation_id,
        refusable=True,
        first=on_loop if enabled() else None,
        conversation_id=conversation_id,
        sender=sender,
        client_id=client_id,
        text=text,
        author_name=author_name,
        **service_kwargs,
    )


async def _post_on_loop(
    *,
    conversation_id: int,
    sender: SenderKind,
    client_id: object,
    text: object,
    officer_id: int | None,
    author_name: str | None,
) -> PostResult | None:
    """The stored message, its events sent; None when the service must decide instead."""
    if sender == SenderKind.OFFICER and (officer_id is None or author_name is None):
        return None
    fields: dict[str, Any] = {
        "conversation_id": conversation_id,
        "sender": sender,
        "author_id": officer_id if sender == SenderKind.OFFICER else None,
        "author_name": author_name or "",
        "kind": MessageKind.TEXT,
        "text": clean_message_text(text),
        "payload": {},
        "client_id": clean_client_id(client_id),
    }
    now = timezone.now()
    statement = message_sql.statement_for(sender)
    params = message_sql.parameters(now=now, **fields)
    began = time.perf_counter()
    try:
        row = await writers.fetch_one(statement, params)
    except pg_errors.UniqueViolation:
        return None  # a resend of a stored message: the service returns the stored one
    except psycopg.OperationalError as error:
        # A lock or statement timeout, a lost connection: nothing was stored.
        raise DomainError(
            ErrorCode.TEMPORARILY_UNAVAILABLE,
            "The message could not be stored just now; it will be sent again.",
        ) from error
    if row is None:
        return None  # the sender may not write now: the service says why
    # Counted once per message, like the service's calls: an attempt that hands the message
    # to the service is timed there.
    _DATABASE_SECONDS.observe(time.perf_counter() - began)
    message_id, seq, status = int(row[0]), int(row[1]), str(row[2])
    message = Message(pk=message_id, seq=seq, created_at=now, **fields)
    _STORED[sender].inc()
    # Stored and committed (one statement in autocommit): the events leave now.
    await bridge.send_events(
        [(group, outbox.frame_event(frame)) for group, frame in message_frames(message)]
    )
    if sender == SenderKind.CITIZEN and status == ConversationStatus.WAITING:
        await bridge.call(conversation_retriage_if_waiting, conversation_id=conversation_id)
    return PostResult(message=message, duplicate=False)
