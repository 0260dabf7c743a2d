"""Who may reach what: tokens, officer authentication, other officers' conversations."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from advice.models import AuditEvent, Conversation
from advice.tokens import token_hash
from tests.conftest import ORIGIN, officer_online, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


async def test_token_is_long_random_and_only_its_hash_is_stored(sockets):
    _, token = await start_citizen(sockets)
    _, other = await start_citizen(sockets)
    assert token != other
    assert len(token) >= 43  # 256 bits in URL-safe base64
    stored = [c.token_hash async for c in Conversation.objects.all()]
    assert token not in stored
    assert token_hash(token) in stored


async def test_citizen_cannot_resume_with_a_wrong_or_foreign_token(sockets):
    first, token = await start_citizen(sockets)
    await first.send({"type": "message.send", "client_id": "x", "text": "my private words"})
    await first.stored("x")

    intruder = await sockets("/ws/citizen/")
    await intruder.send({"type": "conversation.resume", "token": token[:-2] + "xx", "last_seq": 0})
    assert (await intruder.receive_until("error"))["code"] == "invalid_token"
    await intruder.send({"type": "conversation.resume", "token": "", "last_seq": 0})
    assert (await intruder.receive_until("error"))["code"] == "invalid_token"
    frames = await intruder.collect()
    assert all(f["type"] != "message" for f in frames)


async def test_two_citizens_never_see_each_others_messages(sockets):
    alice, _ = await start_citizen(sockets)
    bob, _ = await start_citizen(sockets)
    await alice.send({"type": "message.send", "client_id": "a", "text": "alice's secret"})
    await alice.stored("a")
    frames = await bob.collect()
    assert not any(f.get("text") == "alice's secret" for f in frames)


async def test_anonymous_user_cannot_use_the_officer_socket():
    from poradnia.asgi import application

    communicator = WebsocketCommunicator(application, "/ws/officer/", headers=[ORIGIN])
    connected, _ = await communicator.connect()
    assert connected
    error = await communicator.receive_json_from()
    assert error["code"] == "not_allowed"
    closed = await communicator.receive_output()
    assert closed["type"] == "websocket.close"
    assert closed["code"] == 4401


async def test_foreign_origin_is_rejected():
    from poradnia.asgi import application

    communicator = WebsocketCommunicator(
        application, "/ws/citizen/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await communicator.connect()
    assert not connected


async def test_officer_cannot_open_another_officers_conversation(sockets, make_officer):
    make = database_sync_to_async(make_officer)
    anna = await officer_online(sockets, await make("anna"))
    piotr = await officer_online(sockets, await make("piotr"))
    await start_citizen(sockets)
    entry = await anna.receive_until("queue.entry")
    conversation_id = entry["entry"]["id"]
    await anna.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await anna.receive_until("replay.done")

    await piotr.send({"type": "conversation.open", "conversation_id": conversation_id})
    assert (await piotr.receive_until("error"))["code"] == "not_assigned"
    await piotr.send(
        {"type": "message.send", "conversation_id": conversation_id, "client_id": "p", "text": "hi"}
    )
    assert (await piotr.receive_until("error"))["code"] == "not_assigned"


async def test_supervisor_may_open_any_conversation_with_a_reason_and_it_is_audited(
    sockets, make_officer
):
    make = database_sync_to_async(make_officer)
    anna = await officer_online(sockets, await make("anna"))
    boss = await officer_online(sockets, await make("marek", supervisor=True))
    await start_citizen(sockets)
    conversation_id = (await anna.receive_until("queue.entry"))["entry"]["id"]
    await anna.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await anna.receive_until("replay.done")
    await boss.send(
        {
            "type": "conversation.open",
            "conversation_id": conversation_id,
            "justification": {"reason": "supervision"},
        }
    )
    await boss.receive_until("replay.done")
    viewers = [
        name
        async for name in AuditEvent.objects.filter(
            action="conversation.viewed", conversation_id=conversation_id
        ).values_list("actor__username", flat=True)
    ]
    assert "marek" in viewers
