"""An open staff socket dies with its login: logout, disabled account, lost role, new
password, revoked second factor or expired session close it with 4401 within 5 seconds."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import ORIGIN

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT_SECONDS = 5


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


async def staff_socket(client: Client, path: str = "/ws/officer/") -> WebsocketCommunicator:
    from poradnia.asgi import application

    name = settings.SESSION_COOKIE_NAME
    cookie = f"{name}={client.cookies[name].value}".encode()
    communicator = WebsocketCommunicator(application, path, headers=[ORIGIN, (b"cookie", cookie)])
    connected, _ = await communicator.connect()
    assert connected
    first = json.loads(await communicator.receive_from())
    assert first["type"] in ("officer.state", "supervisor.live")
    return communicator


async def closing(communicator: WebsocketCommunicator) -> tuple[str | None, int | None, float]:
    """Wait for the server's close: the ``session.revoked`` reason, the close code, seconds."""
    loop = asyncio.get_running_loop()
    began = loop.time()
    reason = None
    while True:
        output = await communicator.receive_output(timeout=LIMIT_SECONDS + 1)
        if output["type"] == "websocket.close":
            return reason, output.get("code"), loop.time() - began
        frame = json.loads(output["text"])
        if frame["type"] == "session.revoked":
            reason = frame["reason"]


async def assert_closed_for(communicator: WebsocketCommunicator, reason: str) -> None:
    got, code, seconds = await closing(communicator)
    assert (got, code) == (reason, 4401)
    assert seconds < LIMIT_SECONDS
    await communicator.disconnect()


async def test_logging_out_closes_the_console_socket_at_once(make_officer):
    user = await database_sync_to_async(make_officer)("anna")
    client = await database_sync_to_async(logged_in)(user)
    communicator = await staff_socket(client)
    await database_sync_to_async(client.post)(reverse("frontend:logout"))
    got, code, seconds = await closing(communicator)
    assert (got, code) == ("logged_out", 4401)
    assert seconds < 1
    await communicator.disconnect()


async def test_logging_out_elsewhere_leaves_another_login_of_the_same_officer_open(make_officer):
    user = await database_sync_to_async(make_officer)("anna")
    office = await database_sync_to_async(logged_in)(user)
    home = await database_sync_to_async(logged_in)(user)
    stays = await staff_socket(office)
    goes = await staff_socket(home)
    await database_sync_to_async(home.post)(reverse("frontend:logout"))
    await assert_closed_for(goes, "logged_out")
    await asyncio.sleep(settings.STAFF_SESSION_CHECK_SECONDS + 0.5)
    await stays.send_to(text_data=json.dumps({"type": "ping"}))
    while (frame := json.loads(await stays.receive_from(timeout=1)))["type"] != "pong":
        assert frame["type"] != "session.revoked"
    await stays.disconnect()


async def test_a_disabled_account_loses_its_console_socket(make_officer):
    user = await database_sync_to_async(make_officer)("anna")
    communicator = await staff_socket(await database_sync_to_async(logged_in)(user))
    user.is_active = False
    await database_sync_to_async(user.save)()
    await assert_closed_for(communicator, "account_disabled")


async def test_an_officer_removed_from_the_officers_group_loses_the_console(make_officer):
    user = await database_sync_to_async(make_officer)("anna")
    communicator = await staff_socket(await database_sync_to_async(logged_in)(user))
    group = await Group.objects.aget(name="officers")
    await database_sync_to_async(user.groups.remove)(group)
    await assert_closed_for(communicator, "role_removed")


async def test_a_supervisor_removed_from_the_supervisors_group_loses_the_live_view(make_officer):
    user = await database_sync_to_async(make_officer)("marek", supervisor=True)
    client = await database_sync_to_async(logged_in)(user)
    communicator = await staff_socket(client, "/ws/supervisor/")
    group = await Group.objects.aget(name="supervisors")
    await database_sync_to_async(user.groups.remove)(group)
    await assert_closed_for(communicator, "role_removed")


async def test_a_password_change_closes_the_sockets_of_older_logins(make_officer):
    user = await database_sync_to_async(make_officer)("anna")
    communicator = await staff_socket(await database_sync_to_async(logged_in)(user))
    user.set_password("a-new-password-2026")
    await database_sync_to_async(user.save)()
    await assert_closed_for(communicator, "password_changed")


async def test_an_expired_session_closes_the_socket(make_officer):
    user = await database_sync_to_async(make_officer)("anna")
    client = await database_sync_to_async(logged_in)(user)
    communicator = await staff_socket(client)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    await Session.objects.filter(session_key=key).aupdate(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    await assert_closed_for(communicator, "expired")


async def test_a_revoked_second_factor_closes_the_socket(settings, make_officer):
    settings.STAFF_TWO_FACTOR = True
    user = await database_sync_to_async(make_officer)("anna")
    device = await TOTPDevice.objects.acreate(user=user, name="phone", confirmed=True)

    def verified_client() -> Client:
        client = logged_in(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    communicator = await staff_socket(await database_sync_to_async(verified_client)())
    await device.adelete()
    await assert_closed_for(communicator, "device_revoked")


async def test_a_socket_whose_session_was_deleted_before_connecting_is_refused(make_officer):
    user = await database_sync_to_async(make_officer)("anna")
    client = await database_sync_to_async(logged_in)(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    await Session.objects.filter(session_key=key).adelete()
    from poradnia.asgi import application

    cookie = f"{settings.SESSION_COOKIE_NAME}={key}".encode()
    communicator = WebsocketCommunicator(
        application, "/ws/officer/", headers=[ORIGIN, (b"cookie", cookie)]
    )
    await communicator.connect()
    output = await communicator.receive_output()
    assert output["type"] == "websocket.send"
    assert (await communicator.receive_output())["code"] == 4401
    await communicator.disconnect()
