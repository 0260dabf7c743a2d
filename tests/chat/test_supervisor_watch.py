"""A supervisor watches a conversation read-only from the dashboard's socket and whispers to
its officer: audited, the officer is told, the citizen never sees a whisper."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from advice.models import AuditEvent, ConversationNote
from tests.conftest import cid, officer_online, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


async def chat_in_progress(sockets, officer_user):
    officer = await officer_online(sockets, officer_user)
    citizen, _ = await start_citizen(sockets, language="pl")
    conversation_id = (await officer.receive_until("queue.entry"))["entry"]["id"]
    await citizen.send({"type": "message.send", "client_id": cid(), "text": "Ktoś mi grozi"})
    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await officer.receive_until("replay.done")
    return officer, citizen, conversation_id


async def supervisor_online(sockets, user):
    supervisor = await sockets("/ws/supervisor/", user=user)
    await supervisor.receive_until("supervisor.live")
    return supervisor


async def test_supervisor_watches_and_whispers_and_the_officer_sees_both(sockets, make_officer):
    anna = await database_sync_to_async(make_officer)("anna")
    marek = await database_sync_to_async(make_officer)("marek", supervisor=True)
    officer, citizen, conversation_id = await chat_in_progress(sockets, anna)
    await officer.send(
        {"type": "note.add", "conversation_id": conversation_id, "client_id": cid(), "text": "N1"}
    )
    await officer.receive_until("note")
    supervisor = await supervisor_online(sockets, marek)

    await supervisor.send({"type": "conversation.open", "conversation_id": conversation_id})
    replayed = await supervisor.receive_until("message")
    assert replayed["text"] == "Ktoś mi grozi"
    note = await supervisor.receive_until("note")
    assert (note["text"], note["whisper"]) == ("N1", False)
    opened = await supervisor.receive_until("conversation.state", reason="opened")
    assert opened["conversation"]["assigned_officer_id"] == anna.pk
    await supervisor.receive_until("replay.done", conversation_id=conversation_id)
    watching = await officer.receive_until("supervisor.watching")
    assert watching == {
        "type": "supervisor.watching",
        "conversation_id": conversation_id,
        "supervisor_name": "Marek",
        "watching": True,
    }
    viewed = await AuditEvent.objects.filter(
        action="conversation.viewed", actor_id=marek.pk, conversation_id=conversation_id
    ).afirst()
    assert viewed is not None
    assert viewed.params == {"watch": True}

    # Live: the citizen's next message reaches the supervisor once.
    await citizen.send({"type": "message.send", "client_id": cid(), "text": "Jestem tu"})
    live = await supervisor.receive_until("message")
    assert live["text"] == "Jestem tu"

    client_id = cid()
    await supervisor.send(
        {
            "type": "whisper.send",
            "conversation_id": conversation_id,
            "client_id": client_id,
            "text": "Zapytaj o numer konta.",
        }
    )
    whisper = await officer.receive_until("note", client_id=client_id)
    assert (whisper["whisper"], whisper["author_name"]) == (True, "Marek")
    echoed = await supervisor.receive_until("note", client_id=client_id)
    assert echoed["whisper"] is True
    assert await ConversationNote.objects.filter(whisper=True).acount() == 1
    citizen_frames = await citizen.collect()
    assert all(f["type"] != "note" for f in citizen_frames)
    assert "Zapytaj" not in repr(citizen_frames)

    # The supervisor cannot write to the citizen from the watch socket.
    refused = {"type": "message.send", "conversation_id": conversation_id, "text": "x"}
    await supervisor.send({**refused, "client_id": cid()})
    assert (await supervisor.receive_until("error"))["code"] == "not_allowed"

    await supervisor.close()
    left = await officer.receive_until("supervisor.watching")
    assert left["watching"] is False


async def test_a_supervisor_of_another_unit_cannot_watch(sockets, make_officer, other_unit):
    anna = await database_sync_to_async(make_officer)("anna")
    ivana = await database_sync_to_async(make_officer)("ivana", in_unit=other_unit, supervisor=True)
    officer, _citizen, conversation_id = await chat_in_progress(sockets, anna)
    supervisor = await supervisor_online(sockets, ivana)
    await supervisor.send({"type": "conversation.open", "conversation_id": conversation_id})
    assert (await supervisor.receive_until("error"))["code"] == "not_found"
    await supervisor.send(
        {
            "type": "whisper.send",
            "conversation_id": conversation_id,
            "client_id": cid(),
            "text": "x",
        }
    )
    assert (await supervisor.receive_until("error"))["code"] == "not_found"
    seen = {frame["type"] for frame in await officer.collect()}
    assert not seen & {"supervisor.watching", "note"}


async def test_an_officer_cannot_whisper(sockets, make_officer):
    anna = await database_sync_to_async(make_officer)("anna")
    officer, _citizen, conversation_id = await chat_in_progress(sockets, anna)
    await officer.send(
        {
            "type": "whisper.send",
            "conversation_id": conversation_id,
            "client_id": cid(),
            "text": "x",
        }
    )
    assert (await officer.receive_until("error"))["code"] == "not_allowed"
