"""Websockets open only from an origin on the allow-list: scheme, host and port exactly."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from advice.models import AuditEvent
from poradnia.origins import OriginError, origin_allowed, origins_allow_list
from tests.conftest import session_cookie_for

pytestmark = pytest.mark.django_db(transaction=True)


async def officer_handshake(user, origin: bytes) -> tuple[bool, WebsocketCommunicator]:
    from poradnia.asgi import application

    cookie = await database_sync_to_async(session_cookie_for)(user)
    communicator = WebsocketCommunicator(
        application, "/ws/officer/", headers=[(b"origin", origin), (b"cookie", cookie)]
    )
    connected, _ = await communicator.connect()
    return connected, communicator


async def test_an_officer_socket_from_another_port_of_the_same_host_is_refused(
    settings, make_officer
):
    settings.WEBSOCKET_ALLOWED_ORIGINS = ["http://localhost:8000"]
    anna = await database_sync_to_async(make_officer)("anna")

    connected, _ = await officer_handshake(anna, b"http://localhost:6666")
    assert not connected

    connected, communicator = await officer_handshake(anna, b"http://localhost:8000")
    assert connected
    assert (await communicator.receive_json_from())["type"] == "officer.state"
    await communicator.disconnect()


@pytest.mark.parametrize(
    "origin",
    [
        b"http://localhost",  # default port 80, not 8000
        b"https://localhost:8000",  # another scheme
        b"http://localhost.evil.example:8000",
        b"http://127.0.0.1:8000",  # another host name for the same machine
        b"null",
    ],
)
async def test_origins_that_differ_in_any_part_are_refused(settings, make_officer, origin):
    settings.WEBSOCKET_ALLOWED_ORIGINS = ["http://localhost:8000"]
    anna = await database_sync_to_async(make_officer)("anna")
    connected, _ = await officer_handshake(anna, origin)
    assert not connected


async def test_a_socket_without_an_origin_is_refused():
    from poradnia.asgi import application

    communicator = WebsocketCommunicator(application, "/ws/citizen/")
    connected, _ = await communicator.connect()
    assert not connected


def test_the_embedded_mode_allows_exactly_the_development_servers_origins():
    allowed = origins_allow_list(
        explicit="", csrf_trusted="", allowed_hosts=["localhost"], dev_port=8123
    )
    assert allowed == ["http://127.0.0.1:8123", "http://localhost:8123"]
    assert origin_allowed("http://localhost:8123", allowed)
    assert not origin_allowed("http://localhost:6666", allowed)


def test_an_explicit_list_wins_and_default_ports_are_the_same_origin():
    allowed = origins_allow_list(
        explicit="https://poradnia.example:443, https://konzultace.example",
        csrf_trusted="https://other.example",
        allowed_hosts=[],
        dev_port=None,
    )
    assert allowed == ["https://poradnia.example", "https://konzultace.example"]
    assert origin_allowed("https://poradnia.example", allowed)
    assert not origin_allowed("https://other.example", allowed)


def test_production_falls_back_to_https_on_each_exact_allowed_host():
    allowed = origins_allow_list(
        explicit="",
        csrf_trusted="",
        allowed_hosts=["poradnia.example", ".example.org", "*"],
        dev_port=None,
    )
    assert allowed == ["https://poradnia.example"]


@pytest.mark.parametrize("entry", ["https://*.example.com", "poradnia.example", "ftp://x"])
def test_an_entry_that_is_not_an_exact_origin_is_a_configuration_error(entry):
    with pytest.raises(OriginError):
        origins_allow_list(explicit=entry, csrf_trusted="", allowed_hosts=[], dev_port=None)


async def test_a_refused_origin_is_audited_once_per_minute_per_address(settings):
    from poradnia.asgi import application

    settings.WEBSOCKET_ALLOWED_ORIGINS = ["http://localhost:8000"]
    address = f"2001:db8::{id(settings) % 65536:x}"
    for _ in range(20):
        communicator = WebsocketCommunicator(
            application, "/ws/citizen/", headers=[(b"origin", b"http://localhost:6666")]
        )
        communicator.scope["client"] = [address, 50000]
        connected, _ = await communicator.connect()
        assert not connected
    events = [e async for e in AuditEvent.objects.filter(action="socket.refused")]
    assert len(events) == 1
    assert events[0].params["reason"] == "origin"
    assert events[0].params["origin"] == "http://localhost:6666"
    assert address not in str(events[0].params)
