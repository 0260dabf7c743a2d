"""Group events sent to websocket clients, always after the writing transaction commits.

Services publish through ``advice.events.publish``, which calls :func:`publish`; the event
leaves only if and when the transaction commits. Inside a consumer, :func:`collecting`
gathers the events so the consumer sends them on its own event loop (no extra thread hop);
elsewhere (views, commands, timers) they are sent directly through the channel layer.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from core import metrics

Event = tuple[str, dict[str, Any]]
# The channel-layer event type every consumer handles by sending its frame on
# (handler ``chat_frame``).
FRAME_EVENT = "chat.frame"
_local = threading.local()


def frame_event(frame: Mapping[str, Any]) -> dict[str, Any]:
    """Wrap a client frame into a channel-layer event handled by ``chat_frame``."""
    return {"type": FRAME_EVENT, "frame": frame}


def publish(group: str, frame: Mapping[str, Any]) -> None:
    """Send ``frame`` to every socket in ``group`` once the current transaction commits."""
    event = frame_event(frame)
    transaction.on_commit(lambda: _deliver(group, event))


def _deliver(group: str, event: dict[str, Any]) -> None:
    box: list[Event] | None = getattr(_local, "outbox", None)
    if box is not None:
        box.append((group, event))
        return
    layer = get_channel_layer()
    if layer is not None:
        with metrics.LAYER_SEND_ERRORS.count_exceptions():
            async_to_sync(layer.group_send)(group, event)


@contextmanager
def collecting() -> Iterator[list[Event]]:
    """Collect committed events in a list instead of sending them (used by consumers)."""
    previous = getattr(_local, "outbox", None)
    box: list[Event] = []
    _local.outbox = box
    try:
        yield box
    finally:
        _local.outbox = previous
