"""Which message numbers of one conversation a socket has been sent, for dropping repeats.

A socket's replay sends every message after a number; live frames of the conversation then
arrive through the channel layer, and those the replay already sent must be dropped. With
several server processes the live frames do not arrive in ``seq`` order: a citizen's message
is published by the citizen's process, the officer's reply (numbered after it) by the
officer's, and the reply can reach a socket first. So a number below the highest one sent
is not necessarily a repeat: this keeps the contiguous run sent (``upto``) and the numbers
above it that arrived early.
"""

from __future__ import annotations

# Numbers held above the contiguous run; a number that has not come after this many later
# ones is not coming (a message that was never published to this audience), and the run
# moves past it so the set stays bounded.
MAX_AHEAD = 256


class SeqWindow:
    """Message numbers of one conversation sent on one socket.

    ``upto``: every number up to it was sent (or will never be); ``ahead``: numbers above it
    that were sent.
    """

    __slots__ = ("ahead", "upto")

    def __init__(self, upto: int = 0) -> None:
        self.upto = upto
        self.ahead: set[int] = set()

    def replayed(self, seq: int) -> None:
        """The replay sent everything up to ``seq``."""
        if seq > self.upto:
            self.upto = seq
            self.ahead = {n for n in self.ahead if n > seq}
            self._advance()

    def fresh(self, seq: int) -> bool:
        """Record a live frame's ``seq``; True unless this socket was already sent it."""
        if seq <= self.upto or seq in self.ahead:
            return False
        self.ahead.add(seq)
        self._advance()
        if len(self.ahead) > MAX_AHEAD:
            lowest = min(self.ahead)
            self.upto = lowest
            self.ahead.discard(lowest)
            self._advance()
        return True

    @property
    def highest(self) -> int:
        """The highest number sent (what a client would resume after)."""
        return max(self.ahead, default=self.upto)

    def _advance(self) -> None:
        while self.upto + 1 in self.ahead:
            self.upto += 1
            self.ahead.discard(self.upto)
