"""Waiting citizens hear their queue position once, then only when it changes."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from tests.conftest import officer_online, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_later_arrival_does_not_resend_an_unchanged_position(sockets, make_officer):
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    first, _ = await start_citizen(sockets, language="pl")
    assert (await first.receive_until("queue.position"))["position"] == 1
    second, _ = await start_citizen(sockets, language="pl")
    assert (await second.receive_until("queue.position"))["position"] == 2
    frames = await first.collect(timeout=1.5)
    assert not [f for f in frames if f["type"] == "queue.position"]

    entry = await officer.receive_until("queue.entry")
    await officer.send({"type": "conversation.claim", "conversation_id": entry["entry"]["id"]})
    moved = await second.receive_until("queue.position", timeout=4)
    assert moved["position"] == 1


async def test_far_back_the_place_is_rounded_and_a_claim_ahead_sends_only_real_changes(
    sockets, make_officer, settings
):
    settings.QUEUE_EXACT_POSITIONS = 1
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    first, _ = await start_citizen(sockets, language="pl")
    assert (await first.receive_until("queue.position"))["approximate"] is False
    second, _ = await start_citizen(sockets, language="pl")
    shown = await second.receive_until("queue.position")
    assert (shown["position"], shown["approximate"]) == (10, True)  # 2, rounded
    third, _ = await start_citizen(sockets, language="pl")
    assert (await third.receive_until("queue.position"))["approximate"] is True

    entries = [await officer.receive_until("queue.entry") for _ in range(3)]
    await officer.send({"type": "conversation.claim", "conversation_id": entries[0]["entry"]["id"]})
    moved = await second.receive_until("queue.position", timeout=4)
    assert (moved["position"], moved["approximate"]) == (1, False)
    # The third moved from 3 to 2: still "about number 10", so it is sent nothing.
    frames = await third.collect(timeout=1.5)
    assert not [f for f in frames if f["type"] == "queue.position"]
