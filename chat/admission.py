"""Admission control: a bound on the database calls one server process has queued per resource.

Every call through ``chat.bridge`` counts while it waits for and holds a database connection,
in the queue of the resource it waits for (:func:`queue_for`): message writes, which run one
conversation at a time on the process's few write connections (``chat.dbpool``,
``chat.message_writes``), and every other call, which runs on Channels' one database thread.
On SQLite both are that one thread, so there is one queue.

Frames that a client can safely send again (a chat message, resent with the same
``client_id``) are refused with ``busy`` while their queue already holds
``settings.MAX_INFLIGHT_DB_CALLS`` calls, with the pause to wait before the resend
(``retry_after``: ``settings.BUSY_RETRY_AFTER_SECONDS``, which clients stretch with jitter so
that the refused do not come back together): the queue in front of the write connections
stays short, so the conversations already being served stay fast and throughput levels off
instead of collapsing. Other calls (presence, claims, starts) are counted but never refused,
and on PostgreSQL a burst of them (citizens arriving together) does not refuse messages,
which never wait behind them (docs/performance.md, "One admission queue or two").

The counters belong to the process's event loop and are touched only from it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from chat import dbpool
from core.errors import DomainError, ErrorCode

SHARED = "shared"
LANES = "lanes"


def queue_for(*, laned: bool) -> str:
    """The queue a call waits in: ``lanes`` for laned calls (message writes) when they have
    connections of their own (PostgreSQL), else the shared database thread's."""
    if laned and dbpool.pool_size() > 1:
        return LANES
    return SHARED


class Gate:
    def __init__(self) -> None:
        self.queued: Counter[str] = Counter()
        self.refused = 0

    @contextmanager
    def held(self, *, refusable: bool, queue: str = SHARED) -> Iterator[None]:
        """Count one call in ``queue`` while the block runs; refuse it with ``busy`` if
        ``refusable`` and that queue is at its bound."""
        if refusable and self.queued[queue] >= settings.MAX_INFLIGHT_DB_CALLS:
            self.refused += 1
            raise DomainError(
                ErrorCode.BUSY,
                "The server is busy; send the frame again.",
                retry_after=settings.BUSY_RETRY_AFTER_SECONDS,
            )
        self.queued[queue] += 1
        try:
            yield
        finally:
            self.queued[queue] -= 1


gate = Gate()
