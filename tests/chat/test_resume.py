"""Reconnects: whatever a client missed is replayed in order, nothing is stored or shown twice."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from advice.models import Message
from tests.conftest import officer_online, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


async def active_conversation(sockets, make_officer):
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    citizen, token = await start_citizen(sockets)
    entry = await officer.receive_until("queue.entry")
    conversation_id = entry["entry"]["id"]
    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await officer.receive_until("replay.done")
    await citizen.receive_until("conversation.state", reason="officer_joined")
    return officer, citizen, token, conversation_id


async def test_citizen_resuming_gets_every_missed_message_once_in_order(sockets, make_officer):
    officer, citizen, token, conversation_id = await active_conversation(sockets, make_officer)
    await citizen.send({"type": "message.send", "client_id": "c1", "text": "first"})
    await citizen.stored("c1")
    await citizen.close()

    for n in range(5):
        await officer.send(
            {
                "type": "message.send",
                "conversation_id": conversation_id,
                "client_id": f"o{n}",
                "text": f"reply {n}",
            }
        )
        await officer.stored(f"o{n}")

    again = await sockets("/ws/citizen/")
    await again.send({"type": "conversation.resume", "token": token, "last_seq": 1})
    frames = []
    while True:
        frame = await again.receive()
        frames.append(frame)
        if frame["type"] == "replay.done":
            break
    replayed = [f for f in frames if f["type"] == "message"]
    assert [m["seq"] for m in replayed] == [2, 3, 4, 5, 6]
    assert [m["text"] for m in replayed] == [f"reply {n}" for n in range(5)]
    assert frames[-1] == {"type": "replay.done", "last_seq": 6}
    state = next(f for f in frames if f["type"] == "conversation.state")
    assert state["status"] == "active"
    assert state["officer_name"] == "Anna"

    # Live messages continue after the replay, without repeats.
    await officer.send(
        {
            "type": "message.send",
            "conversation_id": conversation_id,
            "client_id": "o-live",
            "text": "still here?",
        }
    )
    live = await again.receive_until("message")
    assert live["seq"] == 7
    assert await again.nothing()


async def test_resending_the_same_client_id_is_acknowledged_but_stored_once(sockets, make_officer):
    officer, citizen, token, conversation_id = await active_conversation(sockets, make_officer)
    await citizen.send({"type": "message.send", "client_id": "same", "text": "money is gone"})
    first = await citizen.stored("same")
    await officer.receive_until("message", text="money is gone")

    await citizen.close()
    again = await sockets("/ws/citizen/")
    await again.send({"type": "conversation.resume", "token": token, "last_seq": 0})
    await again.receive_until("replay.done")
    await again.send({"type": "message.send", "client_id": "same", "text": "money is gone"})
    second = await again.receive_until("ack")
    assert second == {"type": "ack", "client_id": "same", "seq": first["seq"], "duplicate": True}
    seen = await officer.collect()
    assert [f for f in seen if f["type"] == "message"] == [], "the officer must not see the resend"
    assert await Message.objects.filter(conversation_id=conversation_id).acount() == 1


async def test_officer_reopening_a_conversation_gets_what_it_missed(sockets, make_officer):
    officer, citizen, _token, conversation_id = await active_conversation(sockets, make_officer)
    await officer.close()
    for n in range(3):
        await citizen.send({"type": "message.send", "client_id": f"c{n}", "text": f"hello {n}"})
        await citizen.stored(f"c{n}")

    console = await officer_online(sockets, await database_sync_to_async(make_officer)())
    await console.send(
        {"type": "conversation.open", "conversation_id": conversation_id, "last_seq": 1}
    )
    frames = []
    while True:
        frame = await console.receive()
        frames.append(frame)
        if frame["type"] == "replay.done":
            break
    assert [f["text"] for f in frames if f["type"] == "message"] == ["hello 1", "hello 2"]
    assert frames[-1] == {"type": "replay.done", "conversation_id": conversation_id, "last_seq": 3}
