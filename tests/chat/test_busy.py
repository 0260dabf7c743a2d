"""A server process at its bound of database work refuses messages with busy; a resend
with the same client_id is stored once."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from advice.models import Message
from core import metrics
from tests.conftest import start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_busy_refusal_stores_nothing_and_the_resend_is_stored_once(sockets, settings):
    citizen, _ = await start_citizen(sockets, language="en")
    settings.MAX_INFLIGHT_DB_CALLS = 0
    frame = {"type": "message.send", "client_id": "m1", "text": "Someone took my money"}
    await citizen.send(frame)
    refused = await citizen.receive_until("error")
    assert (refused["code"], refused["ref"]) == ("busy", "m1")
    assert refused["retry_after"] == settings.BUSY_RETRY_AFTER_SECONDS
    assert not await database_sync_to_async(Message.objects.exists)()

    settings.MAX_INFLIGHT_DB_CALLS = 64
    await citizen.send(frame)
    ack = await citizen.receive_until("ack")
    assert (ack["client_id"], ack["seq"], ack["duplicate"]) == ("m1", 1, False)
    await citizen.send(frame)
    again = await citizen.receive_until("ack")
    assert (again["seq"], again["duplicate"]) == (1, True)
    assert await database_sync_to_async(Message.objects.count)() == 1


async def test_busy_refusals_are_counted_by_code(sockets, settings):
    citizen, _ = await start_citizen(sockets, language="en")
    counter = metrics.FRAMES_REFUSED.labels(code="busy")
    before = counter._value.get()
    settings.MAX_INFLIGHT_DB_CALLS = 0
    for n in range(3):
        await citizen.send({"type": "message.send", "client_id": f"b{n}", "text": "help"})
        assert (await citizen.receive_until("error"))["code"] == "busy"
    assert counter._value.get() - before == 3


async def test_after_a_refusal_later_messages_wait_for_the_refused_one(sockets, settings):
    citizen, _ = await start_citizen(sockets, language="en")
    settings.MAX_INFLIGHT_DB_CALLS = 0
    await citizen.send({"type": "message.send", "client_id": "m1", "text": "first"})
    assert (await citizen.receive_until("error"))["ref"] == "m1"
    settings.MAX_INFLIGHT_DB_CALLS = 64
    # The server has room again, but m1 must be stored before m2.
    await citizen.send({"type": "message.send", "client_id": "m2", "text": "second"})
    held = await citizen.receive_until("error")
    assert (held["code"], held["ref"]) == ("busy", "m2")
    for client_id, text in (("m1", "first"), ("m2", "second")):
        await citizen.send({"type": "message.send", "client_id": client_id, "text": text})
        ack = await citizen.receive_until("ack")
        assert ack["client_id"] == client_id
    stored = await database_sync_to_async(
        lambda: list(Message.objects.order_by("seq").values_list("client_id", flat=True))
    )()
    assert stored == ["m1", "m2"]
