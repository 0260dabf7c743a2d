"""Daphne with its Redis unreachable: a citizen's handshake gets an error frame and 1013."""

from __future__ import annotations

import json

import pytest
import websockets

from tests.e2e.server import embedded_server, free_port


@pytest.fixture
def server_without_redis(tmp_path):
    # Nothing listens there: the channel layer and the cache cannot reach Redis.
    unreachable = {"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
    with embedded_server(tmp_path, env=unreachable) as base:
        yield base


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
