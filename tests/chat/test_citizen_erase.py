"""A citizen erases their own conversation from the chat: everything they and the officer
wrote is gone, the officer's console is told, only an audit line stays; once the
conversation is a case, erasing is refused."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from advice.models import AuditEvent, Conversation, ConversationNote, Message
from cases.services.escalation import case_escalate
from tests.conftest import cid, officer_online, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


async def test_the_citizen_erases_an_answered_conversation_and_the_officer_is_told(
    sockets, make_officer
):
    user = await database_sync_to_async(make_officer)()
    officer = await officer_online(sockets, user)
    citizen, token = await start_citizen(
        sockets, language="pl", prechat={"what_happened": "sextortion"}
    )
    entry = await officer.receive_until("queue.entry")
    conversation_id = entry["entry"]["id"]
    client_id = cid()
    await citizen.send({"type": "message.send", "client_id": client_id, "text": "Szantażują mnie"})
    await citizen.stored(client_id)
    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await citizen.receive_until("conversation.state", reason="officer_joined")
    await officer.send(
        {"type": "note.add", "conversation_id": conversation_id, "client_id": cid(), "text": "x"}
    )
    await officer.receive_until("note")

    await citizen.send({"type": "conversation.erase"})

    state = await citizen.receive_until("conversation.state", reason="citizen_erased")
    assert state["status"] == "closed"
    told = await officer.receive_until("conversation.state", reason="citizen_erased")
    assert told["conversation"]["id"] == conversation_id
    assert told["conversation"]["prechat"] == {}
    conversation = await Conversation.objects.aget(pk=conversation_id)
    assert conversation.erased_at is not None
    assert conversation.prechat == {}
    assert conversation.triage_reasons == []
    assert not await Message.objects.filter(conversation_id=conversation_id).aexists()
    assert not await ConversationNote.objects.filter(conversation_id=conversation_id).aexists()
    erased = [
        event
        async for event in AuditEvent.objects.filter(
            action="conversation.erased", conversation_ref=conversation_id
        )
    ]
    assert len(erased) == 1
    assert erased[0].actor_kind == "citizen"
    assert "Szantażują" not in str(erased[0].params)

    again = await sockets("/ws/citizen/")
    await again.send({"type": "conversation.resume", "token": token, "last_seq": 0})
    assert (await again.receive())["code"] == "invalid_token"


async def test_erasing_a_waiting_conversation_takes_it_out_of_the_queue(sockets, make_officer):
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    citizen, _ = await start_citizen(sockets, language="pl")
    entry = await officer.receive_until("queue.entry")

    await citizen.send({"type": "conversation.erase"})

    await citizen.receive_until("conversation.state", reason="citizen_erased")
    removed = await officer.receive_until("queue.removed")
    assert removed["conversation_id"] == entry["entry"]["id"]
    conversation = await Conversation.objects.aget(pk=entry["entry"]["id"])
    assert conversation.status == "abandoned"


async def test_an_escalated_conversation_cannot_be_erased(sockets, make_officer):
    user = await database_sync_to_async(make_officer)()
    officer = await officer_online(sockets, user)
    citizen, _ = await start_citizen(sockets, language="pl")
    entry = await officer.receive_until("queue.entry")
    conversation_id = entry["entry"]["id"]
    client_id = cid()
    await citizen.send({"type": "message.send", "client_id": client_id, "text": "Oszukano mnie"})
    await citizen.stored(client_id)
    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await citizen.receive_until("conversation.state", reason="officer_joined")
    await database_sync_to_async(case_escalate)(conversation_id=conversation_id, officer=user)

    await citizen.send({"type": "conversation.erase"})

    error = await citizen.receive_until("error")
    assert error["code"] == "conversation_escalated"
    assert await Message.objects.filter(conversation_id=conversation_id).acount() >= 1
    conversation = await Conversation.objects.aget(pk=conversation_id)
    assert conversation.erased_at is None


async def test_erase_before_starting_is_refused(sockets):
    citizen = await sockets("/ws/citizen/")
    await citizen.send({"type": "conversation.erase"})
    assert (await citizen.receive())["code"] == "not_started"


async def test_an_erase_frame_with_extra_fields_is_refused(sockets):
    citizen, _ = await start_citizen(sockets, language="pl")
    await citizen.send({"type": "conversation.erase", "everything": True})
    error = await citizen.receive_until("error")
    assert error["code"] == "invalid_field"
