"""Claiming from the queue: exactly one officer wins, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.db import database_sync_to_async
from django.db import connection

from advice.models import AuditEvent, Conversation
from advice.services.conversations import conversation_claim, conversation_start
from core.errors import DomainError
from tests.conftest import officer_online, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


async def test_concurrent_claims_over_websockets_have_one_winner(sockets, make_officer):
    make = database_sync_to_async(make_officer)
    officers = [await officer_online(sockets, await make(f"officer{i}")) for i in range(8)]
    citizen, _ = await start_citizen(sockets)
    entry = await officers[0].receive_until("queue.entry")
    conversation_id = entry["entry"]["id"]

    await asyncio.gather(
        *(
            o.send({"type": "conversation.claim", "conversation_id": conversation_id})
            for o in officers
        )
    )
    outcomes = []
    for officer in officers:
        while True:
            frame = await officer.receive()
            if frame["type"] == "replay.done":
                outcomes.append("won")
                break
            if frame["type"] == "error":
                outcomes.append(frame["code"])
                break
    assert outcomes.count("won") == 1
    assert sorted(o for o in outcomes if o != "won") == ["already_claimed"] * 7

    joined = await citizen.receive_until("conversation.state", reason="officer_joined")
    assert joined["status"] == "active"
    claims = await AuditEvent.objects.filter(action="conversation.claimed").acount()
    assert claims == 1


def test_concurrent_claims_from_threads_have_one_winner(make_officer):
    """Real concurrency: each thread has its own database connection."""
    officers = [make_officer(f"racer{i}") for i in range(6)]
    conversation = conversation_start().conversation
    barrier = threading.Barrier(len(officers))

    def claim(officer):
        barrier.wait()
        try:
            conversation_claim(conversation_id=conversation.pk, officer=officer)
            return "won"
        except DomainError as error:
            return error.code.value
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(officers)) as pool:
        outcomes = list(pool.map(claim, officers))
    assert outcomes.count("won") == 1
    assert outcomes.count("already_claimed") == len(officers) - 1
    winner = officers[outcomes.index("won")]
    assert Conversation.objects.get(pk=conversation.pk).assigned_officer_id == winner.pk


async def test_officer_cannot_take_more_than_their_limit(sockets, make_officer):
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)(max_chats=1))
    _first, _ = await start_citizen(sockets)
    _second, _ = await start_citizen(sockets)
    ids = [f["entry"]["id"] for f in [await officer.receive_until("queue.entry") for _ in range(2)]]
    await officer.send({"type": "conversation.claim", "conversation_id": ids[0]})
    await officer.receive_until("replay.done")
    await officer.send({"type": "conversation.claim", "conversation_id": ids[1]})
    error = await officer.receive_until("error")
    assert error["code"] == "too_many_chats"


async def test_off_duty_officer_cannot_claim(sockets, make_officer):
    officer = await officer_online(
        sockets, await database_sync_to_async(make_officer)(on_duty=False)
    )
    await start_citizen(sockets)
    entry = await officer.receive_until("queue.entry")
    await officer.send({"type": "conversation.claim", "conversation_id": entry["entry"]["id"]})
    assert (await officer.receive_until("error"))["code"] == "off_duty"
    await officer.send({"type": "duty.set", "on_duty": True})
    assert (await officer.receive_until("duty.state"))["on_duty"] is True
    await officer.send({"type": "conversation.claim", "conversation_id": entry["entry"]["id"]})
    await officer.receive_until("replay.done")
