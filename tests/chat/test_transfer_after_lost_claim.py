"""An officer who lost the claim race and then receives the conversation by transfer gets
it assigned and loads its whole history with ``conversation.open``, as a fresh open does."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from tests.conftest import cid, officer_online, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


async def test_transfer_after_a_lost_claim_delivers_the_history(sockets, make_officer):
    winner = await officer_online(sockets, await database_sync_to_async(make_officer)("anna"))
    loser_user = await database_sync_to_async(make_officer)("bartek")
    loser = await officer_online(sockets, loser_user)
    citizen, _ = await start_citizen(sockets)
    conversation_id = (await winner.receive_until("queue.entry"))["entry"]["id"]
    client_id = cid()
    await citizen.send({"type": "message.send", "client_id": client_id, "text": "Pierwsza"})
    await citizen.stored(client_id)

    await winner.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await winner.receive_until("replay.done")
    await loser.send({"type": "conversation.claim", "conversation_id": conversation_id})
    assert (await loser.receive_until("error"))["code"] == "already_claimed"

    await winner.send(
        {
            "type": "conversation.transfer",
            "conversation_id": conversation_id,
            "officer_id": loser_user.pk,
        }
    )
    assigned = await loser.receive_until("conversation.state", reason="assigned")
    assert assigned["conversation"]["assigned_officer_id"] == loser_user.pk
    await loser.send(
        {"type": "conversation.open", "conversation_id": conversation_id, "last_seq": 0}
    )
    replayed = await loser.receive_until("message")
    assert (replayed["seq"], replayed["text"]) == (1, "Pierwsza")
    await loser.receive_until("suggestions", conversation_id=conversation_id)
    await loser.receive_until("replay.done", conversation_id=conversation_id)
