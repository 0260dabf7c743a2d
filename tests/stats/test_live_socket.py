"""The live supervisor view over /ws/supervisor/: access, snapshot, pushed coalesced updates."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime

import pytest
from channels.db import database_sync_to_async

from advice.services import conversations, presence
from chat import bridge
from chat.consumers.supervisor import SupervisorConsumer

pytestmark = pytest.mark.django_db(transaction=True)


async def closed_with(sock) -> int:
    """The close code the server sent (after any frames)."""
    while True:
        output = await sock.communicator.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            return output["code"]


async def live_frames(sock, timeout: float) -> list[dict]:
    """Every ``supervisor.live`` frame arriving within ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    found = []
    while (left := deadline - loop.time()) > 0:
        if await sock.communicator.receive_nothing(timeout=left):
            break
        frame = json.loads(await sock.communicator.receive_from())
        if frame["type"] == "supervisor.live":
            found.append(frame)
    return found


async def test_officer_gets_not_allowed_and_socket_closes_4403(sockets, officer):
    sock = await sockets("/ws/supervisor/", user=officer)
    error = await sock.receive()
    assert (error["type"], error["code"]) == ("error", "not_allowed")
    assert await closed_with(sock) == 4403


async def test_anonymous_visitor_is_refused(sockets, db):
    sock = await sockets("/ws/supervisor/")
    error = await sock.receive()
    assert (error["type"], error["code"]) == ("error", "not_allowed")
    assert await closed_with(sock) == 4401


async def test_supervisor_gets_a_snapshot_on_connect(sockets, supervisor, officer):
    sock = await sockets("/ws/supervisor/", user=supervisor)
    live = await sock.receive_until("supervisor.live")
    assert live["waiting"]["total"] == 0
    assert live["officers"]["on_duty"] == 1
    assert [o["display_name"] for o in live["officers"]["list"]] == ["Anna"]
    assert live["officers"]["list"][0]["max_chats"] == 3


async def test_admin_gets_a_snapshot_with_totals_but_no_officer_names(sockets, admin_user, officer):
    sock = await sockets("/ws/supervisor/", user=admin_user)
    live = await sock.receive_until("supervisor.live")
    assert live["officers"]["on_duty"] == 1
    assert live["officers"]["list"] == []


async def test_two_quick_queue_changes_push_one_update(sockets, supervisor):
    sock = await sockets("/ws/supervisor/", user=supervisor)
    await sock.receive_until("supervisor.live")
    await bridge.call(conversations.conversation_start, language="pl")
    await bridge.call(conversations.conversation_start, language="uk")
    updates = await live_frames(sock, timeout=SupervisorConsumer.update_interval + 1.0)
    assert len(updates) == 1
    waiting = updates[0]["waiting"]
    assert waiting["total"] == 2
    assert waiting["by_language"] == {"pl": 1, "uk": 1}
    assert waiting["longest_wait_seconds"] is not None


async def test_later_change_pushes_another_update_no_sooner_than_a_second(sockets, supervisor):
    sock = await sockets("/ws/supervisor/", user=supervisor)
    await sock.receive_until("supervisor.live")
    await bridge.call(conversations.conversation_start, language="pl")
    first = await sock.receive_until("supervisor.live", timeout=3)
    await bridge.call(conversations.conversation_start, language="pl")
    second = await sock.receive_until("supervisor.live", timeout=3)
    apart = datetime.fromisoformat(second["generated_at"]) - datetime.fromisoformat(
        first["generated_at"]
    )
    assert apart.total_seconds() >= SupervisorConsumer.update_interval - 0.05
    assert (first["waiting"]["total"], second["waiting"]["total"]) == (1, 2)


async def test_officer_going_off_duty_updates_staffing(sockets, supervisor, officer):
    sock = await sockets("/ws/supervisor/", user=supervisor)
    live = await sock.receive_until("supervisor.live")
    assert live["officers"]["on_duty"] == 1
    await bridge.call(presence.officer_set_duty, officer=officer, on_duty=False)
    live = await sock.receive_until("supervisor.live", timeout=3)
    assert live["officers"]["on_duty"] == 0


async def test_p1_alert_is_forwarded_and_p1_waiting_is_listed(sockets, supervisor):
    sock = await sockets("/ws/supervisor/", user=supervisor)
    await sock.receive_until("supervisor.live")
    started = await bridge.call(conversations.conversation_start, language="pl")
    await database_sync_to_async(_make_p1)(started.conversation.pk)
    alert = await sock.receive_until("alert.p1", timeout=3)
    assert alert["conversation_id"] == started.conversation.pk
    live = await sock.receive_until("supervisor.live", timeout=3)
    if live["waiting"]["by_urgency"]["P1"] == 0:  # the update planned before the alert
        live = await sock.receive_until("supervisor.live", timeout=3)
    assert live["waiting"]["by_urgency"]["P1"] == 1
    assert [p["conversation_id"] for p in live["p1_waiting"]] == [started.conversation.pk]
    assert "preview" not in json.dumps(live)


def _make_p1(conversation_id: int) -> None:
    """Publish the P1 alert the way triage does when a conversation becomes P1."""
    from django.db import transaction

    from advice.events import frames, outbox
    from advice.events.groups import SUPERVISOR_GROUP
    from advice.models import Conversation

    with transaction.atomic():
        Conversation.objects.filter(pk=conversation_id).update(urgency="P1")
        alert = {"type": "alert.p1", "conversation_id": conversation_id, "language": "pl"}
        outbox.publish(SUPERVISOR_GROUP, alert)
        outbox.publish(SUPERVISOR_GROUP, frames.queue_changed())
