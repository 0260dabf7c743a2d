"""Opening a conversation one is not assigned to over a staff socket asks why first; the
reason — from the frame, or given on a page and held by the session — is audited with it."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from django.test import Client

from advice.models import AuditEvent
from tests.conftest import cid, officer_online, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)

COVERING = {"reason": "covering", "text": "Anna is ill"}


async def claimed_chat(sockets, officer):
    citizen, _ = await start_citizen(sockets, language="pl")
    conversation_id = (await officer.receive_until("queue.entry"))["entry"]["id"]
    await citizen.send({"type": "message.send", "client_id": cid(), "text": "Szantażuje mnie"})
    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await officer.receive_until("replay.done")
    return citizen, conversation_id


async def viewed(conversation_id: int, username: str) -> list[dict]:
    return [
        params
        async for params in AuditEvent.objects.filter(
            action="conversation.viewed",
            conversation_id=conversation_id,
            actor__username=username,
        ).values_list("params", flat=True)
    ]


async def test_the_assigned_officer_reopens_their_conversation_without_a_question(
    sockets, make_officer
):
    anna_user = await database_sync_to_async(make_officer)("anna")
    anna = await officer_online(sockets, anna_user)
    _, conversation_id = await claimed_chat(sockets, anna)
    await anna.send({"type": "conversation.open", "conversation_id": conversation_id})
    message = await anna.receive_until("message")
    assert message["text"] == "Szantażuje mnie"
    await anna.receive_until("replay.done")
    assert await viewed(conversation_id, "anna") == [{}, {}]


async def test_a_supervisor_opening_someone_elses_chat_is_asked_why_and_sees_nothing(
    sockets, make_officer
):
    make = database_sync_to_async(make_officer)
    anna = await officer_online(sockets, await make("anna"))
    marek = await officer_online(sockets, await make("marek", supervisor=True))
    _, conversation_id = await claimed_chat(sockets, anna)
    await marek.send({"type": "conversation.open", "conversation_id": conversation_id})
    error = await marek.receive_until("error")
    assert error["code"] == "justification_required"
    later = await marek.collect()
    assert not [f for f in later if f["type"] in ("message", "replay.done")]
    assert await viewed(conversation_id, "marek") == []


async def test_the_reason_sent_with_the_open_is_stored_with_the_access(sockets, make_officer):
    make = database_sync_to_async(make_officer)
    anna = await officer_online(sockets, await make("anna"))
    marek = await officer_online(sockets, await make("marek", supervisor=True))
    _, conversation_id = await claimed_chat(sockets, anna)
    await marek.send(
        {"type": "conversation.open", "conversation_id": conversation_id, "justification": COVERING}
    )
    assert (await marek.receive_until("message"))["text"] == "Szantażuje mnie"
    await marek.receive_until("replay.done")
    assert await viewed(conversation_id, "marek") == [{"justification": COVERING}]


@pytest.mark.parametrize(
    "justification",
    [
        {"reason": "curiosity"},
        {"reason": "other", "text": "  "},
        {"reason": "covering", "who": "me"},
        {"reason": "covering", "text": "x" * 201},
        {"reason": "covering", "text": "nul \u0000"},
        "covering",
    ],
)
async def test_an_unknown_reason_or_a_malformed_justification_is_refused(
    sockets, make_officer, justification
):
    make = database_sync_to_async(make_officer)
    anna = await officer_online(sockets, await make("anna"))
    marek = await officer_online(sockets, await make("marek", supervisor=True))
    _, conversation_id = await claimed_chat(sockets, anna)
    await marek.send(
        {
            "type": "conversation.open",
            "conversation_id": conversation_id,
            "justification": justification,
        }
    )
    error = await marek.receive_until("error")
    assert error["code"] == "invalid_field"
    assert "justification" in error["message"]
    assert await viewed(conversation_id, "marek") == []


async def test_an_officer_still_cannot_open_a_colleagues_chat_even_with_a_reason(
    sockets, make_officer
):
    make = database_sync_to_async(make_officer)
    anna = await officer_online(sockets, await make("anna"))
    piotr = await officer_online(sockets, await make("piotr"))
    _, conversation_id = await claimed_chat(sockets, anna)
    await piotr.send(
        {"type": "conversation.open", "conversation_id": conversation_id, "justification": COVERING}
    )
    assert (await piotr.receive_until("error"))["code"] == "not_assigned"


def _page_session(user, conversation_id: int, justification: dict | None) -> tuple[Client, bytes]:
    client = Client()
    client.force_login(user)
    if justification is not None:
        answer = client.post(f"/supervisor/watch/{conversation_id}/", justification)
        assert answer.status_code == 302
    name = settings.SESSION_COOKIE_NAME
    return client, f"{name}={client.cookies[name].value}".encode()


async def ended_chat(sockets, make_officer):
    make = database_sync_to_async(make_officer)
    anna = await officer_online(sockets, await make("anna"))
    marek_user = await make("marek", supervisor=True)
    _, conversation_id = await claimed_chat(sockets, anna)
    await anna.send({"type": "conversation.close", "conversation_id": conversation_id})
    await anna.receive_until("conversation.state", reason="ended_by_officer")
    return marek_user, conversation_id


async def test_watching_an_ended_conversation_asks_why_on_the_page_and_the_socket(
    sockets, make_officer
):
    marek_user, conversation_id = await ended_chat(sockets, make_officer)
    client, cookie = await database_sync_to_async(_page_session)(marek_user, conversation_id, None)
    page = await database_sync_to_async(client.get)(f"/supervisor/watch/{conversation_id}/")
    text = page.content.decode()
    assert "Why are you opening this conversation?" in text
    assert "whisper-form" not in text
    watcher = await sockets("/ws/supervisor/", headers=[(b"cookie", cookie)])
    await watcher.receive_until("supervisor.live")
    await watcher.send({"type": "conversation.open", "conversation_id": conversation_id})
    assert (await watcher.receive_until("error"))["code"] == "justification_required"
    assert await viewed(conversation_id, "marek") == []


async def test_the_reason_given_on_the_watch_page_is_found_by_its_socket(sockets, make_officer):
    marek_user, conversation_id = await ended_chat(sockets, make_officer)
    client, cookie = await database_sync_to_async(_page_session)(
        marek_user, conversation_id, {"reason": "supervision", "text": "Quality review"}
    )
    page = await database_sync_to_async(client.get)(f"/supervisor/watch/{conversation_id}/")
    assert "whisper-form" in page.content.decode()
    watcher = await sockets("/ws/supervisor/", headers=[(b"cookie", cookie)])
    await watcher.receive_until("supervisor.live")
    await watcher.send({"type": "conversation.open", "conversation_id": conversation_id})
    assert (await watcher.receive_until("message"))["text"] == "Szantażuje mnie"
    await watcher.receive_until("replay.done")
    assert await viewed(conversation_id, "marek") == [
        {"watch": True, "justification": {"reason": "supervision", "text": "Quality review"}}
    ]


async def test_watching_a_live_conversation_is_open_supervision_without_a_question(
    sockets, make_officer
):
    make = database_sync_to_async(make_officer)
    anna = await officer_online(sockets, await make("anna"))
    marek_user = await make("marek", supervisor=True)
    _, conversation_id = await claimed_chat(sockets, anna)
    client, cookie = await database_sync_to_async(_page_session)(marek_user, conversation_id, None)
    page = await database_sync_to_async(client.get)(f"/supervisor/watch/{conversation_id}/")
    assert "whisper-form" in page.content.decode()
    watcher = await sockets("/ws/supervisor/", headers=[(b"cookie", cookie)])
    await watcher.receive_until("supervisor.live")
    await watcher.send({"type": "conversation.open", "conversation_id": conversation_id})
    await watcher.receive_until("replay.done")
    # The officer sees who is watching: that is the supervision's transparency.
    await anna.receive_until("supervisor.watching")
    assert await viewed(conversation_id, "marek") == [{"watch": True}]
