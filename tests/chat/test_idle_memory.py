"""What a waiting socket keeps: nothing of a message after its dispatch, no cache client or
database connection object of its own, and no channel after it has gone (``docs/performance.md``,
"Idle capacity")."""

from __future__ import annotations

import asyncio
import contextvars
import uuid
import weakref
from typing import Any

import pytest
from channels.layers import channel_layers, get_channel_layer
from django.core.cache import caches
from django.db import connections

from chat import dbpool, limits
from chat.dispatch import dispatch_loop
from chat.layers import Mailbox, RedisPubSubLayer
from tests.conftest import require_service, start_citizen


class Message:
    """A message that can be watched with a weak reference."""

    def __init__(self, text: str) -> None:
        self.text = text


async def test_a_dispatched_message_is_not_kept_while_the_loop_waits():
    mailbox = Mailbox()
    other = Mailbox()
    seen: list[str] = []
    message = Message("hello")
    watched = weakref.ref(message)
    mailbox.put_nowait(message)
    del message

    async def dispatch(received: Message) -> None:
        seen.append(received.text)

    loop_task = asyncio.ensure_future(dispatch_loop([mailbox.get, other.get], dispatch))
    for _ in range(5):
        await asyncio.sleep(0)
    assert seen == ["hello"]
    assert watched() is None  # the loop waits for the next message holding none
    other.put_nowait(Message("second"))
    for _ in range(5):
        await asyncio.sleep(0)
    assert seen == ["hello", "second"]
    loop_task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await loop_task


async def test_a_mailbox_hands_messages_in_order_and_skips_readers_that_left():
    mailbox = Mailbox()
    gone = mailbox.get()
    gone.cancel()
    waiting = mailbox.get()
    mailbox.put_nowait(1)
    mailbox.put_nowait(2)
    assert await waiting == 1  # not lost to the cancelled reader
    assert await mailbox.get() == 2
    assert mailbox.empty()


async def test_a_mailbox_drops_a_message_it_cannot_decode_and_keeps_the_next():
    mailbox = Mailbox(decode=lambda raw: {"n": int(raw)})
    mailbox.put_nowait(b"not a number")
    mailbox.put_nowait(b"7")
    assert await mailbox.get() == {"n": 7}
    assert mailbox.empty()


async def _in_a_socket_task(work: Any) -> Any:
    """Run ``work`` in a task with a context of its own, as each socket's consumer runs."""
    return await contextvars.Context().run(asyncio.get_running_loop().create_task, work())


async def test_limit_checks_leave_no_cache_client_with_the_socket():
    async def socket() -> bool:
        await limits.run(limits.socket_open, key=f"test:{uuid.uuid4().hex}")
        return hasattr(caches._connections, "default")  # type: ignore[attr-defined]

    assert await _in_a_socket_task(socket) is False


async def test_the_pool_size_check_leaves_no_connection_object_with_the_socket():
    async def socket() -> bool:
        dbpool.pool_size()
        return hasattr(connections._connections, "default")  # type: ignore[attr-defined]

    assert await _in_a_socket_task(socket) is False


@pytest.fixture
async def pubsub_layer(settings):
    require_service("Redis", 6379)
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "chat.layers.RedisPubSubLayer",
            "CONFIG": {
                "hosts": [{"address": "redis://127.0.0.1:6379/3", "max_connections": 200}],
                "prefix": f"test-{uuid.uuid4().hex[:8]}",
            },
        }
    }
    channel_layers.backends.clear()
    layer = get_channel_layer()
    assert isinstance(layer, RedisPubSubLayer)
    yield layer
    await layer.flush()


def _subscribed(layer: Any) -> set[str]:
    return {channel for shard in layer._get_layer()._shards for channel in shard._subscribed_to}


async def _until(condition: Any, seconds: float = 5.0, step: float = 0.05) -> None:
    for _ in range(int(seconds / max(step, 0.001))):
        if condition():
            return
        await asyncio.sleep(step)


async def test_a_channel_whose_subscribe_was_cancelled_is_not_kept(pubsub_layer):
    """A handshake that times out while its channel is being subscribed leaves nothing."""
    loop_layer = pubsub_layer._get_layer()
    making = asyncio.ensure_future(pubsub_layer.new_channel())
    await _until(lambda: bool(loop_layer.channels), seconds=1.0, step=0)
    making.cancel()
    with pytest.raises(asyncio.CancelledError):
        await making
    await _until(lambda: not loop_layer.channels and not _subscribed(pubsub_layer))
    assert loop_layer.channels == {}
    assert _subscribed(pubsub_layer) == set()


async def test_a_channel_is_released_when_its_reader_is_cancelled(pubsub_layer):
    channel = await pubsub_layer.new_channel()
    reading = asyncio.ensure_future(pubsub_layer.receive(channel))
    await asyncio.sleep(0)
    reading.cancel()
    await _until(lambda: channel not in _subscribed(pubsub_layer))
    assert channel not in pubsub_layer._get_layer().channels
    assert channel not in _subscribed(pubsub_layer)


async def test_messages_reach_a_channel_and_its_groups(pubsub_layer):
    channel = await pubsub_layer.new_channel()
    await pubsub_layer.group_add("idle.test", channel)
    await pubsub_layer.send(channel, {"type": "direct"})
    assert await asyncio.wait_for(pubsub_layer.receive(channel), 5) == {"type": "direct"}
    await pubsub_layer.group_send("idle.test", {"type": "to.group", "n": 1})
    assert await asyncio.wait_for(pubsub_layer.receive(channel), 5) == {"type": "to.group", "n": 1}


@pytest.mark.django_db(transaction=True)
async def test_a_closed_citizen_socket_leaves_no_channel_behind(pubsub_layer, sockets):
    loop_layer = pubsub_layer._get_layer()
    citizen, _token = await start_citizen(sockets, language="pl")
    await citizen.receive_until("queue.position")
    assert loop_layer.channels  # the socket's own (and the position ticker's listener)
    await citizen.close()
    # The ticker stops listening within its interval once nobody waits on this process.
    await _until(lambda: not loop_layer.channels and not _subscribed(pubsub_layer))
    assert loop_layer.channels == {}
    assert _subscribed(pubsub_layer) == set()
