"""On PostgreSQL a socket's message is stored on the event loop (``chat.message_writes``);
what the service decides (duplicates, refusals, a waiting conversation) still reaches the
sender the same way, and a lost connection costs a retry, never a message."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import connection

from advice.models import Message
from chat import message_writes
from tests.conftest import officer_online, start_citizen

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the loop path is PostgreSQL's (SQLite: threads)"
    ),
]


async def active_chat(sockets: Any, make_officer: Any) -> tuple[Any, Any, int]:
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    citizen, _ = await start_citizen(sockets, language="en")
    conversation_id = (await officer.receive_until("queue.entry"))["entry"]["id"]
    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await officer.receive_until("replay.done")
    return officer, citizen, conversation_id


def _service_must_not_run(**_kwargs: object) -> None:
    raise AssertionError("the message went to the database thread")


async def test_messages_of_an_active_chat_are_stored_on_the_loop(
    sockets, make_officer, monkeypatch
):
    officer, citizen, conversation_id = await active_chat(sockets, make_officer)
    monkeypatch.setattr(message_writes, "message_post", _service_must_not_run)

    await citizen.send({"type": "message.send", "client_id": "c1", "text": "They took 900 EUR"})
    # The citizen's own message comes back: that is its acknowledgement.
    assert (await citizen.stored("c1"))["text"] == "They took 900 EUR"
    seen = await officer.receive_until("message")
    assert (seen["text"], seen["conversation_id"], seen["sender"]) == (
        "They took 900 EUR",
        conversation_id,
        "citizen",
    )
    await officer.send(
        {
            "type": "message.send",
            "conversation_id": conversation_id,
            "client_id": "o1",
            "text": "Call your bank now",
        }
    )
    assert (await officer.stored("o1"))["text"] == "Call your bank now"
    reply = await citizen.receive_until("message")
    assert reply["text"] == "Call your bank now"
    assert reply["author_name"]
    stored = await database_sync_to_async(
        lambda: list(
            Message.objects.filter(conversation_id=conversation_id)
            .order_by("seq")
            .values_list("client_id", "sender", "author_name")
        )
    )()
    assert [(c, s) for c, s, _ in stored[-2:]] == [("c1", "citizen"), ("o1", "officer")]
    assert stored[-1][2] == reply["author_name"]


async def test_a_resend_is_acknowledged_as_a_duplicate_and_stored_once(sockets, make_officer):
    _officer, citizen, conversation_id = await active_chat(sockets, make_officer)
    frame = {"type": "message.send", "client_id": "same", "text": "hello?"}
    await citizen.send(frame)
    first = await citizen.stored("same")
    kept = [conn.get_server_pid() for conn in message_writes.writers.idle]
    await citizen.send(frame)
    again = await citizen.receive_until("ack", client_id="same")
    assert (again["seq"], again["duplicate"]) == (first["seq"], True)
    # The refused statement leaves its connection sound: it is kept, not reopened.
    assert [conn.get_server_pid() for conn in message_writes.writers.idle] == kept
    count = await database_sync_to_async(
        Message.objects.filter(conversation_id=conversation_id, client_id="same").count
    )()
    assert count == 1


async def test_an_ended_chat_refuses_the_officer_with_the_reason(sockets, make_officer):
    officer, citizen, conversation_id = await active_chat(sockets, make_officer)
    await citizen.send({"type": "conversation.end"})
    await officer.receive_until("conversation.state")
    await officer.send(
        {
            "type": "message.send",
            "conversation_id": conversation_id,
            "client_id": "late",
            "text": "are you there?",
        }
    )
    refused = await officer.receive_until("error")
    assert (refused["code"], refused["ref"]) == ("conversation_ended", "late")


async def test_a_lost_database_connection_costs_a_retry_not_a_message(sockets, make_officer):
    _officer, citizen, conversation_id = await active_chat(sockets, make_officer)
    await citizen.send({"type": "message.send", "client_id": "m1", "text": "one"})
    assert (await citizen.stored("m1"))["seq"] >= 1
    pids = [conn.get_server_pid() for conn in message_writes.writers.idle]
    assert pids, "the write's connection is kept for the next message"

    def terminate() -> None:
        with connection.cursor() as cursor:
            for pid in pids:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])

    await database_sync_to_async(terminate)()
    frame = {"type": "message.send", "client_id": "m2", "text": "two"}
    await citizen.send(frame)
    refused = await citizen.receive_until("error")
    assert (refused["code"], refused["ref"]) == ("temporarily_unavailable", "m2")
    await citizen.send(frame)
    assert (await citizen.stored("m2"))["text"] == "two"
    seqs = await database_sync_to_async(
        lambda: list(
            Message.objects.filter(conversation_id=conversation_id)
            .order_by("seq")
            .values_list("seq", flat=True)
        )
    )()
    assert seqs == list(range(1, len(seqs) + 1)), "numbers stay gap-free"
