"""Channel layers: the in-memory one of the embedded default with cheaper receives, and
sending several group events in one round trip to Redis."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from channels.layers import BaseChannelLayer, InMemoryChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer

# A group and the event sent to it.
GroupEvent = tuple[str, dict[str, Any]]


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


async def group_send_all(layer: BaseChannelLayer, events: Sequence[GroupEvent]) -> None:
    """Send every event to its group, in order.

    On Redis pub/sub the ``PUBLISH`` commands of one shard go out as one pipeline (one round
    trip instead of one per event: a chat message has two audiences), under the shard's lock
    as ``channels_redis`` publishes; other layers send one event after another. Raises what
    the layer raises (nothing after the failing event is sent).
    """
    if not isinstance(layer, RedisPubSubChannelLayer) or len(events) < 2:
        for group, event in events:
            await layer.group_send(group, event)
        return
    loop_layer = layer._get_layer()
    by_shard: dict[Any, list[tuple[str, bytes]]] = {}
    for group, event in events:
        channel = loop_layer._get_group_channel_name(group)
        shard = loop_layer._get_shard(channel)
        by_shard.setdefault(shard, []).append((channel, layer.serialize(event)))
    for shard, publishes in by_shard.items():
        async with shard._lock:
            shard._ensure_redis()
            async with shard._redis.pipeline(transaction=False) as pipe:
                for channel, data in publishes:
                    pipe.publish(channel, data)
                await pipe.execute()
