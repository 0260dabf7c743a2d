"""Daphne with its Redis unreachable: a citizen's handshake gets an error frame and 1013."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest
import websockets

from tests.e2e.test_daphne_server import DAPHNE_LIMITS, ROOT, free_port


@pytest.fixture
def server_without_redis(tmp_path):
    env = {
        **os.environ,
        "SQLITE_PATH": str(tmp_path / "e2e.sqlite3"),
        "PORADNIA_VAR_DIR": str(tmp_path),
        "DJANGO_DEBUG": "1",
        # Nothing listens here: the channel layer and the cache cannot reach Redis.
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
    }
    for name in ("DATABASE_URL", "TEST_DB_SUFFIX"):
        env.pop(name, None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    port = free_port()
    env["PORT"] = str(port)
    daphne = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "poradnia.serve",
            *("-b", "127.0.0.1", "-p", str(port)),
            *DAPHNE_LIMITS,
            "poradnia.asgi:application",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.1)
    yield f"127.0.0.1:{port}"
    daphne.terminate()
    daphne.wait(timeout=10)


async def test_a_handshake_while_redis_is_down_is_refused_with_1013(server_without_redis):
    base = server_without_redis
    async with websockets.connect(f"ws://{base}/ws/citizen/", origin=f"http://{base}") as ws:
        frame = json.loads(await ws.recv())
        assert frame["type"] == "error"
        assert frame["code"] == "temporarily_unavailable"
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1013
