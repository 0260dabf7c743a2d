"""Shared fixtures: staff factories, websocket clients through the real ASGI stack, services."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import connections
from django.test import Client

from advice.db_guard import audit_delete_guard_lift
from advice.models import Unit
from advice.services.staff import staff_create
from chat import dbpool, message_writes

ORIGIN = (b"origin", b"http://localhost")


def service_available(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, port: int) -> None:
    """Skip when a service is absent, unless REQUIRE_SERVICES is set (CI): then fail."""
    if service_available("127.0.0.1", port):
        return
    if os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(f"{name} is required (REQUIRE_SERVICES is set) but not reachable.")
    pytest.skip(f"{name} is not running")


@pytest.fixture(autouse=True)
def _test_origin_allowed(settings: Any) -> None:
    """In-process sockets come from ``ORIGIN``: put it on the allow-list in every mode."""
    settings.WEBSOCKET_ALLOWED_ORIGINS = [ORIGIN[1].decode()]


@pytest.fixture(autouse=True)
def _audit_delete_guard_lifted_for_flush(request: pytest.FixtureRequest) -> Any:
    """After a transactional test Django empties SQLite tables with ``DELETE FROM``, which the
    audit trail's DELETE guard refuses: lift it just before that flush (this fixture depends
    on the database helper, so it is torn down first); the flush's ``post_migrate`` puts the
    guard back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("_django_db_helper")
    yield
    if transactional:
        for connection in connections.all(initialized_only=True):
            audit_delete_guard_lift(connection)


@pytest.fixture(autouse=True)
def _fresh_channel_layer() -> Any:
    """Each test gets a new channel layer instance (the in-memory one keeps state)."""
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _no_presence_task(settings: Any) -> None:
    """No heartbeat or sweeper task in the test's event loop: tests call ``sweep_due`` with
    the ``now`` they choose (the servers the end-to-end tests start run their own)."""
    settings.PRESENCE_BACKGROUND = False


@pytest.fixture(autouse=True)
def _fresh_limits(settings: Any) -> None:
    """Each test counts abuse limits afresh (on locmem and on a shared Redis alike)."""
    settings.LIMITS_NAMESPACE = f"test-{uuid.uuid4().hex}"


@pytest.fixture(scope="session", autouse=True)
def _close_database_pool(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Close the message writers' pooled connections before the test database is dropped."""
    yield
    message_writes.writers.close_all()
    with django_db_blocker.unblock():
        dbpool.shutdown()


@pytest.fixture
def unit(db: None) -> Unit:
    return Unit.objects.create(
        code="KAT", name="KWP Katowice", country="PL", languages=["pl", "en"]
    )


@pytest.fixture
def other_unit(db: None) -> Unit:
    return Unit.objects.create(code="OVA", name="KRP Ostrava", country="CZ", languages=["cs"])


@pytest.fixture
def make_officer(unit: Unit) -> Callable[..., AbstractUser]:
    def make(
        username: str = "anna",
        *,
        languages: list[str] | None = None,
        on_duty: bool = True,
        supervisor: bool = False,
        max_chats: int = 3,
        in_unit: Unit | None = None,
    ) -> AbstractUser:
        user = staff_create(
            username=username,
            password="pw-" + username,
            display_name=username.capitalize(),
            unit=in_unit or unit,
            languages=languages or ["pl", "en"],
            supervisor=supervisor,
            max_concurrent_chats=max_chats,
        )
        profile = user.officer_profile  # type: ignore[attr-defined]
        profile.on_duty = on_duty
        profile.save()
        return user

    return make


def session_cookie_for(user: AbstractUser) -> bytes:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()


class Socket:
    """A websocket client through the real ASGI stack, with JSON helpers."""

    def __init__(self, communicator: WebsocketCommunicator) -> None:
        self.communicator = communicator

    async def send(self, frame: dict[str, Any]) -> None:
        await self.communicator.send_to(text_data=json.dumps(frame))

    async def send_raw(self, *, text: str | None = None, data: bytes | None = None) -> None:
        await self.communicator.send_to(text_data=text, bytes_data=data)

    async def receive(self, timeout: float = 3) -> dict[str, Any]:
        raw = await self.communicator.receive_from(timeout=timeout)
        return json.loads(raw)

    async def receive_until(
        self, frame_type: str, timeout: float = 3, **match: Any
    ) -> dict[str, Any]:
        """Receive frames until one of ``frame_type`` (matching ``match``) arrives; return it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            frame = await self.receive(timeout=max(0.05, deadline - loop.time()))
            if frame.get("type") == frame_type and all(frame.get(k) == v for k, v in match.items()):
                return frame

    async def stored(self, client_id: str, timeout: float = 3) -> dict[str, Any]:
        """Our new message's own ``message`` frame: how the server confirms it is stored."""
        return await self.receive_until("message", timeout=timeout, client_id=client_id)

    async def collect(self, timeout: float = 0.3) -> list[dict[str, Any]]:
        """Every frame that arrives within ``timeout`` seconds of silence."""
        frames: list[dict[str, Any]] = []
        while not await self.communicator.receive_nothing(timeout=timeout):
            frames.append(await self.receive())
        return frames

    async def nothing(self, timeout: float = 0.2) -> bool:
        return await self.communicator.receive_nothing(timeout=timeout)

    async def close(self) -> None:
        await self.communicator.disconnect()


@pytest.fixture
async def sockets() -> AsyncIterator[Callable[..., Any]]:
    """Open websockets to the real ASGI application; all are disconnected afterwards."""
    from poradnia.asgi import application

    opened: list[Socket] = []

    async def open_socket(
        path: str,
        *,
        user: AbstractUser | None = None,
        headers: list[tuple[bytes, bytes]] | None = None,
    ) -> Socket:
        all_headers = [ORIGIN, *(headers or [])]
        if user is not None:
            cookie = await database_sync_to_async(session_cookie_for)(user)
            all_headers.append((b"cookie", cookie))
        communicator = WebsocketCommunicator(application, path, headers=all_headers)
        connected, _ = await communicator.connect()
        assert connected
        sock = Socket(communicator)
        opened.append(sock)
        return sock

    yield open_socket
    for sock in opened:
        with contextlib.suppress(Exception):  # already closed by the test or the server
            await sock.close()
    # Let the grace timers of closed sockets run against the still-open test database.
    await asyncio.sleep(0)
    # Close the database connection the async consumers used (it lives in asgiref's thread),
    # so PostgreSQL can drop the test database at the end.
    await database_sync_to_async(connections.close_all)()


def cid() -> str:
    return uuid.uuid4().hex


async def start_citizen(sockets: Callable[..., Any], **start: Any) -> tuple[Socket, str]:
    """A citizen who opened the chat and started a conversation; returns (socket, token)."""
    citizen = await sockets("/ws/citizen/")
    await citizen.send({"type": "conversation.start", **start})
    started = await citizen.receive_until("conversation.started")
    return citizen, started["token"]


async def officer_online(sockets: Callable[..., Any], user: AbstractUser) -> Socket:
    """An officer console connected, with its initial state and queue read."""
    officer = await sockets("/ws/officer/", user=user)
    await officer.receive_until("officer.state")
    await officer.receive_until("queue.snapshot")
    return officer
