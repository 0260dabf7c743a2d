"""A conversation that becomes P1 alerts every on-duty officer and supervisor at once."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from tests.conftest import officer_online, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


async def test_citizen_in_danger_alerts_officers_and_supervisors(sockets, make_officer):
    make = database_sync_to_async(make_officer)
    officer = await officer_online(sockets, await make("anna"))
    supervisor = await sockets("/ws/supervisor/", user=await make("marek", supervisor=True))
    # Subscribed once its first figures arrive (the handshake alone does not say so).
    await supervisor.receive_until("supervisor.live")
    await start_citizen(sockets, language="pl", prechat={"in_danger": True})

    alert = await officer.receive_until("alert.p1")
    assert alert["reasons"]
    entry = await officer.receive_until("queue.entry")
    assert entry["entry"]["urgency"] == "P1"
    assert entry["entry"]["id"] == alert["conversation_id"]
    assert (await supervisor.receive_until("alert.p1"))["conversation_id"] == alert[
        "conversation_id"
    ]


async def test_a_message_revealing_danger_raises_a_waiting_conversation_to_p1(
    sockets, make_officer
):
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    citizen, _ = await start_citizen(sockets, language="en")
    first = await officer.receive_until("queue.entry")
    assert first["entry"]["urgency"] != "P1"

    await citizen.send(
        {
            "type": "message.send",
            "client_id": "c1",
            "text": "he says he will send my photos to everyone, I don't want to live anymore",
        }
    )
    alert = await officer.receive_until("alert.p1")
    assert alert["conversation_id"] == first["entry"]["id"]
    updated = await officer.receive_until("queue.entry")
    assert updated["entry"]["urgency"] == "P1"
    assert any(reason.get("to") == "P1" for reason in updated["entry"]["reasons"])


async def test_a_p1_is_alerted_once_not_on_every_message(sockets, make_officer):
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    citizen, _ = await start_citizen(sockets, language="en", prechat={"in_danger": True})
    await officer.receive_until("alert.p1")
    await citizen.send({"type": "message.send", "client_id": "c1", "text": "please hurry"})
    await citizen.stored("c1")
    frames = await officer.collect()
    assert not [f for f in frames if f["type"] == "alert.p1"]
