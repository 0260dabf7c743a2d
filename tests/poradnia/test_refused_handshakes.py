"""Every refused staff handshake is audited: no session, wrong role; a flood writes one row."""

from __future__ import annotations

import uuid

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from advice.models import AuditEvent
from tests.conftest import ORIGIN, officer_online, session_cookie_for

pytestmark = pytest.mark.django_db(transaction=True)


def random_address() -> str:
    return f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"


async def refused_close(path: str, *, address: str, cookie: bytes | None = None) -> int:
    from poradnia.asgi import application

    headers = [ORIGIN] + ([(b"cookie", cookie)] if cookie else [])
    communicator = WebsocketCommunicator(application, path, headers=headers)
    communicator.scope["client"] = [address, 40000]
    connected, _ = await communicator.connect()
    assert connected
    while True:
        output = await communicator.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            await communicator.wait()
            return int(output["code"])


async def refusals() -> list[dict]:
    return [e.params async for e in AuditEvent.objects.filter(action="socket.refused")]


async def test_an_officer_socket_without_a_session_is_audited_once_per_minute():
    address = random_address()
    for _ in range(10):
        assert await refused_close("/ws/officer/", address=address) == 4401
    [event] = await refusals()
    assert event["reason"] == "no_session"
    assert event["path"] == "/ws/officer/"


async def test_an_officer_on_the_supervisor_socket_is_audited_as_wrong_role(make_officer):
    anna = await database_sync_to_async(make_officer)("anna")
    cookie = await database_sync_to_async(session_cookie_for)(anna)
    assert await refused_close("/ws/supervisor/", address=random_address(), cookie=cookie) == 4403
    [event] = await refusals()
    assert event["reason"] == "wrong_role"


async def test_each_address_and_reason_gets_its_own_event():
    await refused_close("/ws/officer/", address=random_address())
    await refused_close("/ws/officer/", address=random_address())
    assert len(await refusals()) == 2


async def test_a_socket_that_was_accepted_is_not_a_refusal(sockets, make_officer):
    anna = await database_sync_to_async(make_officer)("anna")
    officer = await officer_online(sockets, anna)
    await officer.close()
    assert await refusals() == []
