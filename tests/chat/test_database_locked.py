"""A locked conversation table: the send is refused within a bounded time, nothing is half
written, and the resend with the same client_id is stored exactly once (PostgreSQL)."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from channels.db import database_sync_to_async
from django.db import connection

from advice.models import Conversation, Message
from chat import message_writes
from tests.conftest import start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


def hold_table_lock(locked: threading.Event, release: threading.Event) -> None:
    """Another client holds ACCESS EXCLUSIVE on the conversation table for up to 15 s."""
    params = connection.settings_dict
    with (
        psycopg.connect(
            dbname=params["NAME"],
            user=params["USER"] or None,
            password=params["PASSWORD"] or None,
            host=params["HOST"] or None,
            port=params["PORT"] or None,
        ) as other,
        other.transaction(),
    ):
        other.execute("LOCK TABLE advice_conversation IN ACCESS EXCLUSIVE MODE")
        locked.set()
        release.wait(15)


async def test_a_send_into_a_locked_table_is_refused_quickly_and_stored_once_on_retry(
    sockets, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("lock_timeout and statement_timeout are PostgreSQL's")
    settings.DB_LOCK_TIMEOUT_MS = 2000
    citizen, _token = await start_citizen(sockets, language="pl")
    await citizen.collect()
    conversation_id = await database_sync_to_async(lambda: Conversation.objects.get().pk)()

    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_table_lock, args=(locked, release))
    holder.start()
    try:
        assert locked.wait(5)
        started = time.monotonic()
        await citizen.send({"type": "message.send", "client_id": "c1", "text": "Pomocy"})
        refused = await citizen.receive_until("error", timeout=10)
        assert refused["code"] == "temporarily_unavailable"
        assert refused["ref"] == "c1"
        assert time.monotonic() - started < 3.5
    finally:
        release.set()
        holder.join()
    assert not await database_sync_to_async(Message.objects.filter(client_id="c1").exists)()
    # The lock timeout refused the statement, not the connection: it is kept for the resend.
    kept = [conn.get_server_pid() for conn in message_writes.writers.idle]
    assert len(kept) == 1

    await citizen.send({"type": "message.send", "client_id": "c1", "text": "Pomocy"})
    assert (await citizen.stored("c1"))["text"] == "Pomocy"
    assert [conn.get_server_pid() for conn in message_writes.writers.idle] == kept
    await citizen.send({"type": "message.send", "client_id": "c1", "text": "Pomocy"})
    assert (await citizen.receive_until("ack", client_id="c1"))["duplicate"] is True
    stored = await database_sync_to_async(
        lambda: list(
            Message.objects.filter(conversation_id=conversation_id).values_list("client_id")
        )
    )()
    assert stored == [("c1",)]
