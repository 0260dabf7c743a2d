"""A conversation's messages are stored in the order they were sent, also across refusals.

A client may keep several ``message.send`` frames on the wire. When one is refused for now
(``busy``, ``rate_limited``, ``temporarily_unavailable``), every later ``message.send`` of the
same conversation on the socket is refused with ``busy`` as well, until the refused one comes
again: it is then stored before them, whatever the server's load was in between. Messages of
the socket's other conversations (an officer's console holds several) are not held back. A
hold whose message never comes back (the client gave up on it) lapses ``HOLD_SECONDS`` after
the pause it asked for.

Owned by one consumer and touched only from its event loop.
"""

from __future__ import annotations

import time
from collections.abc import Hashable

HOLD_SECONDS = 10.0


class SendOrder:
    __slots__ = ("_holds",)

    def __init__(self) -> None:
        # conversation key -> (the refused message's client_id, when the hold lapses)
        self._holds: dict[Hashable, tuple[str, float]] = {}

    def holds_back(self, ref: str | None, key: Hashable = None) -> bool:
        """Whether the ``message.send`` ``ref`` of conversation ``key`` must wait for an
        earlier refused one of that conversation.

        The refused message itself passes (and ends the hold)."""
        hold = self._holds.get(key)
        if hold is None:
            return False
        held, until = hold
        if ref == held or time.monotonic() > until:
            del self._holds[key]
            return False
        return True

    def refused(self, ref: str | None, retry_after: float | None, key: Hashable = None) -> None:
        """The ``message.send`` ``ref`` of conversation ``key`` was refused for now: hold back
        what follows it in that conversation."""
        if ref is None or key in self._holds:
            return
        self._holds[key] = (ref, time.monotonic() + (retry_after or 0.0) + HOLD_SECONDS)
