"""A bare Channels room chat: the floor the Poradnia message path is measured against.

``daphne -b 127.0.0.1 -p PORT bench.bare_chat:application`` with the same ``REDIS_URL`` as
the Poradnia server (``RedisPubSubChannelLayer``, pool size as in ``poradnia.settings``;
the in-memory layer without one). A socket on ``/ws/room/<name>/`` joins the room's group
on connect; every text frame it sends is ``group_send`` to the room, and each member's
handler sends it on. No database, no sessions, no authentication. Like Poradnia's consumers
it skips Channels' per-handler ``aclose_old_connections`` (it has no database), so the
comparison isolates what Poradnia adds: parsing and checking the frame, storing and
numbering the message, the acknowledgement and the audience's frames.
"""

from __future__ import annotations

import gc
import os
from typing import Any

import django
from django.conf import settings

if not settings.configured:
    redis_url = os.environ.get("REDIS_URL", "")
    layer: dict[str, Any] = (
        {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": redis_url, "max_connections": 2000}],
                # Pub/sub names are shared by every database number: the same prefix as the
                # Poradnia server keeps runs beside each other apart.
                "prefix": os.environ.get("CHANNEL_LAYER_PREFIX", "asgi"),
            },
        }
        if redis_url
        else {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 1000}}
    )
    settings.configure(
        DEBUG=False,
        INSTALLED_APPS=["channels"],
        CHANNEL_LAYERS={"default": layer},
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    )
    django.setup()

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import URLRouter
from django.urls import path


class RoomConsumer(AsyncWebsocketConsumer):
    room = ""

    async def dispatch(self, message: dict[str, Any]) -> None:
        await getattr(self, get_handler_name(message))(message)

    async def connect(self) -> None:
        self.room = "room." + self.scope["url_route"]["kwargs"]["name"]
        await self.channel_layer.group_add(self.room, self.channel_name)
        self.groups.append(self.room)
        await self.accept()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is not None:
            await self.channel_layer.group_send(
                self.room, {"type": "room.message", "text": text_data}
            )

    async def room_message(self, event: dict[str, Any]) -> None:
        await self.send(text_data=event["text"])


application = URLRouter([path("ws/room/<str:name>/", RoomConsumer.as_asgi())])
gc.collect()
gc.freeze()
