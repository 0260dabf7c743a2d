"""Channel layer of the embedded default: Channels' in-memory layer with cheaper receives."""

from __future__ import annotations

import time

from channels.layers import InMemoryChannelLayer


class ThrottledInMemoryChannelLayer(InMemoryChannelLayer):
    """Expires old messages and group memberships at most once a second.

    Channels' layer runs that sweep, which walks every channel and every group, on each
    ``receive``: with N open sockets every delivered frame costs O(N), and the event loop
    spent a quarter of its time there at 200 conversations.
    """

    sweep_interval = 1.0
    _swept_at = float("-inf")

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._swept_at < self.sweep_interval:
            return
        self._swept_at = now
        super()._clean_expired()
