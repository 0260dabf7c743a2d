"""The conversation lifecycle over the real Redis channel layers (both backends)."""

from __future__ import annotations

import uuid

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers, get_channel_layer

from tests.conftest import officer_online, require_service, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(
    params=[
        "channels_redis.core.RedisChannelLayer",
        "channels_redis.pubsub.RedisPubSubChannelLayer",
        "chat.layers.RedisPubSubLayer",
    ]
)
async def redis_layer(request, settings):
    require_service("Redis", 6379)
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": request.param,
            "CONFIG": {
                "hosts": [{"address": "redis://127.0.0.1:6379/3", "max_connections": 200}],
                # A private prefix so parallel runs on one Redis never see each other.
                "prefix": f"test-{uuid.uuid4().hex[:8]}",
            },
        }
    }
    channel_layers.backends.clear()
    layer = get_channel_layer()
    yield layer
    await layer.flush()
    if hasattr(layer, "close_pools"):
        await layer.close_pools()


async def test_lifecycle_over_redis(redis_layer, sockets, make_officer):
    assert "Redis" in type(redis_layer).__name__
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    citizen, token = await start_citizen(sockets, language="pl")
    conversation_id = (await officer.receive_until("queue.entry"))["entry"]["id"]
    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await officer.receive_until("replay.done")
    assert (await citizen.receive_until("conversation.state", reason="officer_joined"))[
        "status"
    ] == "active"

    await citizen.send(
        {"type": "message.send", "client_id": "c1", "text": "ktoś włamał się na moje konto"}
    )
    assert (await officer.receive_until("message"))["text"] == "ktoś włamał się na moje konto"
    await officer.send(
        {
            "type": "message.send",
            "conversation_id": conversation_id,
            "client_id": "o1",
            "text": "Zmień hasło teraz.",
        }
    )
    assert (await citizen.receive_until("message", sender="officer"))["seq"] == 2

    await citizen.close()
    again = await sockets("/ws/citizen/")
    await again.send({"type": "conversation.resume", "token": token, "last_seq": 1})
    replayed = await again.receive_until("message")
    assert replayed["seq"] == 2
    await again.receive_until("replay.done")
    await officer.send({"type": "conversation.close", "conversation_id": conversation_id})
    assert (await again.receive_until("conversation.state", reason="ended_by_officer"))[
        "status"
    ] == "closed"
