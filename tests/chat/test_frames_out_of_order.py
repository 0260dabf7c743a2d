"""With several server processes a conversation's messages can reach a socket out of order
(the citizen's message published by one process, the officer's reply numbered after it by
another): each is still shown once, none is taken for a repeat."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from advice.events.groups import conversation_group
from advice.events.outbox import frame_event
from chat.seq_window import MAX_AHEAD, SeqWindow
from tests.chat.test_grace import claimed

pytestmark = pytest.mark.django_db(transaction=True)


def message(conversation_id: int, seq: int, sender: str) -> dict[str, Any]:
    return {
        "type": "message",
        "conversation_id": conversation_id,
        "seq": seq,
        "client_id": f"other-process-{seq}",
        "sender": sender,
        "author_name": "",
        "kind": "text",
        "text": f"message {seq}",
        "payload": {},
        "created_at": "2026-12-04T21:00:00+00:00",
    }


async def publish(group: str, frame: dict[str, Any]) -> None:
    await get_channel_layer().group_send(group, frame_event(frame))


async def seqs_received(socket: Any) -> list[int]:
    return [f["seq"] for f in await socket.collect() if f.get("type") == "message"]


async def test_the_officer_sees_a_message_that_arrives_after_a_later_one(sockets, make_officer):
    user = await database_sync_to_async(make_officer)()
    officer, _citizen, conversation_id = await claimed(sockets, user)
    staff = conversation_group(conversation_id, "staff")
    await officer.collect()

    # seq 10 (published by the officer's process) overtakes 9 (the citizen's process).
    for seq in (10, 9, 10, 9):
        await publish(staff, message(conversation_id, seq, "citizen"))

    assert await seqs_received(officer) == [10, 9]


async def test_the_citizen_sees_a_reply_that_arrives_after_a_later_one(sockets, make_officer):
    user = await database_sync_to_async(make_officer)()
    _officer, citizen, conversation_id = await claimed(sockets, user)
    group = conversation_group(conversation_id, "citizen")
    await citizen.collect()

    for seq in (12, 11, 11, 12):
        await publish(group, message(conversation_id, seq, "officer"))

    assert await seqs_received(citizen) == [12, 11]


def test_numbers_up_to_the_replay_are_repeats_and_later_ones_new_once_in_any_order() -> None:
    window = SeqWindow(5)
    assert not window.fresh(5)
    assert [window.fresh(n) for n in (8, 6, 7, 6, 8, 9)] == [True, True, True, False, False, True]
    assert (window.upto, window.ahead, window.highest) == (9, set(), 9)
    window.replayed(20)
    assert not window.fresh(15)
    assert window.fresh(21)


def test_a_number_that_never_comes_does_not_hold_the_window_open() -> None:
    window = SeqWindow(0)
    # Number 1 is never published to this socket; every later one is.
    for n in range(2, MAX_AHEAD + 3):
        assert window.fresh(n)
    assert len(window.ahead) <= MAX_AHEAD
    assert not window.fresh(2)
    assert window.fresh(MAX_AHEAD + 3)
