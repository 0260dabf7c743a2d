"""A client that goes away while the server is answering it: Daphne refuses the frame
(``autobahn.exception.Disconnected``), the consumer drops it and ends as after any close."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from autobahn.exception import Disconnected
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from advice.models import Conversation, Message
from core import metrics
from tests.conftest import ORIGIN

pytestmark = pytest.mark.django_db(transaction=True)


def closing_application(gone: asyncio.Event) -> Any:
    """The real application behind a server that refuses frames once ``gone`` is set, as
    Daphne does for a socket whose client has closed it."""
    from poradnia.asgi import application

    async def app(scope: Any, receive: Any, send: Any) -> None:
        async def daphne_send(message: dict[str, Any]) -> None:
            if gone.is_set() and message["type"] == "websocket.send":
                raise Disconnected("Attempt to send on a closed protocol")
            await send(message)

        await application(scope, receive, daphne_send)

    return app


async def test_a_frame_to_a_client_that_has_gone_is_dropped_and_the_socket_ends_cleanly() -> None:
    gone = asyncio.Event()
    communicator = WebsocketCommunicator(
        closing_application(gone), "/ws/citizen/", headers=[ORIGIN]
    )
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_to(
        text_data=json.dumps({"type": "conversation.start", "language": "en"})
    )
    while json.loads(await communicator.receive_from())["type"] != "conversation.started":
        pass
    dropped_before = metrics.FRAMES_TO_GONE_CLIENTS._value.get()
    gone.set()
    # The message is stored; its acknowledgement and echo cannot be sent any more.
    frame = {"type": "message.send", "client_id": "m1", "text": "Someone took my money"}
    await communicator.send_to(text_data=json.dumps(frame))
    for _ in range(50):
        if await database_sync_to_async(Message.objects.filter(client_id="m1").exists)():
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.1)
    assert not communicator.future.done(), "the consumer crashed on the refused frame"
    assert metrics.FRAMES_TO_GONE_CLIENTS._value.get() > dropped_before
    await communicator.disconnect()  # re-raises what the consumer raised, if anything

    conversation = await database_sync_to_async(Conversation.objects.get)()
    assert await database_sync_to_async(Message.objects.filter(client_id="m1").count)() == 1
    # The close was recorded: the citizen's wait to come back has started.
    assert conversation.resume_due_at is not None
