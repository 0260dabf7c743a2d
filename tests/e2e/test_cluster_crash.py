"""Two real Daphne processes on one database: one is killed with SIGKILL, the other's
sweeper takes its officers offline, requeues their chats and abandons waiting conversations
whose citizens do not return, while clients that reconnect to the survivor keep theirs.

On PostgreSQL + Redis when ``DATABASE_URL`` and ``REDIS_URL`` are set (a database of its own,
a channel prefix of its own); otherwise on a shared SQLite file with each process's in-memory
channel layer (the survivor's sweeper then speaks only to its own sockets, which is all this
test listens to).
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.e2e.cluster import (
    BEAT,
    GRACE,
    ON_SERVICES,
    RESUME,
    SWEEP,
    TTL,
    Database,
    citizen_start,
    cluster_database,
    connect,
    console,
    eventually,
    running_cluster,
    until_slow,
)
from tests.e2e.test_daphne_server import login, until


@pytest.fixture(scope="module")
def cluster_env(tmp_path_factory) -> Iterator[tuple[dict[str, str], Database]]:
    """A migrated database with demo staff, and the environment of the cluster's processes."""
    with cluster_database(tmp_path_factory.mktemp("cluster"), services=ON_SERVICES) as prepared:
        yield prepared


@pytest.fixture
def cluster(cluster_env) -> Iterator[tuple[list[subprocess.Popen[bytes]], list[str], Database]]:
    """Server processes A and B on one database."""
    env, database = cluster_env
    with running_cluster(env) as (processes, bases):
        yield processes, bases, database


async def test_killed_process_officer_goes_offline_chats_requeued_waiting_abandoned(cluster):
    (process_a, _), (a, b), db = cluster
    anna = await asyncio.to_thread(login, a, "anna")
    petr = await asyncio.to_thread(login, b, "petr")
    officer_a = await console(a, anna)
    watcher_b = await console(b, petr)

    active_citizen, active_token = await citizen_start(a)
    active_id = (await until(officer_a, "queue.entry"))["entry"]["id"]
    await officer_a.send(json.dumps({"type": "conversation.claim", "conversation_id": active_id}))
    await until(active_citizen, "conversation.state", reason="officer_joined")
    _waiting_citizen, _ = await citizen_start(a)
    waiting_id = (await until(officer_a, "queue.entry"))["entry"]["id"]
    anna_id = db.value("SELECT id FROM auth_user WHERE username = ?", "anna")
    assert db.value("SELECT open_sockets FROM advice_officerprofile WHERE user_id = ?", anna_id)

    process_a.send_signal(signal.SIGKILL)
    killed = time.monotonic()
    process_a.wait(timeout=5)

    # The active chat's citizen reconnects to B at once and keeps the conversation.
    again = await connect(b, "/ws/citizen/")
    await again.send(json.dumps({"type": "conversation.resume", "token": active_token}))
    state = await until(again, "conversation.state", reason="resumed")
    assert state["status"] == "active"
    await until(again, "replay.done")
    # A's leases hold until its heartbeat is older than the TTL: nobody is gone yet.
    assert db.value("SELECT open_sockets FROM advice_officerprofile WHERE user_id = ?", anna_id)

    # Within TTL + grace (plus a heartbeat and two sweeps of slack), B hands the chat back.
    bound = TTL + GRACE + BEAT + 2 * SWEEP + 1
    handed_back = await until_slow(
        again, "conversation.state", bound, reason="officer_disconnected"
    )
    requeued_after = time.monotonic() - killed
    assert handed_back["status"] == "waiting"
    assert TTL - BEAT <= requeued_after <= bound
    # (On Redis, B's console also saw the entries A published before the crash.)
    entry = await until_slow(watcher_b, "queue.entry", 2)
    while (entry["entry"]["id"], entry["entry"]["requeued"]) != (active_id, True):
        entry = await until_slow(watcher_b, "queue.entry", 2)
    assert (
        db.value("SELECT open_sockets FROM advice_officerprofile WHERE user_id = ?", anna_id) == 0
    )
    assert db.value("SELECT status FROM advice_conversation WHERE id = ?", waiting_id) in (
        "waiting",
        "abandoned",
    )

    # The waiting citizen never came back: abandoned within TTL + resume time.
    await eventually(
        lambda: (
            db.value("SELECT status FROM advice_conversation WHERE id = ?", waiting_id)
            == "abandoned"
        ),
        timeout=max(0.0, TTL + RESUME + BEAT + 2 * SWEEP + 1 - (time.monotonic() - killed)),
    )
    abandoned_after = time.monotonic() - killed
    removed = await until_slow(watcher_b, "queue.removed", 2, conversation_id=waiting_id)
    assert removed["reason"] == "abandoned"
    assert abandoned_after <= TTL + RESUME + BEAT + 2 * SWEEP + 1

    # The reconnected citizen's conversation outlives every due-time.
    await asyncio.sleep(RESUME + 2 * SWEEP)
    assert db.value("SELECT status FROM advice_conversation WHERE id = ?", active_id) == "waiting"
    assert db.value("SELECT count(*) FROM advice_socketlease WHERE officer_id = ?", anna_id) == 0
    for ws in (again, watcher_b):
        await ws.close()


async def test_officer_and_citizen_who_reconnect_to_the_survivor_in_time_keep_the_chat(cluster):
    (process_a, _), (a, b), db = cluster
    jana = await asyncio.to_thread(login, a, "jana")
    officer_a = await console(a, jana)
    citizen, token = await citizen_start(a)
    entry = await until_slow(officer_a, "queue.entry", 5)
    conversation_id = entry["entry"]["id"]
    await officer_a.send(
        json.dumps({"type": "conversation.claim", "conversation_id": conversation_id})
    )
    await until(citizen, "conversation.state", reason="officer_joined")

    process_a.send_signal(signal.SIGKILL)
    process_a.wait(timeout=5)
    officer_b = await connect(b, "/ws/officer/", jana)
    state = await until(officer_b, "officer.state")
    assert [c["id"] for c in state["conversations"]] == [conversation_id]
    citizen = await connect(b, "/ws/citizen/")
    await citizen.send(json.dumps({"type": "conversation.resume", "token": token}))
    await until(citizen, "replay.done")

    # Past A's TTL and the grace period: the chat is still Jana's, on B.
    await asyncio.sleep(TTL + GRACE + BEAT + 2 * SWEEP + 1)
    assert (
        db.value("SELECT status FROM advice_conversation WHERE id = ?", conversation_id) == "active"
    )
    await citizen.send(json.dumps({"type": "message.send", "client_id": "c1", "text": "jestem"}))
    assert (await until(officer_b, "message"))["text"] == "jestem"
    for ws in (citizen, officer_b):
        await ws.close()
