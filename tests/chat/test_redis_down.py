"""Redis stops under a live chat: sends are stored and acknowledged, new handshakes are
refused with 1013, and everything recovers by itself when Redis is back.

The test starts its own ``redis-server`` on a free port; the shared one is never touched.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers, get_channel_layer
from channels.testing import WebsocketCommunicator

from advice.models import Message
from chat.bridge import LayerFailures
from poradnia.asgi import application
from tests.conftest import ORIGIN, cid, officer_online, service_available, start_citizen
from tests.e2e.server import free_port

pytestmark = pytest.mark.django_db(transaction=True)


class PrivateRedis:
    """A throwaway ``redis-server`` without persistence that the test stops and restarts."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary is not None
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not service_available("127.0.0.1", self.port):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis(settings) -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail("redis-server is required (REQUIRE_SERVICES is set) but not installed.")
        pytest.skip("redis-server is not installed")
    redis = PrivateRedis()
    redis.start()
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": redis.url, "max_connections": 200}],
                "prefix": f"test-{uuid.uuid4().hex[:8]}",
            },
        }
    }
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis.url}
    }
    channel_layers.backends.clear()
    yield redis
    redis.stop()


async def _stop(redis: PrivateRedis) -> None:
    await asyncio.to_thread(redis.stop)


async def test_sends_are_stored_and_acknowledged_while_redis_is_down(
    private_redis, sockets, make_officer
):
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    citizen, token = await start_citizen(sockets, language="pl")
    conversation_id = (await officer.receive_until("queue.entry"))["entry"]["id"]
    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await officer.receive_until("replay.done")
    await citizen.receive_until("conversation.state", reason="officer_joined")
    failures = LayerFailures.count

    await _stop(private_redis)
    await citizen.send({"type": "message.send", "client_id": "c1", "text": "Czy ktoś tu jest?"})
    ack = await citizen.receive_until("ack", timeout=10)
    assert ack["client_id"] == "c1"
    await officer.send(
        {
            "type": "message.send",
            "conversation_id": conversation_id,
            "client_id": "o1",
            "text": "Jestem.",
        }
    )
    assert (await officer.receive_until("ack", timeout=10))["client_id"] == "o1"
    assert LayerFailures.count > failures
    stored = await database_sync_to_async(
        lambda: list(Message.objects.filter(conversation_id=conversation_id).values_list("seq"))
    )()
    assert sorted(stored) == [(1,), (2,)]

    # A new handshake is refused clearly: an error frame, then 1013 (try again later).
    communicator = WebsocketCommunicator(application, "/ws/citizen/", headers=[ORIGIN])
    connected, _ = await communicator.connect(timeout=10)
    assert connected
    assert (await communicator.receive_json_from(timeout=5))["code"] == "temporarily_unavailable"
    assert (await communicator.receive_output(timeout=5)) == {
        "type": "websocket.close",
        "code": 1013,
    }

    # Redis comes back on the same port: the layer reconnects by itself.
    await asyncio.to_thread(private_redis.start)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20
    delivered = None
    while delivered is None and loop.time() < deadline:
        await citizen.send({"type": "message.send", "client_id": cid(), "text": "Halo?"})
        # Acknowledged by an ``ack`` while the layer fails, by its own frame once it works;
        # a frame published before the socket's subscription is back is lost (the page sends
        # the message again after a while, and the resend is acknowledged).
        while not await citizen.nothing(timeout=0.5):
            await citizen.receive()
        # ``receive_nothing`` waits without cancelling the console (a timed-out receive would).
        while not await officer.nothing(timeout=1):
            frame = await officer.receive()
            if frame["type"] == "message" and frame["sender"] == "citizen":
                delivered = frame
    assert delivered is not None, "the channel layer did not recover"

    # A citizen who missed the officer's message while Redis was down gets it by resume.
    again = await sockets("/ws/citizen/")
    await again.send({"type": "conversation.resume", "token": token, "last_seq": 1})
    assert (await again.receive_until("message", sender="officer"))["text"] == "Jestem."
    await again.receive_until("replay.done")
    layer = get_channel_layer()
    await layer.flush()
