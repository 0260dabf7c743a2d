"""Message writes on the event loop (PostgreSQL): the one statement without a thread hop.

``advice.services.messages.message_post`` runs in a database thread: every message crossed
threads twice (the executor's queue, a future, the loop's self-pipe, and each thread waiting
for the GIL). On PostgreSQL the write is one statement (``advice.services.message_sql``), so
a socket's message is stored here with an asynchronous connection on the event loop itself,
and its events are sent at once.

The connection is asyncpg's: it reads replies through a protocol that stays registered with
the event loop and keeps the statement prepared, where a psycopg connection registered and
removed its socket for every wait (``docs/performance.md``, "The write with asyncpg").

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
import contextlib
import contextvars
import re
import time
from datetime import UTC, datetime
from typing import Any, TypeAlias

import asyncpg
from django.conf import settings
from django.db import connections

from advice.events import outbox
from advice.events.publish import message_frames
from advice.models import ConversationStatus, MessageKind, SenderKind
from advice.services import message_sql
from advice.services.messages import (
    PostResult,
    StoredMessage,
    clean_client_id,
    message_post,
)
from advice.services.triage_apply import conversation_retriage_if_waiting
from advice.text import clean_message_text
from chat import bridge, dbpool
from core import metrics
from core.errors import DomainError, ErrorCode

Connection: TypeAlias = asyncpg.Connection
# SQLSTATE classes after which nothing was stored and the write may be tried again: a lost or
# refused connection (08), resources (53), a lock timeout (55), a statement timeout or a
# server shutting down (57), a system error (58).
_RETRYABLE_CLASSES = ("08", "53", "55", "57", "58")
_CLIENT_DATA_ERROR = asyncpg.exceptions._base.DataError


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
                row = await conn.fetchrow(statement, *params)
            except asyncpg.PostgresError as error:
                # The server refused this statement (a resend's unique violation, a lock or
                # statement timeout): the connection stays sound, unless the refusal was
                # the connection's end.
                self._keep_or_discard(conn, ended=_ends_connection(error))
                raise
            except BaseException:
                _discard(conn)  # broken, or cancelled half-way
                raise
            self._keep_or_discard(conn, ended=False)
            return row

    def _keep_or_discard(self, conn: Connection, *, ended: bool) -> None:
        if ended or conn.is_closed():
            _discard(conn)
        else:
            self.idle.append(conn)

    def close_all(self) -> None:
        """Close every idle connection (also those of an event loop that has ended)."""
        idle, self.idle = self.idle, []
        for conn in idle:
            _discard(conn)


def _ends_connection(error: asyncpg.PostgresError) -> bool:
    """Whether the server ended the connection with ``error``: a connection exception (08)
    or a shutdown (57P01–57P03; 57014, a statement timeout, leaves it usable)."""
    return str(error.sqlstate or "").startswith(("08", "57P"))


def _discard(conn: Connection) -> None:
    # ``terminate`` closes the socket at once, without a round trip; the loop that opened the
    # connection may be gone.
    if not conn.is_closed():
        with contextlib.suppress(RuntimeError):
            conn.terminate()


async def _connect() -> Connection:
    # In a context of its own: a connection object looked up from a consumer's task would stay
    # with that socket (``chat.dbpool._vendor``).
    params = contextvars.Context().run(lambda: connections["default"].get_connection_params())
    return await asyncpg.connect(**connect_arguments(params))


def connect_arguments(params: dict[str, Any]) -> dict[str, Any]:
    """asyncpg's arguments for the default database's connection parameters (libpq's names,
    as Django gives them to psycopg), with this path's lock and statement timeouts."""
    settings_sent = {
        "lock_timeout": f"{int(settings.DB_LOCK_TIMEOUT_MS)}ms",
        "statement_timeout": f"{int(settings.DB_STATEMENT_TIMEOUT_MS)}ms",
    }
    options = str(params.get("options") or "")
    for name, value in re.findall(r"-c\s*([\w.]+)=(\S+)", options):
        settings_sent.setdefault(name, value)
    if params.get("application_name"):
        settings_sent["application_name"] = str(params["application_name"])
    arguments: dict[str, Any] = {
        "host": params.get("host") or None,
        "port": params.get("port") or None,
        "user": params.get("user") or None,
        "password": params.get("password") or None,
        "database": params.get("dbname") or None,
        "server_settings": settings_sent,
    }
    if params.get("sslmode"):
        arguments["ssl"] = str(params["sslmode"])
    if params.get("connect_timeout"):
        arguments["timeout"] = float(params["connect_timeout"])
    return arguments


writers = Writers()
# The metrics' children of this path, looked up once.
_DATABASE_SECONDS = metrics.FRAME_DATABASE_SECONDS.labels(service=message_post.__name__)
_STORED = {kind: metrics.MESSAGES_STORED.labels(sender=kind) for kind in SenderKind}


def _unavailable() -> DomainError:
    return DomainError(
        ErrorCode.TEMPORARILY_UNAVAILABLE,
        "The message could not be stored just now; it will be sent again.",
    )


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
    now = datetime.now(UTC)  # timezone.now() without its settings lookup (USE_TZ is on)
    statement = message_sql.positional_statement_for(sender)
    params = message_sql.positional_parameters(sender, message_sql.parameters(now=now, **fields))
    began = time.perf_counter()
    try:
        row = await writers.fetch_one(statement, params)
    except asyncpg.UniqueViolationError:
        return None  # a resend of a stored message: the service returns the stored one
    except asyncpg.PostgresError as error:
        if not str(error.sqlstate or "").startswith(_RETRYABLE_CLASSES):
            raise
        raise _unavailable() from error
    except _CLIENT_DATA_ERROR:
        raise  # a value the driver cannot send: a defect, not a reason to try again
    except (OSError, asyncpg.InterfaceError, asyncpg.InternalClientError, TimeoutError) as error:
        # A lost or unreachable connection (or one the server ended while it was idle):
        # nothing was stored.
        raise _unavailable() from error
    if row is None:
        return None  # the sender may not write now: the service says why
    # Counted once per message, like the service's calls: an attempt that hands the message
    # to the service is timed there.
    _DATABASE_SECONDS.observe(time.perf_counter() - began)
    message_id, seq, status = int(row[0]), int(row[1]), str(row[2])
    message = StoredMessage(pk=message_id, seq=seq, created_at=now, **fields)
    _STORED[sender].inc()
    # Stored and committed (one statement in autocommit): the events leave now.
    await bridge.send_events(
        [(group, outbox.frame_event(frame)) for group, frame in message_frames(message)]
    )
    if sender == SenderKind.CITIZEN and status == ConversationStatus.WAITING:
        await bridge.call(conversation_retriage_if_waiting, conversation_id=conversation_id)
    return PostResult(message=message, duplicate=False)
