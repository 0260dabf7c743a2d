"""Officer console actions: routing marks, position updates, notes, overrides, transfers."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from advice.models import AuditEvent, Conversation, TriageOverride
from tests.conftest import officer_online, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


async def test_queue_marks_conversations_in_the_officers_languages(sockets, make_officer):
    officer = await officer_online(
        sockets, await database_sync_to_async(make_officer)(languages=["cs", "sk"])
    )
    await start_citizen(sockets, language="cs")
    await start_citizen(sockets, language="de")
    entries = [(await officer.receive_until("queue.entry"))["entry"] for _ in range(2)]
    assert {e["language"]: e["preferred"] for e in entries} == {"cs": True, "de": False}

    again = await sockets(
        "/ws/officer/", user=await database_sync_to_async(make_officer)(languages=["cs", "sk"])
    )
    await again.receive_until("officer.state")
    snapshot = await again.receive_until("queue.snapshot")
    assert [e["language"] for e in snapshot["entries"]] == ["cs", "de"]
    assert [e["preferred"] for e in snapshot["entries"]] == [True, False]


async def test_waiting_citizen_sees_position_and_it_moves_when_someone_ahead_is_taken(
    sockets, make_officer
):
    user = await database_sync_to_async(make_officer)()
    officer = await officer_online(sockets, user)
    _first, _ = await start_citizen(sockets)
    second, _ = await start_citizen(sockets)
    position = await second.receive_until("queue.position")
    assert position["position"] == 2
    assert position["officers_on_duty"] == 1
    assert position["estimated_wait_seconds"] is not None

    first_id = (await officer.receive_until("queue.entry"))["entry"]["id"]
    await officer.send({"type": "conversation.claim", "conversation_id": first_id})
    moved = await second.receive_until("queue.position", timeout=4)
    assert moved["position"] == 1


async def test_notes_reach_staff_only(sockets, make_officer):
    user = await database_sync_to_async(make_officer)()
    officer = await officer_online(sockets, user)
    citizen, _ = await start_citizen(sockets)
    conversation_id = (await officer.receive_until("queue.entry"))["entry"]["id"]
    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await officer.receive_until("replay.done")
    await officer.send(
        {
            "type": "note.add",
            "conversation_id": conversation_id,
            "client_id": "n1",
            "text": "caller sounds scared",
        }
    )
    note = await officer.receive_until("note")
    assert note["text"] == "caller sounds scared"
    assert note["author_name"] == "Anna"
    frames = await citizen.collect()
    assert not any("scared" in str(f) for f in frames)


async def test_officer_override_is_recorded_with_its_author(sockets, make_officer):
    user = await database_sync_to_async(make_officer)()
    officer = await officer_online(sockets, user)
    await start_citizen(sockets, language="pl")
    conversation_id = (await officer.receive_until("queue.entry"))["entry"]["id"]
    await officer.send(
        {
            "type": "conversation.override",
            "conversation_id": conversation_id,
            "category": "sextortion",
            "urgency": "P1",
        }
    )
    entry = await officer.receive_until("queue.entry")
    assert entry["entry"]["category"] == "sextortion"
    assert entry["entry"]["urgency"] == "P1"
    overrides = [
        (o.field, o.new_value, o.officer_id) async for o in TriageOverride.objects.order_by("field")
    ]
    assert overrides == [("category", "sextortion", user.pk), ("urgency", "P1", user.pk)]
    conversation = await Conversation.objects.aget(pk=conversation_id)
    assert conversation.triage_overridden


async def test_transfer_to_a_colleague_moves_the_chat_and_tells_the_citizen(sockets, make_officer):
    make = database_sync_to_async(make_officer)
    anna_user = await make("anna")
    anna = await officer_online(sockets, anna_user)
    piotr_user = await make("piotr")
    piotr = await officer_online(sockets, piotr_user)
    citizen, _ = await start_citizen(sockets)
    conversation_id = (await anna.receive_until("queue.entry"))["entry"]["id"]
    await anna.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await anna.receive_until("replay.done")

    await anna.send(
        {
            "type": "conversation.transfer",
            "conversation_id": conversation_id,
            "officer_id": piotr_user.pk,
        }
    )
    assigned = await piotr.receive_until("conversation.state", reason="assigned")
    assert assigned["conversation"]["id"] == conversation_id
    told = await citizen.receive_until("conversation.state", reason="transferred")
    assert told["officer_name"] == "Piotr"

    await citizen.send({"type": "message.send", "client_id": "c", "text": "hello new officer"})
    got = await piotr.receive_until("message")
    assert got["text"] == "hello new officer"
    await anna.send(
        {
            "type": "message.send",
            "conversation_id": conversation_id,
            "client_id": "a",
            "text": "me again",
        }
    )
    assert (await anna.receive_until("error"))["code"] == "not_assigned"
    conversation = await Conversation.objects.aget(pk=conversation_id)
    assert conversation.transfer_count == 1
    assert await AuditEvent.objects.filter(action="conversation.transferred").aexists()
