"""While an officer's console is away the citizen is told their officer is reconnecting."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from tests.chat.test_grace import claimed

pytestmark = pytest.mark.django_db(transaction=True)


async def test_the_citizen_sees_the_officer_reconnecting_and_then_back(
    sockets, make_officer, settings
):
    settings.OFFICER_GRACE_SECONDS = 30
    user = await database_sync_to_async(make_officer)()
    officer, citizen, _conversation_id = await claimed(sockets, user)

    await officer.close()
    state = await citizen.receive_until("conversation.state", reason="officer_reconnecting")
    assert state["status"] == "active"

    console = await sockets("/ws/officer/", user=user)
    await console.receive_until("officer.state")
    back = await citizen.receive_until("conversation.state", reason="officer_returned")
    assert back["status"] == "active"
    assert back["officer_name"]


async def test_a_second_console_closing_is_not_a_reconnect(sockets, make_officer, settings):
    settings.OFFICER_GRACE_SECONDS = 30
    user = await database_sync_to_async(make_officer)()
    _officer, citizen, _conversation_id = await claimed(sockets, user)
    second = await sockets("/ws/officer/", user=user)
    await second.receive_until("officer.state")
    await citizen.collect(timeout=0.3)  # what the claim still had on its way
    await second.close()
    # The first console is still there: the citizen is not told the officer is away.
    states = [f for f in await citizen.collect(timeout=0.5) if f["type"] == "conversation.state"]
    assert states == []
