"""Database threads for consumers: a small pool on PostgreSQL, the one thread elsewhere.

Channels runs every ``database_sync_to_async`` call of a process on one thread, so every
frame's queries wait behind every other frame's. On PostgreSQL the conversation row's write
lock already keeps message numbers gap-free, so message writes may run on a few threads at
once (``settings.DB_THREADS``, each thread with its own connection, old connections closed
around every call as ``database_sync_to_async`` does). SQLite keeps the single thread: it
has one writer anyway.

Writes of one conversation still run one after another within a process (a *lane* per
conversation): their events then leave in the order of their sequence numbers, which the
receiving sockets rely on.

Periodic reads whose delay every waiting citizen sees (the queue positions) run on a thread
of their own (:func:`run_aside`), so they never queue behind a burst of writes.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import Awaitable, Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import close_old_connections, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

T = TypeVar("T")
_pool: ThreadPoolExecutor | None = None
_aside: ThreadPoolExecutor | None = None
THREAD_PREFIX = "db"


def _bounded_waits(sender: object, connection: BaseDatabaseWrapper, **_kwargs: object) -> None:
    """A pool thread's PostgreSQL session waits at most ``DB_LOCK_TIMEOUT_MS`` for a lock and
    ``DB_STATEMENT_TIMEOUT_MS`` for a statement: a locked or slow database turns a message
    write into ``temporarily_unavailable`` instead of a send that hangs (``docs/security.md``).
    Set once per connection, so the one-statement write stays one round trip."""
    if connection.vendor != "postgresql":
        return
    if not threading.current_thread().name.startswith(f"{THREAD_PREFIX}_"):
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('lock_timeout', %s, false),"
            " set_config('statement_timeout', %s, false)",
            [f"{settings.DB_LOCK_TIMEOUT_MS}ms", f"{settings.DB_STATEMENT_TIMEOUT_MS}ms"],
        )


connection_created.connect(_bounded_waits, dispatch_uid="poradnia_pool_bounded_waits")


def pool_size() -> int:
    """Threads for pooled calls; 1 (the shared thread) unless the database is PostgreSQL."""
    if vendor() != "postgresql":
        return 1
    return max(1, int(settings.DB_THREADS))


def vendor() -> str:
    """The default database's vendor, safe to ask from a consumer (see :func:`_vendor`)."""
    return _vendor(settings.DATABASES["default"]["ENGINE"])


@functools.cache
def _vendor(engine: str) -> str:
    """The vendor of the default database (whose backend is ``engine``).

    Looked up in a context of its own: Django keeps a connection object per context
    (``asgiref.local.Local``), and one looked up from a consumer would stay with that
    socket's task for as long as the socket is open (about 3 KiB per waiting citizen).
    """
    return contextvars.Context().run(lambda: connections["default"].vendor)


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=pool_size(), thread_name_prefix=THREAD_PREFIX)
    return _pool


async def run(function: Callable[[], T]) -> T:
    """Run ``function`` on a pool thread (PostgreSQL) or on Channels' database thread.

    On the pool, as ``database_sync_to_async`` does, stale connections are closed before
    and after the call and the caller's context variables are visible to it; it skips what
    a pool thread does not need from asgiref (a shielded future, copying context variables
    back, the bookkeeping for ``async_to_sync`` from inside the thread): a message write
    crosses threads twice per message.
    """
    if pool_size() == 1:
        return await database_sync_to_async(function)()
    loop = asyncio.get_running_loop()
    context = contextvars.copy_context()
    return await loop.run_in_executor(_executor(), context.run, _with_connections, function)


async def run_aside(function: Callable[[], T]) -> T:
    """Run ``function`` on the one thread kept for periodic reads (PostgreSQL), with its own
    connection; elsewhere as :func:`run`."""
    global _aside
    if pool_size() == 1:
        return await database_sync_to_async(function)()
    if _aside is None:
        _aside = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"{THREAD_PREFIX}_aside")
    loop = asyncio.get_running_loop()
    context = contextvars.copy_context()
    return await loop.run_in_executor(_aside, context.run, _with_connections, function)


def _with_connections(function: Callable[[], T]) -> T:
    close_old_connections()
    try:
        return function()
    finally:
        close_old_connections()


def shutdown() -> None:
    """Close every pool thread's database connection and stop the threads.

    Each thread keeps its connection between calls (``CONN_MAX_AGE``); a process that must
    leave no session behind (a test run dropping its database) calls this first.
    """
    global _pool, _aside
    aside, _aside = _aside, None
    if aside is not None:
        aside.submit(connections.close_all).result(timeout=30)
        aside.shutdown(wait=True)
    pool, _pool = _pool, None
    if pool is None:
        return
    workers = pool._max_workers
    barrier = threading.Barrier(workers)

    def close() -> None:
        # The barrier holds each task until all are running: one per thread.
        barrier.wait(timeout=10)
        connections.close_all()

    for future in [pool.submit(close) for _ in range(workers)]:
        future.result(timeout=30)
    pool.shutdown(wait=True)


class Lanes:
    """One asyncio lock per key, kept only while someone holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    def __len__(self) -> int:
        return len(self._locks)

    async def __call__(self, key: Hashable, work: Callable[[], Awaitable[T]]) -> T:
        lock, users = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                return await work()
        finally:
            lock_now, users_now = self._locks[key]
            if users_now <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock_now, users_now - 1)
