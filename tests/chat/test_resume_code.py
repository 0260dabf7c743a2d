"""Coming back over the websocket: the resume code, a citizen away, a left message, and the
bank numbers first while money is still moving."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.core.management import call_command

from tests.conftest import officer_online, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


async def code_for(citizen) -> str:
    await citizen.send({"type": "resume_code.issue"})
    frame = await citizen.receive_until("resume_code")
    assert len(frame["words"]) == 6
    assert frame["code"] == " ".join(frame["words"])
    return frame["code"]


async def test_a_citizen_who_closed_the_tab_comes_back_with_the_code_to_the_reply(
    sockets, make_officer
):
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    citizen, token = await start_citizen(sockets, language="pl")
    code = await code_for(citizen)
    await citizen.send({"type": "message.send", "client_id": "c1", "text": "Ktoś przejął konto"})
    await citizen.stored("c1")
    conversation_id = (await officer.receive_until("queue.entry"))["entry"]["id"]
    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await officer.receive_until("replay.done")

    await citizen.close()
    away = await officer.receive_until("conversation.state", reason="citizen_disconnected")
    assert away["conversation"]["citizen_online"] is False
    await officer.send(
        {
            "type": "message.send",
            "conversation_id": conversation_id,
            "client_id": "o1",
            "text": "Proszę zmienić hasło",
        }
    )
    await officer.stored("o1")

    again = await sockets("/ws/citizen/")
    await again.send({"type": "conversation.resume_code", "code": code.upper()})
    resumed = await again.receive_until("conversation.resumed")
    assert resumed["code"] == code
    assert resumed["token"] != token
    frames = []
    while (frame := await again.receive())["type"] != "replay.done":
        frames.append(frame)
    texts = [f["text"] for f in frames if f["type"] == "message"]
    assert texts == ["Ktoś przejął konto", "Proszę zmienić hasło"]
    state = next(f for f in frames if f["type"] == "conversation.state")
    assert state["reason"] == "resumed"
    assert state["status"] == "active"
    back = await officer.receive_until("conversation.state", reason="citizen_connected")
    assert back["conversation"]["citizen_online"] is True

    # The old token was revoked; the new one works.
    old = await sockets("/ws/citizen/")
    await old.send({"type": "conversation.resume", "token": token, "last_seq": 0})
    assert (await old.receive_until("error"))["code"] == "invalid_token"


async def test_a_wrong_code_gets_invalid_code_and_the_socket_may_try_again(sockets):
    citizen, _token = await start_citizen(sockets)
    code = await code_for(citizen)
    await citizen.close()

    again = await sockets("/ws/citizen/")
    await again.send({"type": "conversation.resume_code", "code": "baba baba baba baba baba baba"})
    error = await again.receive_until("error")
    assert error["code"] == "invalid_code"
    await again.send({"type": "conversation.resume_code", "code": code})
    assert (await again.receive_until("conversation.resumed"))["code"] == code


async def test_too_many_attempts_are_refused_with_their_own_code(sockets, settings):
    settings.RESUME_CODE_ATTEMPTS = 2
    guesser = await sockets("/ws/citizen/")
    for _ in range(2):
        await guesser.send(
            {"type": "conversation.resume_code", "code": "baba bebe bibi bobo bubu baba"}
        )
        assert (await guesser.receive_until("error"))["code"] == "invalid_code"
    await guesser.send(
        {"type": "conversation.resume_code", "code": "baba bebe bibi bobo bubu baba"}
    )
    assert (await guesser.receive_until("error"))["code"] == "too_many_attempts"


async def test_a_message_left_while_nobody_is_on_duty_is_listed_apart_and_read_later(
    sockets, make_officer
):
    citizen, _token = await start_citizen(sockets, language="pl")
    position = await citizen.receive_until("queue.position")
    assert position["officers_on_duty"] == 0
    code = await code_for(citizen)
    await citizen.send({"type": "conversation.leave_message"})
    assert (await citizen.receive_until("error"))["code"] == "text_empty"
    await citizen.send({"type": "message.send", "client_id": "c1", "text": "Oszukano mnie"})
    await citizen.stored("c1")
    await citizen.send({"type": "conversation.leave_message"})
    left = await citizen.receive_until("conversation.state", reason="message_left")
    assert left["status"] == "waiting"
    await citizen.close()

    officer = await sockets(
        "/ws/officer/", user=await database_sync_to_async(make_officer)("olena")
    )
    snapshot = await officer.receive_until("queue.snapshot")
    (card,) = snapshot["entries"]
    assert card["left_message"] is True
    assert card["citizen_online"] is False
    await officer.send({"type": "conversation.claim", "conversation_id": card["id"]})
    await officer.receive_until("replay.done")
    await officer.send(
        {
            "type": "message.send",
            "conversation_id": card["id"],
            "client_id": "o1",
            "text": "Proszę zadzwonić do banku",
        }
    )
    await officer.stored("o1")
    await officer.send({"type": "conversation.close", "conversation_id": card["id"]})
    await officer.receive_until("conversation.state", reason="ended_by_officer")

    later = await sockets("/ws/citizen/")
    await later.send({"type": "conversation.resume_code", "code": code})
    await later.receive_until("conversation.resumed")
    reply = await later.receive_until("message", sender="officer")
    assert reply["text"] == "Proszę zadzwonić do banku"
    state = await later.receive_until("conversation.state")
    assert state["status"] == "closed"


async def test_money_still_moving_puts_the_stop_transfer_article_first_for_both_sides(
    sockets, make_officer
):
    await database_sync_to_async(call_command)("load_knowledge_base", verbosity=0)
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    citizen, _token = await start_citizen(sockets, language="pl")
    first = await citizen.receive_until("suggestions")
    assert first["money_moving"] is False
    await citizen.send(
        {
            "type": "message.send",
            "client_id": "c1",
            "text": "Przelałem 2000 zł oszustowi 10 minut temu",
        }
    )
    moving = await citizen.receive_until("suggestions", money_moving=True)
    article = moving["articles"][0]
    assert article["slug"] == "stop-bank-transfer"
    assert article["language"] == "pl"
    assert 'href="tel:+48828828828"' in article["html"]
    assert article["html"].index("Polska") < article["html"].index("Niemcy")

    conversation_id = (await officer.receive_until("queue.entry"))["entry"]["id"]
    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    staff = await officer.receive_until("suggestions", conversation_id=conversation_id)
    assert staff["money_moving"] is True
    assert staff["articles"][0]["slug"] == "stop-bank-transfer"
