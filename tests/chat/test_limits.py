"""Abuse limits per client address: open sockets, conversation starts, sockets that keep
hitting the rate limit, and sockets that never speak (docs/security.md, "Limits")."""

from __future__ import annotations

import asyncio
import json

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings

from advice.models import Conversation
from chat import limits
from tests.conftest import ORIGIN, Socket

pytestmark = pytest.mark.django_db(transaction=True)


async def citizen_from(address: str, headers=()) -> tuple[WebsocketCommunicator, bool]:
    from poradnia.asgi import application

    communicator = WebsocketCommunicator(application, "/ws/citizen/", headers=[ORIGIN, *headers])
    communicator.scope["client"] = [address, 50000]
    # The socket's place is counted before the handshake completes (a Redis round trip).
    connected, _ = await communicator.connect(timeout=10)
    return communicator, connected


async def close_code(communicator: WebsocketCommunicator, timeout: float = 3) -> int | None:
    while True:
        output = await communicator.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output.get("code")


async def test_the_21st_open_socket_from_one_address_is_refused_and_others_are_not():
    opened = [await citizen_from("198.51.100.7") for _ in range(settings.LIMIT_OPEN_SOCKETS)]
    refused, _ = await citizen_from("198.51.100.7")
    error = json.loads(await refused.receive_from(timeout=10))
    assert (error["code"], await close_code(refused)) == ("rate_limited", 1008)
    other, _ = await citizen_from("203.0.113.9")
    await other.send_to(text_data=json.dumps({"type": "ping"}))
    assert json.loads(await other.receive_from(timeout=10))["type"] == "pong"
    # A socket that closes frees its place.
    await opened[0][0].disconnect()
    again, _ = await citizen_from("198.51.100.7")
    await again.send_to(text_data=json.dumps({"type": "ping"}))
    assert json.loads(await again.receive_from(timeout=10))["type"] == "pong"
    for communicator, _ in [*opened[1:], (other, True), (again, True)]:
        await communicator.disconnect()


async def test_the_sixth_start_in_ten_minutes_gets_a_please_wait_error():
    for _ in range(settings.LIMIT_STARTS):
        communicator, _ = await citizen_from("198.51.100.8")
        citizen = Socket(communicator)
        await citizen.send({"type": "conversation.start", "language": "pl"})
        await citizen.receive_until("conversation.started")
        await communicator.disconnect()
    communicator, _ = await citizen_from("198.51.100.8")
    citizen = Socket(communicator)
    await citizen.send({"type": "conversation.start", "language": "pl"})
    error = await citizen.receive_until("error")
    assert error["code"] == "rate_limited"
    assert "wait" in error["message"]
    assert await Conversation.objects.acount() == settings.LIMIT_STARTS
    await citizen.send({"type": "ping"})
    await citizen.receive_until("pong")  # the socket stays open
    await communicator.disconnect()


async def test_behind_the_proxy_the_forwarded_address_is_limited_not_the_proxy(settings):
    settings.BEHIND_TLS_PROXY = True
    for number in range(settings.LIMIT_STARTS + 1):
        forwarded = [(b"x-forwarded-for", f"192.0.2.{number}".encode())]
        communicator, _ = await citizen_from("10.0.0.1", forwarded)
        citizen = Socket(communicator)
        await citizen.send({"type": "conversation.start"})
        await citizen.receive_until("conversation.started")
        await communicator.disconnect()


def test_addresses_are_keyed_by_a_salted_hash_that_changes_daily(settings, monkeypatch):
    key = limits.address_key("198.51.100.7")
    assert "198.51.100.7" not in key
    assert key == limits.address_key("198.51.100.7")
    assert key != limits.address_key("198.51.100.8")
    from datetime import timedelta

    from django.utils import timezone

    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(limits.timezone, "now", lambda: tomorrow)
    assert limits.address_key("198.51.100.7") != key


async def test_a_socket_that_keeps_hitting_the_rate_limit_is_closed_with_1008(sockets):
    citizen = await sockets("/ws/citizen/")
    await citizen.send({"type": "conversation.start", "language": "pl"})
    token = (await citizen.receive_until("conversation.started"))["token"]
    frame = json.dumps({"type": "ping"})
    for _ in range(200):
        await citizen.communicator.send_to(text_data=frame)
    refused = 0
    while True:
        output = await citizen.communicator.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            assert output["code"] == 1008
            break
        if json.loads(output["text"]).get("code") == "rate_limited":
            refused += 1
    assert refused == settings.LIMIT_RATE_STRIKES - 1
    await citizen.close()
    # The conversation stays resumable.
    again = await sockets("/ws/citizen/")
    await again.send({"type": "conversation.resume", "token": token, "last_seq": 0})
    await again.receive_until("replay.done")


async def test_a_citizen_socket_that_never_sends_a_frame_is_closed(settings):
    settings.CITIZEN_FIRST_FRAME_SECONDS = 0.3
    communicator, _ = await citizen_from("198.51.100.10")
    assert await close_code(communicator) == 1008
    await communicator.disconnect()

    speaking, _ = await citizen_from("198.51.100.10")
    await speaking.send_to(text_data=json.dumps({"type": "ping"}))
    assert json.loads(await speaking.receive_from())["type"] == "pong"
    await asyncio.sleep(0.5)
    assert await speaking.receive_nothing(timeout=0.1)
    await speaking.disconnect()
