"""A server process at its bound of database work refuses messages with busy; a resend
with the same client_id is stored once."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from advice.models import Message
from chat import dbpool
from chat.admission import SHARED, gate, queue_for
from core import metrics
from tests.conftest import officer_online, start_citizen

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
    assert (await citizen.stored("m1"))["seq"] == 1
    await citizen.send(frame)
    again = await citizen.receive_until("ack", client_id="m1")
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
        assert (await citizen.stored(client_id))["text"] == text
    stored = await database_sync_to_async(
        lambda: list(Message.objects.order_by("seq").values_list("client_id", flat=True))
    )()
    assert stored == ["m1", "m2"]


async def test_a_refusal_holds_back_only_its_own_conversation_on_a_console(
    sockets, settings, make_officer
):
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    chats = []
    for _ in range(2):
        citizen, _token = await start_citizen(sockets, language="en")
        conversation_id = (await officer.receive_until("queue.entry"))["entry"]["id"]
        await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
        await officer.receive_until("replay.done")
        chats.append((citizen, conversation_id))
    (_, first), (other_citizen, second) = chats

    def reply(conversation_id: int, client_id: str) -> dict[str, object]:
        return {
            "type": "message.send",
            "conversation_id": conversation_id,
            "client_id": client_id,
            "text": f"reply {client_id}",
        }

    settings.MAX_INFLIGHT_DB_CALLS = 0
    await officer.send(reply(first, "a1"))
    assert ((await officer.receive_until("error"))["code"]) == "busy"
    settings.MAX_INFLIGHT_DB_CALLS = 64
    # The other conversation is not held back by the refusal in the first one ...
    await officer.send(reply(second, "b1"))
    assert (await officer.stored("b1"))["text"] == "reply b1"
    assert (await other_citizen.receive_until("message"))["text"] == "reply b1"
    # ... while the first keeps its order: a2 waits for a1.
    await officer.send(reply(first, "a2"))
    held = await officer.receive_until("error")
    assert (held["code"], held["ref"]) == ("busy", "a2")
    for client_id in ("a1", "a2"):
        await officer.send(reply(first, client_id))
        assert (await officer.stored(client_id))["conversation_id"] == first
    stored = await database_sync_to_async(
        lambda: list(
            Message.objects.filter(conversation_id=first, sender="officer")
            .order_by("seq")
            .values_list("client_id", flat=True)
        )
    )()
    assert stored == ["a1", "a2"]


async def test_calls_queued_for_the_shared_thread_refuse_messages_only_where_they_share_it(
    sockets, settings
):
    """Citizens arriving together queue starts for the shared database thread. On PostgreSQL
    messages are written on connections of their own and are not refused for that queue; on
    SQLite there is one thread, so the one bound covers both."""
    citizen, _ = await start_citizen(sockets, language="en")
    settings.MAX_INFLIGHT_DB_CALLS = 1
    frame = {"type": "message.send", "client_id": "m1", "text": "Someone took my money"}
    with gate.held(refusable=False, queue=SHARED):
        await citizen.send(frame)
        answer = await citizen.receive(timeout=3)
        while answer["type"] not in ("message", "error"):
            answer = await citizen.receive(timeout=3)
    if dbpool.pool_size() > 1:
        assert (answer["type"], answer["client_id"]) == ("message", "m1")
        assert await database_sync_to_async(Message.objects.count)() == 1
    else:
        assert (answer["type"], answer["code"], answer["ref"]) == ("error", "busy", "m1")
        assert not await database_sync_to_async(Message.objects.exists)()


async def test_a_full_queue_of_message_writes_refuses_the_next_message(sockets, settings):
    citizen, _ = await start_citizen(sockets, language="en")
    settings.MAX_INFLIGHT_DB_CALLS = 1
    with gate.held(refusable=False, queue=queue_for(laned=True)):
        await citizen.send({"type": "message.send", "client_id": "m1", "text": "help"})
        refused = await citizen.receive_until("error")
    assert (refused["code"], refused["ref"]) == ("busy", "m1")
    assert not await database_sync_to_async(Message.objects.exists)()
