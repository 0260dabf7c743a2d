"""The citizen's "Are you safe right now?" over the socket: asked, answered, refused, resumed."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from advice.models import Conversation
from tests.advice.services.test_conversation_safety_answer import POSSIBLE_RISK_PL
from tests.conftest import officer_online, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


async def asked_citizen(sockets):
    citizen, token = await start_citizen(sockets, language="pl")
    await citizen.send({"type": "message.send", "client_id": "c1", "text": POSSIBLE_RISK_PL})
    ask = await citizen.receive_until("safety.ask")
    assert ask["answers"] == ["safe", "not_safe", "no_answer"]
    return citizen, token


async def test_not_safe_raises_the_conversation_to_p1_on_the_officers_console(
    sockets, make_officer
):
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    citizen, _ = await asked_citizen(sockets)
    marked = await officer.receive_until("queue.entry")
    while not marked["entry"]["possible_risk"]:
        marked = await officer.receive_until("queue.entry")

    await citizen.send({"type": "safety.answer", "answer": "not_safe"})
    alert = await officer.receive_until("alert.p1")
    assert alert["conversation_id"] == marked["entry"]["id"]
    assert alert["reasons"][0] == {"code": "citizen_not_safe", "to": "P1"}
    entry = await officer.receive_until("queue.entry")
    assert (entry["entry"]["urgency"], entry["entry"]["possible_risk"]) == ("P1", False)
    assert entry["entry"]["safety_answer"] == "not_safe"


async def test_an_unknown_answer_gets_an_error_frame_and_changes_nothing(sockets):
    citizen, _ = await asked_citizen(sockets)
    await citizen.send({"type": "safety.answer", "answer": "fine thanks"})
    error = await citizen.receive_until("error")
    assert error["code"] == "invalid_field"
    assert "answer" in error["message"]
    await citizen.send({"type": "safety.answer"})
    assert (await citizen.receive_until("error"))["code"] == "invalid_field"
    conversation = await database_sync_to_async(Conversation.objects.get)()
    assert (conversation.safety_answer, conversation.possible_risk) == ("", True)


async def test_a_second_answer_is_refused(sockets):
    citizen, _ = await asked_citizen(sockets)
    await citizen.send({"type": "safety.answer", "answer": "safe"})
    await citizen.receive_until("conversation.state", reason="triage")
    await citizen.send({"type": "safety.answer", "answer": "not_safe"})
    assert (await citizen.receive_until("error"))["code"] == "not_allowed"


async def test_an_unanswered_question_is_asked_again_after_a_resume_but_not_once_answered(
    sockets,
):
    citizen, token = await asked_citizen(sockets)
    await citizen.close()
    again = await sockets("/ws/citizen/")
    await again.send({"type": "conversation.resume", "token": token, "last_seq": 0})
    await again.receive_until("safety.ask")
    await again.send({"type": "safety.answer", "answer": "no_answer"})
    await again.receive_until("conversation.state", reason="triage")
    await again.close()

    third = await sockets("/ws/citizen/")
    await third.send({"type": "conversation.resume", "token": token, "last_seq": 0})
    frames = await third.collect(timeout=0.5)
    assert "replay.done" in [frame["type"] for frame in frames]
    assert "safety.ask" not in [frame["type"] for frame in frames]
