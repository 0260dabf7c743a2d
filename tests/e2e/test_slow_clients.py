"""Slowloris against the real server: a client that trickles its upgrade request, or opens a
websocket and never speaks, is dropped within about 10 s (``docs/security.md``, Limits)."""

from __future__ import annotations

import asyncio
import select
import socket
import time
from collections.abc import Iterator

import pytest
import websockets

from tests.e2e.server import embedded_server

# The handshake deadline (``poradnia.serve``) and the silent first frame limit are both 10 s.
DEADLINE_SECONDS = 10
# How long the trickling client keeps going before the test gives up on a drop.
TRICKLE_FOR_SECONDS = 30
UPGRADE_REQUEST = (
    "GET /ws/citizen/ HTTP/1.1\r\n"
    "Host: {host}\r\n"
    "Origin: http://{host}\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Version: 13\r\n"
    "\r\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python -m poradnia.serve`` with the production limits, on an embedded database."""
    with embedded_server(tmp_path_factory.mktemp("slow")) as base:
        yield base


def _closed_by_server(sock: socket.socket) -> bool:
    """True once the server has closed (or reset) the connection; never blocks."""
    readable, _, _ = select.select([sock], [], [], 0)
    if not readable:
        return False
    try:
        return sock.recv(4096) == b""
    except OSError:
        return True


def test_a_client_trickling_its_upgrade_request_is_dropped_within_ten_seconds(server):
    host, port = server.split(":")
    request = UPGRADE_REQUEST.format(host=server).encode()
    sock = socket.create_connection((host, int(port)))
    started = time.monotonic()
    dropped_after = None
    try:
        for byte in request[:TRICKLE_FOR_SECONDS]:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                dropped_after = time.monotonic() - started
                break
            # One byte a second: each byte arrives well inside any idle timeout.
            end = time.monotonic() + 1
            while time.monotonic() < end:
                if _closed_by_server(sock):
                    dropped_after = time.monotonic() - started
                    break
                time.sleep(0.05)
            if dropped_after is not None:
                break
    finally:
        sock.close()
    assert dropped_after is not None, f"still connected after {TRICKLE_FOR_SECONDS} s of trickling"
    assert dropped_after <= DEADLINE_SECONDS + 1.5, dropped_after


def test_a_complete_upgrade_request_is_answered_at_once(server):
    host, port = server.split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(UPGRADE_REQUEST.format(host=server).encode())
        assert sock.recv(4096).startswith(b"HTTP/1.1 101")


async def test_a_websocket_that_never_sends_a_first_frame_is_closed_within_ten_seconds(server):
    async with websockets.connect(f"ws://{server}/ws/citizen/", origin=f"http://{server}") as ws:
        started = time.monotonic()
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), timeout=DEADLINE_SECONDS + 5)
        waited = time.monotonic() - started
    assert ws.close_code == 1008
    assert DEADLINE_SECONDS - 1 <= waited <= DEADLINE_SECONDS + 1.5, waited
