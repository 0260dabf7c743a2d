"""A whole conversation, as the citizen and the officer see it."""

from __future__ import annotations

import pytest

from advice.models import AuditEvent, Conversation, Message
from tests.conftest import cid, officer_online, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


async def test_citizen_and_officer_talk_from_queue_to_close(sockets, make_officer):
    officer_user = await make_officer_async(make_officer)
    officer = await officer_online(sockets, officer_user)
    citizen, token = await start_citizen(sockets, language="pl")
    assert len(token) >= 40

    entry = await officer.receive_until("queue.entry")
    conversation_id = entry["entry"]["id"]
    assert entry["entry"]["status"] == "waiting"

    await citizen.send({"type": "message.send", "client_id": "c1", "text": "Pomocy, oszukano mnie"})
    # No ``ack``: the message's own frame, with its number, confirms it is stored.
    own = await citizen.stored("c1")
    assert (own["seq"], own["sender"], own["text"]) == (1, "citizen", "Pomocy, oszukano mnie")
    assert "conversation_id" not in own

    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    replayed = await officer.receive_until("message")
    assert replayed["text"] == "Pomocy, oszukano mnie"
    joined = await citizen.receive_until("conversation.state", reason="officer_joined")
    assert joined["status"] == "active"
    assert joined["officer_name"] == "Anna"

    await officer.send(
        {
            "type": "message.send",
            "conversation_id": conversation_id,
            "client_id": "o1",
            "text": "Dzień dobry, jestem policjantką. Co się stało?",
        }
    )
    got = await citizen.receive_until("message", sender="officer")
    assert got["seq"] == 2
    assert got["author_name"] == "Anna"
    assert "conversation_id" not in got

    await citizen.send(
        {"type": "message.send", "client_id": "c2", "text": "<b>Przelałem</b> 500 zł"}
    )
    got = await officer.receive_until("message", sender="citizen")
    assert got["text"] == "<b>Przelałem</b> 500 zł"
    assert got["conversation_id"] == conversation_id

    await officer.send(
        {
            "type": "conversation.close",
            "conversation_id": conversation_id,
            "outcome": "advice_given",
        }
    )
    closed = await citizen.receive_until("conversation.state", reason="ended_by_officer")
    assert closed["status"] == "closed"

    await citizen.send({"type": "rating.submit", "score": 5, "comment": "Dziękuję"})
    await citizen.receive_until("rating.saved")

    conversation = await Conversation.objects.aget(pk=conversation_id)
    assert conversation.status == "closed"
    assert conversation.rating == 5
    assert conversation.first_officer_message_at is not None
    assert [
        m.seq async for m in Message.objects.filter(conversation=conversation).order_by("seq")
    ] == [1, 2, 3]
    actions = [
        a
        async for a in AuditEvent.objects.filter(conversation=conversation).values_list(
            "action", flat=True
        )
    ]
    for expected in (
        "conversation.started",
        "conversation.claimed",
        "conversation.viewed",
        "conversation.closed",
        "conversation.rated",
    ):
        assert expected in actions


async def test_citizen_leaving_before_an_answer_abandons_the_conversation(sockets, make_officer):
    officer = await officer_online(sockets, await make_officer_async(make_officer))
    citizen, _token = await start_citizen(sockets)
    entry = await officer.receive_until("queue.entry")
    await citizen.send({"type": "conversation.end"})
    removed = await officer.receive_until("queue.removed")
    assert removed == {
        "type": "queue.removed",
        "conversation_id": entry["entry"]["id"],
        "reason": "abandoned",
    }
    assert (await Conversation.objects.aget(pk=entry["entry"]["id"])).status == "abandoned"


async def make_officer_async(make_officer, *args, **kwargs):
    from channels.db import database_sync_to_async

    return await database_sync_to_async(make_officer)(*args, **kwargs)


async def test_message_after_the_end_is_refused(sockets):
    citizen, _ = await start_citizen(sockets)
    await citizen.send({"type": "conversation.end"})
    await citizen.receive_until("conversation.state")
    await citizen.send({"type": "message.send", "client_id": cid(), "text": "hello?"})
    error = await citizen.receive_until("error")
    assert error["code"] == "conversation_ended"
