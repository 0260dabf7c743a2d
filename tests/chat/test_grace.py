"""An officer whose connection drops keeps their conversations for a grace period."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async

from advice.models import Conversation
from advice.selectors import queue_waiting
from tests.conftest import officer_online, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


async def claimed(sockets, officer_user):
    officer = await officer_online(sockets, officer_user)
    citizen, _token = await start_citizen(sockets)
    conversation_id = (await officer.receive_until("queue.entry"))["entry"]["id"]
    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await officer.receive_until("replay.done")
    await citizen.receive_until("conversation.state", reason="officer_joined")
    return officer, citizen, conversation_id


async def test_after_the_grace_period_the_conversation_goes_back_to_the_head_of_the_queue(
    sockets, make_officer, settings
):
    settings.OFFICER_GRACE_SECONDS = 0.3
    user = await database_sync_to_async(make_officer)()
    officer, citizen, conversation_id = await claimed(sockets, user)
    # Another conversation has been waiting longer; the handed-back one must still go first.
    await start_citizen(sockets)
    await officer.close()

    state = await citizen.receive_until(
        "conversation.state", reason="officer_disconnected", timeout=3
    )
    assert state["status"] == "waiting"
    assert state["officer_name"] == ""
    conversation = await Conversation.objects.aget(pk=conversation_id)
    assert conversation.assigned_officer_id is None
    queue = await database_sync_to_async(queue_waiting)()
    assert queue[0].pk == conversation_id

    other = await officer_online(sockets, await database_sync_to_async(make_officer)("piotr"))
    await other.send({"type": "conversation.claim", "conversation_id": conversation_id})
    history = await other.receive_until("replay.done")
    assert history["conversation_id"] == conversation_id


async def test_reconnecting_within_the_grace_period_keeps_the_conversation(
    sockets, make_officer, settings
):
    settings.OFFICER_GRACE_SECONDS = 0.3
    user = await database_sync_to_async(make_officer)()
    officer, citizen, conversation_id = await claimed(sockets, user)
    await officer.close()
    console = await sockets("/ws/officer/", user=user)
    state = await console.receive_until("officer.state")
    assert [c["id"] for c in state["conversations"]] == [conversation_id]
    await asyncio.sleep(0.6)
    frames = await citizen.collect(timeout=0.1)
    assert not [f for f in frames if f.get("reason") == "officer_disconnected"]
    assert (await Conversation.objects.aget(pk=conversation_id)).assigned_officer_id == user.pk

    # The reconnected console receives the citizen's messages without reopening.
    await citizen.send({"type": "message.send", "client_id": "c", "text": "are you there?"})
    got = await console.receive_until("message")
    assert got["text"] == "are you there?"


async def test_citizen_who_never_returns_abandons_a_waiting_conversation(sockets, settings):
    settings.CITIZEN_RESUME_SECONDS = 0.2
    citizen, _token = await start_citizen(sockets)
    await citizen.close()
    for _ in range(30):
        await asyncio.sleep(0.1)
        status = await Conversation.objects.values_list("status", flat=True).aget()
        if status == "abandoned":
            break
    assert status == "abandoned"


async def test_citizen_who_returns_in_time_keeps_their_place(sockets, settings):
    settings.CITIZEN_RESUME_SECONDS = 0.3
    citizen, token = await start_citizen(sockets)
    await citizen.close()
    again = await sockets("/ws/citizen/")
    await again.send({"type": "conversation.resume", "token": token, "last_seq": 0})
    await again.receive_until("replay.done")
    await asyncio.sleep(0.6)
    assert await Conversation.objects.values_list("status", flat=True).aget() == "waiting"
