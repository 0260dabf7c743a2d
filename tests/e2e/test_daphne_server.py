"""End to end: the real Daphne server in a subprocess, spoken to over real websockets."""

from __future__ import annotations

import asyncio
import json
import re
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
import websockets

from tests.e2e.server import (
    MAX_MESSAGE_BYTES,
    PASSWORD,
    embedded_server,
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A migrated database with demo staff, served by Daphne on a free port."""
    with embedded_server(tmp_path_factory.mktemp("e2e"), demo_data=True) as base:
        yield base


def login(base: str, username: str) -> str:
    """Log in through the console's login form; return the session cookie header."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://{base}/console/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        f"http://{base}/console/login/",
        data=data,
        headers={"Referer": f"http://{base}/console/login/"},
    )
    opener.open(request)
    cookies = {c.name: c.value for c in jar}
    assert "sessionid" in cookies, "login failed"
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


async def until(ws, kind: str, **match):
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
        if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
            return frame


async def test_a_conversation_through_the_real_server(server):
    cookie = await asyncio.to_thread(login, server, "anna")
    origin = f"http://{server}"
    async with (
        websockets.connect(
            f"ws://{server}/ws/officer/", origin=origin, additional_headers={"Cookie": cookie}
        ) as officer,
        websockets.connect(f"ws://{server}/ws/citizen/", origin=origin) as citizen,
    ):
        await until(officer, "queue.snapshot")
        await officer.send(json.dumps({"type": "duty.set", "on_duty": True}))
        await until(officer, "duty.state")

        await citizen.send(json.dumps({"type": "conversation.start", "language": "pl"}))
        token = (await until(citizen, "conversation.started"))["token"]
        await citizen.send(
            json.dumps({"type": "message.send", "client_id": "e1", "text": "Pomocy"})
        )
        await until(citizen, "message", client_id="e1")

        entry = await until(officer, "queue.entry")
        conversation_id = entry["entry"]["id"]
        await officer.send(
            json.dumps({"type": "conversation.claim", "conversation_id": conversation_id})
        )
        assert (await until(officer, "message"))["text"] == "Pomocy"
        assert (await until(citizen, "conversation.state", reason="officer_joined"))["officer_name"]

        await officer.send(
            json.dumps(
                {
                    "type": "message.send",
                    "conversation_id": conversation_id,
                    "client_id": "o1",
                    "text": "Słucham",
                }
            )
        )
        assert (await until(citizen, "message", sender="officer"))["text"] == "Słucham"

    # The citizen's socket is gone; a new one resumes with nothing lost.
    async with websockets.connect(f"ws://{server}/ws/citizen/", origin=f"http://{server}") as again:
        await again.send(json.dumps({"type": "conversation.resume", "token": token, "last_seq": 0}))
        replayed = []
        while True:
            frame = json.loads(await asyncio.wait_for(again.recv(), timeout=5))
            if frame["type"] == "message":
                replayed.append(frame["text"])
            if frame["type"] == "replay.done":
                break
        assert replayed == ["Pomocy", "Słucham"]


def test_pages_are_served_with_a_strict_content_security_policy(server):
    with urllib.request.urlopen(f"http://{server}/") as response:
        policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


async def test_an_oversized_message_closes_the_socket_with_1009(server):
    async with websockets.connect(
        f"ws://{server}/ws/citizen/", origin=f"http://{server}", max_size=None
    ) as citizen:
        await citizen.send(json.dumps({"type": "ping", "pad": "x" * (MAX_MESSAGE_BYTES + 10)}))
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(citizen.recv(), timeout=5)
        assert citizen.close_code == 1009


async def test_invalid_utf8_closes_the_socket_with_1007(server):
    async with websockets.connect(f"ws://{server}/ws/citizen/", origin=f"http://{server}") as ws:
        await ws.send(b'{"type": "ping", "x": "\xff\xfe"}', text=True)
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), timeout=5)
        assert ws.close_code == 1007


async def test_a_frame_within_the_limits_still_gets_an_error_frame_not_a_close(server):
    async with websockets.connect(f"ws://{server}/ws/citizen/", origin=f"http://{server}") as ws:
        await ws.send(json.dumps({"type": "ping", "pad": "x" * 40_000}))
        assert (await until(ws, "error"))["code"] == "frame_too_large"
        await ws.send(json.dumps({"type": "ping"}))
        await until(ws, "pong")
