"""Two real Daphne processes on one database, for the cluster tests: the database and the
processes' environment, the processes themselves, and small websocket helpers.

With ``services`` the cluster runs on PostgreSQL + Redis: a database of its own (created
through ``DATABASE_URL``, else the local server's ``postgres`` database) and a channel prefix
of its own on ``REDIS_URL`` (else a local Redis database of the tests' own). Otherwise it
runs on a shared SQLite file with each process's in-memory channel layer.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
import websockets
from websockets.typing import Origin

from tests.e2e.server import PASSWORD, free_port
from tests.e2e.test_daphne_server import until

ROOT = Path(__file__).resolve().parents[2]
ASGI_APP = "poradnia.asgi:application"
# Fast presence timings: a dead process's sockets count as closed after seconds, not minutes.
TTL, GRACE, RESUME, SWEEP, BEAT = 3.0, 2.0, 2.0, 0.5, 1.0
ON_SERVICES = bool(os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"))
# Used when the test run itself has no DATABASE_URL / REDIS_URL (the embedded pass).
LOCAL_ADMIN_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS_URL = "redis://127.0.0.1:6379/13"


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


@contextmanager
def cluster_database(tmp: Path, *, services: bool) -> Iterator[tuple[dict[str, str], Database]]:
    """A migrated database with the demo staff, and the environment of the cluster's
    processes (a secret key of its own, so the per-address limits it counts in a shared
    Redis are its own too). The database is dropped afterwards."""
    env = {
        **os.environ,
        "DEMO_PASSWORD": PASSWORD,
        "PORADNIA_VAR_DIR": str(tmp),
        "DJANGO_DEBUG": "1",
        "STAFF_TWO_FACTOR": "0",
        "SECRET_KEY": f"test-only-{secrets.token_hex(16)}",
        "PRESENCE_TTL_SECONDS": str(TTL),
        "PRESENCE_HEARTBEAT_SECONDS": str(BEAT),
        "PRESENCE_SWEEP_SECONDS": str(SWEEP),
        "OFFICER_GRACE_SECONDS": str(GRACE),
        "CITIZEN_RESUME_SECONDS": str(RESUME),
        "PRESENCE_BACKGROUND": "1",
    }
    env.pop("TEST_DB_SUFFIX", None)
    admin_url = name = ""
    if services:
        admin_url = os.environ.get("DATABASE_URL") or LOCAL_ADMIN_DATABASE_URL
        name = f"cluster_{secrets.token_hex(4)}"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        parts = urllib.parse.urlsplit(admin_url)
        env["DATABASE_URL"] = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
        env["REDIS_URL"] = os.environ.get("REDIS_URL") or LOCAL_REDIS_URL
        env["CHANNEL_LAYER_PREFIX"] = name
        database = Database(url=env["DATABASE_URL"])
    else:
        for variable in ("DATABASE_URL", "REDIS_URL"):
            env.pop(variable, None)
        env["SQLITE_PATH"] = str(tmp / "cluster.sqlite3")
        database = Database(path=env["SQLITE_PATH"])
    try:
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
        subprocess.run(
            [*manage, "demo_data", "--history", "0"],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        yield env, database
    finally:
        if services:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def spawn_daphne(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """One server process on a free port (its stderr in ``log``), not yet listening."""
    port = free_port()
    # Each process accepts websockets from the exact origin it is served on.
    origin = {"PORT": str(port), "WEBSOCKET_ALLOWED_ORIGINS": f"http://127.0.0.1:{port}"}
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), ASGI_APP],
            env={**env, **origin},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    return process, port


def wait_listening(port: int, log: Path) -> str:
    """The base address once the process on ``port`` accepts connections."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return f"127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    pytest.fail("Daphne did not start: " + log.read_text()[-2000:])


@contextmanager
def running_cluster(
    env: dict[str, str],
) -> Iterator[tuple[list[subprocess.Popen[bytes]], list[str]]]:
    """Server processes A and B on the database of ``env``, started side by side; stopped
    afterwards (those the test has not killed)."""
    var = Path(env["PORADNIA_VAR_DIR"])
    logs = [var / f"daphne-{name}.log" for name in ("a", "b")]
    with ExitStack() as stack:
        spawned = []
        for log in logs:
            process, port = spawn_daphne(env, log)
            stack.callback(_stop, process)
            spawned.append((process, port))
        bases = [wait_listening(port, log) for (_, port), log in zip(spawned, logs, strict=True)]
        yield [process for process, _ in spawned], bases


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)


def connect(base: str, path: str, cookie: str = "") -> Any:
    headers = {"Cookie": cookie} if cookie else {}
    return websockets.connect(
        f"ws://{base}{path}", origin=Origin(f"http://{base}"), additional_headers=headers
    )


async def console(base: str, cookie: str) -> Any:
    """An officer console on duty."""
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
