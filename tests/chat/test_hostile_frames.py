"""Hostile strings and shapes in any field get an error frame on either endpoint; the socket
stays open and usable (on SQLite and, with DATABASE_URL, on PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async

from advice.models import Message
from tests.conftest import officer_online, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)

HOSTILE = [
    ('{"type": "\\u0000"}', "invalid_field"),
    ('{"type": "ping\\u0000"}', "invalid_field"),
    ('{"type": "\\ud800"}', "invalid_field"),
    ('{"type": "\\udfff\\ud800ping"}', "invalid_field"),
    ('{"type": "\\ufffe"}', "invalid_field"),
    ('{"type": "message.send", "client_id": "\\u0000", "text": "x"}', "invalid_field"),
    ('{"type": "message.send", "client_id": "a\\ud800", "text": "x"}', "invalid_field"),
    ('{"type": "message.send", "client_id": "\\udbff", "conversation_id": 1}', "invalid_field"),
    ("[" * 10_000 + "]" * 10_000, "invalid_json"),
    ('{"type": "ping", "x": ' + "[" * 10_000 + "]" * 10_000 + "}", "invalid_json"),
    ('{"type": "ping", "extra": 1}', "invalid_field"),
    ('{"type": "ping", "\\u0000": 1}', "invalid_field"),
    (json.dumps({"type": "ping", "pad": "z" * 40_000}), "frame_too_large"),
]


async def still_answers(sock) -> None:
    await sock.send({"type": "ping"})
    await sock.receive_until("pong")


@pytest.mark.parametrize(("raw", "code"), HOSTILE)
async def test_hostile_citizen_frames_get_an_error_and_the_socket_stays_open(sockets, raw, code):
    citizen, _ = await start_citizen(sockets)
    await citizen.collect(timeout=0.05)
    await citizen.send_raw(text=raw)
    error = await citizen.receive_until("error")
    assert error["code"] == code
    assert "ref" not in error or error["ref"].isprintable()
    await still_answers(citizen)
    await citizen.send({"type": "message.send", "client_id": "ok", "text": "still works"})
    assert (await citizen.stored("ok"))["seq"] == 1
    assert await Message.objects.acount() == 1


@pytest.mark.parametrize(("raw", "code"), HOSTILE)
async def test_hostile_officer_frames_get_an_error_and_the_socket_stays_open(
    sockets, make_officer, raw, code
):
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    await officer.send_raw(text=raw)
    assert (await officer.receive_until("error"))["code"] == code
    await still_answers(officer)


async def test_an_unknown_field_is_named_in_the_error(sockets):
    citizen, _ = await start_citizen(sockets)
    await citizen.send({"type": "message.send", "client_id": "a", "text": "x", "admin": True})
    error = await citizen.receive_until("error")
    assert error["code"] == "invalid_field"
    assert "'admin'" in error["message"]
