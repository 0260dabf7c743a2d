"""A socket's messages are stored in the order they were sent, also across refusals.

A client may keep several ``message.send`` frames on the wire. When one is refused for now
(``busy``, ``rate_limited``, ``temporarily_unavailable``), every later ``message.send`` on the
socket is refused with ``busy`` as well, until the refused one comes again: it is then
stored before them, whatever the server's load was in between. A hold whose message never
comes back (the client gave up on it) lapses ``HOLD_SECONDS`` after the pause it asked for.

Owned by one consumer and touched only from its event loop.
"""

from __future__ import annotations

import time

HOLD_SECONDS = 10.0


class SendOrder:
    def __init__(self) -> None:
        self.ref: str | None = None
        self.until = 0.0

    def holds_back(self, ref: str | None) -> bool:
        """Whether the ``message.send`` ``ref`` must wait for an earlier refused one.

        The refused message itself passes (and ends the hold)."""
        if self.ref is None:
            return False
        if ref == self.ref or time.monotonic() > self.until:
            self.ref = None
            return False
        return True

    def refused(self, ref: str | None, retry_after: float | None) -> None:
        """The ``message.send`` ``ref`` was refused for now: hold back what follows it."""
        if ref is None or self.ref is not None:
            return
        self.ref = ref
        self.until = time.monotonic() + (retry_after or 0.0) + HOLD_SECONDS
