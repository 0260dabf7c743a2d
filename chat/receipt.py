"""When a websocket frame arrived, as opposed to when its consumer got to it.

A consumer reads its socket's frames one at a time; while one waits for the database the
next ones queue in front of it, and are then read in quick succession. A frame rate measured
when frames are read would count the server's own backlog against the client (a socket
sending one message a second, read in a burst after a slow write, would be refused and
closed as a flood). The server (``poradnia.serve``) stamps each ``websocket.receive``
message with ``time.monotonic()`` as the event loop reads it, under :data:`RECEIVED_AT`;
the consumers measure their frame rate by that stamp (``chat.consumers.base``). A server or
test client that does not stamp leaves the reading time in use.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

RECEIVED_AT = "poradnia.received_at"


def received_at(message: Mapping[str, Any]) -> float:
    """When ``message`` arrived (monotonic seconds): its stamp, or now."""
    stamp = message.get(RECEIVED_AT)
    return stamp if isinstance(stamp, float) else time.monotonic()
