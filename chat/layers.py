"""Channel layers: the in-memory one of the embedded default with cheaper receives, Redis
pub/sub with a small mailbox per channel and channels released when their consumer ends, and
sending several group events in one round trip to Redis."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from channels.layers import BaseChannelLayer, InMemoryChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer, RedisPubSubLoopLayer
from channels_redis.utils import _wrap_close

log = logging.getLogger(__name__)

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


class Mailbox:
    """The messages of one receiver not read yet: ``asyncio.Queue``'s ``put_nowait`` and
    ``get`` for one channel (or one socket's ASGI input), at a fraction of its size.

    An idle ``asyncio.Queue`` holds four ``deque``s and an ``Event`` (about 3 KiB); a
    waiting socket has one for its ASGI input and one for its channel. This holds a list only
    while something waits, and a ``deque`` only while messages wait. ``get`` returns a
    future, not a coroutine, so awaiting it through ``asyncio.ensure_future`` (as Channels'
    dispatch loop does) makes no task. ``decode``, when given, turns each message into what
    ``get`` returns as it arrives; a message it cannot decode is logged and dropped.
    """

    __slots__ = ("_decode", "_items", "_waiters")

    def __init__(self, decode: Callable[[Any], Any] | None = None) -> None:
        self._decode = decode
        self._items: deque[Any] | None = None
        self._waiters: list[asyncio.Future[Any]] | None = None

    def qsize(self) -> int:
        return len(self._items) if self._items else 0

    def empty(self) -> bool:
        return not self._items

    def put_nowait(self, item: Any) -> None:
        if self._decode is not None:
            try:
                item = self._decode(item)
            except Exception:
                log.exception("dropping a channel message that cannot be decoded")
                return
        waiters = self._waiters
        while waiters:
            waiter = waiters.pop(0)
            if not waiter.done():
                if not waiters:
                    self._waiters = None
                waiter.set_result(item)
                return
        self._waiters = None
        if self._items is None:
            self._items = deque()
        self._items.append(item)

    def get(self) -> asyncio.Future[Any]:
        """A future of the next message (the first waiting reader gets each message)."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        if self._items:
            future.set_result(self._items.popleft())
            if not self._items:
                self._items = None
        elif self._waiters is None:
            self._waiters = [future]
        else:
            self._waiters.append(future)
        return future


class RedisPubSubLoop(RedisPubSubLoopLayer):
    """``channels_redis``' pub/sub layer of one event loop, with a :class:`Mailbox` per
    channel and channels released for good.

    ``channels_redis`` forgets a channel (its queue and its Redis subscription) only when a
    ``receive`` on it is cancelled. A socket whose task ends before its first ``receive``
    ran — a handshake that timed out while the channel was being subscribed — left both
    behind for the life of the process. Here a cancelled subscribe or receive releases the
    channel, and :meth:`release_channel` does it explicitly (the consumers call it when they
    end).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decode = self.channel_layer.deserialize
        self._releasing: set[asyncio.Task[None]] = set()

    async def _subscribe_to_channel(self, channel: str) -> None:
        self.channels[channel] = Mailbox(self._decode)
        try:
            await self._get_shard(channel).subscribe(channel)
        except BaseException:
            self._release_soon(channel)
            raise

    def receive(self, channel: str) -> Awaitable[Any]:
        """The next message of ``channel`` (subscribed here first if it is not yet)."""
        mailbox = self.channels.get(channel)
        if mailbox is None:
            return self._subscribe_and_receive(channel)
        future = mailbox.get()
        if not future.done():
            future.add_done_callback(functools.partial(self._on_receive_done, channel))
        return future

    async def _subscribe_and_receive(self, channel: str) -> Any:
        await self._subscribe_to_channel(channel)
        return await self.receive(channel)

    def _on_receive_done(self, channel: str, future: asyncio.Future[Any]) -> None:
        if future.cancelled():  # the receiver has gone (Channels cancels it on exit)
            self._release_soon(channel)

    def _release_soon(self, channel: str) -> None:
        if self.channels.pop(channel, None) is None:
            return
        task = asyncio.get_running_loop().create_task(self._unsubscribe(channel))
        self._releasing.add(task)
        task.add_done_callback(self._releasing.discard)

    async def release_channel(self, channel: str) -> None:
        """Forget ``channel``: no more messages are kept for it, its subscription ends."""
        if self.channels.pop(channel, None) is not None:
            await self._unsubscribe(channel)

    async def _unsubscribe(self, channel: str) -> None:
        try:
            await self._get_shard(channel).unsubscribe(channel)
        except Exception:  # Redis unreachable: the subscription ends with the connection
            log.warning("could not unsubscribe channel %s", channel, exc_info=True)


class RedisPubSubLayer(RedisPubSubChannelLayer):
    """``channels_redis``' pub/sub layer with :class:`RedisPubSubLoop` per event loop.

    ``receive`` goes straight to the loop's layer (no proxy coroutine per waiting socket).
    """

    def _get_layer(self) -> RedisPubSubLoop:
        loop = asyncio.get_running_loop()
        layer = self._layers.get(loop)
        if layer is None:
            layer = RedisPubSubLoop(*self._args, **self._kwargs, channel_layer=self)
            self._layers[loop] = layer
            _wrap_close(self, loop)
        return layer

    def receive(self, channel: str) -> Awaitable[Any]:
        return self._get_layer().receive(channel)

    async def release_channel(self, channel: str) -> None:
        await self._get_layer().release_channel(channel)


async def release_channel(layer: BaseChannelLayer | None, channel: str) -> None:
    """Let ``layer`` forget a channel whose consumer has ended, where it can."""
    release = getattr(layer, "release_channel", None)
    if release is not None and channel:
        await release(channel)
