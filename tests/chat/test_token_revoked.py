"""An ended conversation's token opens nothing: ending, the resume timeout and quick exit
revoke it on the server, so it can neither resume the conversation nor replay its messages."""

from __future__ import annotations

import re

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse

from advice.models import AuditEvent, Conversation
from advice.services.conversations import citizen_resume_expired
from tests.conftest import cid, officer_online, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


async def resume_is_refused(sockets, token: str) -> None:
    again = await sockets("/ws/citizen/")
    await again.send({"type": "conversation.resume", "token": token, "last_seq": 0})
    frame = await again.receive()
    assert frame["type"] == "error"
    assert frame["code"] == "invalid_token"
    assert await again.nothing()


async def test_a_token_cannot_resume_or_replay_after_the_citizen_ends(sockets):
    citizen, token = await start_citizen(sockets, language="pl")
    client_id = cid()
    await citizen.send({"type": "message.send", "client_id": client_id, "text": "Pomocy"})
    await citizen.stored(client_id)
    await citizen.send({"type": "conversation.end"})
    await citizen.receive_until("conversation.state", reason="ended_by_citizen")
    await citizen.close()
    await resume_is_refused(sockets, token)


async def test_a_token_cannot_resume_after_the_officer_closes(sockets, make_officer):
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    citizen, token = await start_citizen(sockets, language="pl")
    entry = await officer.receive_until("queue.entry")
    conversation_id = entry["entry"]["id"]
    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await citizen.receive_until("conversation.state", reason="officer_joined")
    await officer.send({"type": "conversation.close", "conversation_id": conversation_id})
    await citizen.receive_until("conversation.state", reason="ended_by_officer")
    # The socket that was attached when it ended may still rate it.
    await citizen.send({"type": "rating.submit", "score": 4})
    await citizen.receive_until("rating.saved")
    await resume_is_refused(sockets, token)


async def test_a_token_cannot_resume_after_the_resume_timeout_abandons_it(sockets):
    citizen, token = await start_citizen(sockets, language="pl")
    await citizen.close()
    conversation = await Conversation.objects.aget()
    assert conversation.resume_due_at is not None
    assert await database_sync_to_async(citizen_resume_expired)(
        conversation_id=conversation.pk, now=conversation.resume_due_at
    )
    await resume_is_refused(sockets, token)


async def test_leaving_a_waiting_conversation_abandons_it_and_revokes_the_token(
    sockets, make_officer
):
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    citizen, token = await start_citizen(sockets, language="pl")
    entry = await officer.receive_until("queue.entry")
    await citizen.send({"type": "conversation.leave"})
    output = await citizen.communicator.receive_output()
    while output["type"] != "websocket.close":
        output = await citizen.communicator.receive_output()
    removed = await officer.receive_until("queue.removed")
    assert removed == {
        "type": "queue.removed",
        "conversation_id": entry["entry"]["id"],
        "reason": "abandoned",
    }
    conversation = await Conversation.objects.aget()
    assert (conversation.status, conversation.ended_by) == ("abandoned", "citizen")
    await resume_is_refused(sockets, token)


async def test_leaving_an_active_conversation_tells_the_officer_the_citizen_left(
    sockets, make_officer
):
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    citizen, token = await start_citizen(sockets, language="pl")
    conversation_id = (await officer.receive_until("queue.entry"))["entry"]["id"]
    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await citizen.receive_until("conversation.state", reason="officer_joined")
    await officer.receive_until("replay.done")
    await citizen.send({"type": "conversation.leave"})
    state = await officer.receive_until("conversation.state", reason="citizen_left")
    assert state["conversation"]["status"] == "closed"
    conversation = await Conversation.objects.aget(pk=conversation_id)
    assert conversation.outcome == "citizen_left"
    assert await AuditEvent.objects.filter(
        conversation_id=conversation_id, action="conversation.closed"
    ).aexists()
    await resume_is_refused(sockets, token)


async def test_the_quick_exit_beacon_revokes_the_token_without_a_csrf_token(sockets):
    _citizen, token = await start_citizen(sockets, language="pl")
    client = Client(enforce_csrf_checks=True)
    response = await database_sync_to_async(client.post)(
        reverse("frontend:leave"), {"token": token}
    )
    assert response.status_code == 204
    conversation = await Conversation.objects.aget()
    assert conversation.status == "abandoned"
    await resume_is_refused(sockets, token)


def test_the_beacon_answers_alike_for_any_token_and_accepts_only_post(db):
    client = Client(enforce_csrf_checks=True)
    for body in ({"token": "no-such-token"}, {"token": "x" * 500}, {}):
        assert client.post(reverse("frontend:leave"), body).status_code == 204
    assert client.get(reverse("frontend:leave")).status_code == 405


def test_the_transcript_is_offered_before_ending_is_confirmed(db):
    page = Client().get(reverse("frontend:citizen")).content.decode()
    confirm = re.search(r'<div id="confirm-end".*?</div>', page, flags=re.DOTALL)
    assert confirm is not None
    assert "download-transcript" in confirm.group(0)
