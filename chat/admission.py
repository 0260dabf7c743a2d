"""Admission control: a bound on the database calls one server process has in flight.

Every call through ``chat.bridge`` counts while it waits for and holds a database thread.
Frames that a client can safely send again (a chat message, resent with the same
``client_id``) are refused with ``busy`` while the process already has
``settings.MAX_INFLIGHT_DB_CALLS`` calls in flight, with the pause to wait before the resend
(``retry_after``: ``settings.BUSY_RETRY_AFTER_SECONDS``, which clients stretch with jitter so
that the refused do not come back together): the queue in front of the database stays
short, so the conversations already being served stay fast and throughput levels off
instead of collapsing. Other calls (presence, claims, starts) are counted but never refused:
while citizens arrive faster than their starts are stored, messages wait, so a new
conversation reaches the queue before more messages are taken (docs/performance.md, "One
admission queue or two").

The counter belongs to the process's event loop and is touched only from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from core.errors import DomainError, ErrorCode


class Gate:
    def __init__(self) -> None:
        self.inflight = 0
        self.refused = 0

    @contextmanager
    def held(self, *, refusable: bool) -> Iterator[None]:
        """Count one call while the block runs; refuse it with ``busy`` if ``refusable`` and
        the process is at its bound."""
        if refusable and self.inflight >= settings.MAX_INFLIGHT_DB_CALLS:
            self.refused += 1
            raise DomainError(
                ErrorCode.BUSY,
                "The server is busy; send the frame again.",
                retry_after=settings.BUSY_RETRY_AFTER_SECONDS,
            )
        self.inflight += 1
        try:
            yield
        finally:
            self.inflight -= 1


gate = Gate()
