"""Bad input gets a clear error frame; the connection stays usable and nothing is stored."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async

from advice.models import Conversation, Message
from tests.conftest import start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("not json at all", "invalid_json"),
        ("[1, 2, 3]", "invalid_field"),
        ('{"no_type": true}', "invalid_field"),
        ('{"type": 42}', "invalid_field"),
        ('{"type": "launch.rockets"}', "unknown_type"),
        ('{"type": "message.send", "text": "no client id"}', "invalid_field"),
        ('{"type": "message.send", "client_id": 7, "text": "x"}', "invalid_field"),
        ('{"type": "message.send", "client_id": "a", "text": 12}', "invalid_field"),
        ('{"type": "message.send", "client_id": "a", "text": "   \\n\\t "}', "text_empty"),
        (
            '{"type": "message.send", "client_id": "a", "text": "nul \\u0000 inside"}',
            "text_invalid",
        ),
        (
            '{"type": "message.send", "client_id": "a", "text": "lone \\ud800 surrogate"}',
            "text_invalid",
        ),
        (
            json.dumps({"type": "message.send", "client_id": "a", "text": "x" * 4001}),
            "text_too_long",
        ),
        (json.dumps({"type": "message.send", "client_id": "a" * 65, "text": "x"}), "invalid_field"),
        ('{"type": "conversation.claim", "conversation_id": 1}', "not_allowed"),
        ('{"type": "duty.set", "on_duty": true}', "not_allowed"),
        ('{"type": "rating.submit", "score": 9}', "invalid_field"),
        ('{"type": "conversation.set_language", "language": "xx"}', "invalid_field"),
    ],
)
async def test_bad_citizen_frame_gets_an_error_and_the_chat_goes_on(sockets, raw, code):
    citizen, _ = await start_citizen(sockets)
    await citizen.collect(timeout=0.05)
    await citizen.send_raw(text=raw)
    error = await citizen.receive_until("error")
    assert error["code"] == code
    assert error["message"]
    assert await Message.objects.acount() == 0

    await citizen.send({"type": "message.send", "client_id": "ok", "text": "still works"})
    assert (await citizen.stored("ok"))["seq"] == 1


async def test_binary_and_oversized_frames_are_refused(sockets):
    citizen, _ = await start_citizen(sockets)
    await citizen.send_raw(data=b"\x00\x01binary")
    assert (await citizen.receive_until("error"))["code"] == "binary_not_supported"
    await citizen.send_raw(
        text=json.dumps({"type": "message.send", "client_id": "a", "text": "y" * 40000})
    )
    assert (await citizen.receive_until("error"))["code"] == "frame_too_large"
    assert await Message.objects.acount() == 0


async def test_frames_before_starting_are_refused(sockets):
    citizen = await sockets("/ws/citizen/")
    await citizen.send({"type": "message.send", "client_id": "a", "text": "hello"})
    assert (await citizen.receive_until("error"))["code"] == "not_started"
    await citizen.send({"type": "conversation.end"})
    assert (await citizen.receive_until("error"))["code"] == "not_started"
    assert await Conversation.objects.acount() == 0


async def test_second_start_on_one_socket_is_refused(sockets):
    citizen, _ = await start_citizen(sockets)
    await citizen.send({"type": "conversation.start"})
    assert (await citizen.receive_until("error"))["code"] == "already_started"
    assert await Conversation.objects.acount() == 1


async def test_invalid_prechat_is_refused_and_nothing_is_created(sockets):
    citizen = await sockets("/ws/citizen/")
    await citizen.send({"type": "conversation.start", "prechat": {"what_happened": "aliens"}})
    assert (await citizen.receive_until("error"))["code"] == "invalid_field"
    await citizen.send({"type": "conversation.start", "prechat": {"in_danger": "yes"}})
    assert (await citizen.receive_until("error"))["code"] == "invalid_field"
    assert await Conversation.objects.acount() == 0


async def test_a_flood_of_frames_is_rate_limited(sockets):
    citizen, _ = await start_citizen(sockets)
    # A burst of 30 passes; the next ones are refused (fewer than the refusals that close).
    for _n in range(45):
        await citizen.send({"type": "ping"})
    frames = await citizen.collect(timeout=0.3)
    kinds = [f.get("code") or f["type"] for f in frames]
    assert "rate_limited" in kinds
    assert kinds.count("pong") < 45


async def test_bad_officer_frames_get_errors(sockets, make_officer):
    from tests.conftest import officer_online

    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    cases = [
        ({"type": "conversation.claim"}, "invalid_field"),
        ({"type": "conversation.claim", "conversation_id": "12"}, "invalid_field"),
        ({"type": "conversation.claim", "conversation_id": 999999}, "not_found"),
        ({"type": "conversation.open", "conversation_id": 999999}, "not_found"),
        ({"type": "duty.set", "on_duty": "yes"}, "invalid_field"),
        ({"type": "conversation.start"}, "not_allowed"),
        (
            {"type": "message.send", "conversation_id": 999999, "client_id": "x", "text": "hi"},
            "not_found",
        ),
        ({"type": "conversation.override", "conversation_id": 1, "urgency": "P9"}, "invalid_field"),
    ]
    for frame, code in cases:
        await officer.send(frame)
        error = await officer.receive_until("error")
        assert error["code"] == code, frame
