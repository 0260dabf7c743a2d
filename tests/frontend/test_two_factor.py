"""Two-factor login for staff: enrolment of an authenticator app, codes at login, sockets."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import ORIGIN

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def login(client: Client, username: str, code: str = "") -> object:
    return client.post(
        "/console/login/", {"username": username, "password": f"pw-{username}", "otp_token": code}
    )


@pytest.fixture
def required(settings):
    settings.STAFF_TWO_FACTOR = True


def test_without_a_second_factor_the_console_sends_staff_to_enrol(required, make_officer):
    make_officer("anna")
    client = Client()
    login(client, "anna")
    response = client.get("/console/")
    assert response.status_code == 302
    assert response["Location"] == "/console/two-factor/"
    assert client.get("/console/cases/").status_code == 302
    assert client.get("/supervisor/").status_code == 302

    page = client.get("/console/two-factor/")
    assert page.status_code == 200
    qr = client.get("/console/two-factor/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content

    device = TOTPDevice.objects.get(user__username="anna", confirmed=False)
    wrong = client.post(
        "/console/two-factor/",
        {"token": "000000" if current_code(device) != "000000" else "111111"},
    )
    assert wrong.status_code == 200
    assert "not valid" in wrong.content.decode()
    done = client.post("/console/two-factor/", {"token": current_code(device)})
    assert done.status_code == 302
    assert done["Location"] == "/console/"
    assert client.get("/console/").status_code == 200


def test_an_enrolled_officer_needs_the_code_at_login(make_officer):
    user = make_officer("anna")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    without = Client()
    response = login(without, "anna")
    assert response.status_code == 200
    assert "authenticator" in response.content.decode()
    assert "_auth_user_id" not in without.session

    with_code = Client()
    assert login(with_code, "anna", current_code(device)).status_code == 302
    assert with_code.get("/console/").status_code == 200


async def officer_socket(client: Client) -> WebsocketCommunicator:
    from poradnia.asgi import application

    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    communicator = WebsocketCommunicator(
        application, "/ws/officer/", headers=[ORIGIN, (b"cookie", cookie)]
    )
    connected, _ = await communicator.connect()
    assert connected
    return communicator


@pytest.mark.django_db(transaction=True)
async def test_a_console_socket_without_the_second_factor_is_refused(settings, make_officer):
    settings.STAFF_TWO_FACTOR = True
    user = await database_sync_to_async(make_officer)("anna")
    client = Client()
    await database_sync_to_async(client.force_login)(user)
    communicator = await officer_socket(client)
    error = json.loads(await communicator.receive_from())
    assert error["code"] == "not_allowed"
    assert (await communicator.receive_output())["code"] == 4403

    device = await TOTPDevice.objects.acreate(user=user, name="phone", confirmed=True)
    verified = Client()
    await database_sync_to_async(login)(verified, "anna", current_code(device))
    communicator = await officer_socket(verified)
    assert json.loads(await communicator.receive_from())["type"] == "officer.state"
    await communicator.disconnect()
