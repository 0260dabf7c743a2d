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
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import websockets

from tests.e2e.server import PASSWORD, free_port
from tests.e2e.test_daphne_server import login, until

ROOT = Path(__file__).resolve().parents[2]
ASGI_APP = "poradnia.asgi:application"
TTL, GRACE, RESUME, SWEEP, BEAT = 3.0, 2.0, 2.0, 0.5, 1.0
ON_SERVICES = bool(os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"))


class Database:
    """The cluster's database, read directly by the test."""

    def __init__(self, url: str = "", path: str = "") -> None:
        self.url, self.path = url, path

    def rows(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        if self.url:
            with psycopg.connect(self.url) as conn:
                return list(conn.execute(query.replace("?", "%s"), params).fetchall())
        with sqlite3.connect(self.path) as conn:
            return list(conn.execute(query, params).fetchall())

    def value(self, query: str, *params: Any) -> Any:
        return self.rows(query, *params)[0][0]


@pytest.fixture(scope="module")
def cluster_env(tmp_path_factory) -> Iterator[tuple[dict[str, str], Database]]:
    """A migrated database with demo staff, and the environment of the cluster's processes."""
    tmp = tmp_path_factory.mktemp("cluster")
    env = {
        **os.environ,
        "DEMO_PASSWORD": PASSWORD,
        "PORADNIA_VAR_DIR": str(tmp),
        "DJANGO_DEBUG": "1",
        "STAFF_TWO_FACTOR": "0",
        "PRESENCE_TTL_SECONDS": str(TTL),
        "PRESENCE_HEARTBEAT_SECONDS": str(BEAT),
        "PRESENCE_SWEEP_SECONDS": str(SWEEP),
        "OFFICER_GRACE_SECONDS": str(GRACE),
        "CITIZEN_RESUME_SECONDS": str(RESUME),
        "PRESENCE_BACKGROUND": "1",
    }
    env.pop("TEST_DB_SUFFIX", None)
    admin_url = name = ""
    if ON_SERVICES:
        admin_url = os.environ["DATABASE_URL"]
        name = f"cluster_{secrets.token_hex(4)}"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        parts = urllib.parse.urlsplit(admin_url)
        env["DATABASE_URL"] = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
        env["CHANNEL_LAYER_PREFIX"] = name
        env.setdefault("SECRET_KEY", "test-only-secret")
        database = Database(url=env["DATABASE_URL"])
    else:
        for variable in ("DATABASE_URL", "REDIS_URL"):
            env.pop(variable, None)
        env["SQLITE_PATH"] = str(tmp / "cluster.sqlite3")
        database = Database(path=env["SQLITE_PATH"])
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*manage, "demo_data", "--history", "0"], env=env, check=True, cwd=ROOT, capture_output=True
    )
    yield env, database
    if ON_SERVICES:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_daphne(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    # Each process accepts websockets from the exact origin it is served on.
    origin = {"PORT": str(port), "WEBSOCKET_ALLOWED_ORIGINS": f"http://127.0.0.1:{port}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), ASGI_APP],
        env={**env, **origin},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process, f"127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    process.kill()
    pytest.fail("Daphne did not start")


@pytest.fixture
def cluster(cluster_env) -> Iterator[tuple[list[subprocess.Popen[bytes]], list[str], Database]]:
    """Server processes A and B on one database."""
    env, database = cluster_env
    started = [start_daphne(env), start_daphne(env)]
    yield [p for p, _ in started], [base for _, base in started], database
    for process, _ in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)


def connect(base: str, path: str, cookie: str = "") -> Any:
    headers = {"Cookie": cookie} if cookie else {}
    return websockets.connect(
        f"ws://{base}{path}", origin=f"http://{base}", additional_headers=headers
    )


async def console(base: str, cookie: str) -> Any:
    ws = await connect(base, "/ws/officer/", cookie)
    await until(ws, "queue.snapshot")
    await ws.send(json.dumps({"type": "duty.set", "on_duty": True}))
    await until(ws, "duty.state")
    return ws


async def citizen_start(base: str) -> tuple[Any, str]:
    ws = await connect(base, "/ws/citizen/")
    await ws.send(json.dumps({"type": "conversation.start", "language": "pl"}))
    return ws, (await until(ws, "conversation.started"))["token"]


async def until_slow(ws: Any, kind: str, timeout: float, **match: Any) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=max(0.01, deadline - time.monotonic()))
        frame = json.loads(raw)
        if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
            return frame


async def eventually(check: Any, timeout: float) -> float:
    """Seconds until ``check()`` (run in a thread) is true; fails after ``timeout``."""
    began = time.monotonic()
    while not await asyncio.to_thread(check):
        if time.monotonic() - began > timeout:
            pytest.fail(f"not within {timeout} s")
        await asyncio.sleep(0.1)
    return time.monotonic() - began


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
