"""A real Daphne on the test database, a private Redis when the suite runs on Redis."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from bench import load_server


@contextlib.contextmanager
def _private_redis(tmp_path: Path) -> Iterator[str]:
    """A throw-away redis-server: Redis pub/sub channels are shared by every database
    number, so a server on the team's Redis would hear other test runs' groups."""
    port = load_server.free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not load_server.service_up(port):
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("the private redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def server_env(transactional_db: None, tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for a server (and the bench setup) on this test run's database.

    The database is the migrated test database, emptied again after the test.
    """
    env = dict(os.environ)
    env.pop("CHANNEL_LAYER", None)
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = str(settings_dict["NAME"])
    else:
        parts = urlsplit(env["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{settings_dict['NAME']}"))
    # Committed rows must be visible to the server process before it starts.
    connection.close()
    if env.get("REDIS_URL") and shutil.which("redis-server"):
        with _private_redis(tmp_path) as url:
            env["REDIS_URL"] = url
            yield env
    else:
        env.pop("REDIS_URL", None)
        yield env


@pytest.fixture
def daphne(server_env: dict[str, str], tmp_path: Path) -> Iterator[load_server.Server]:
    server = load_server.start(server_env, load_server.free_port(), log=tmp_path / "daphne.log")
    try:
        yield server
    finally:
        server.stop()
