"""Staff logins are limited with django-axes: 5 failures per user name and address lock out."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

LOCKED = 429


def attempt(client: Client, username: str, password: str, **extra: str):
    return client.post(
        "/console/login/", {"username": username, "password": password, **extra}, **_meta(client)
    )


def _meta(client: Client) -> dict[str, str]:
    return {"REMOTE_ADDR": getattr(client, "address", "192.0.2.10")}


def client_from(address: str) -> Client:
    client = Client()
    client.address = address  # type: ignore[attr-defined]
    return client


def page_text(response) -> str:
    """The response without its per-request CSRF token (the only part allowed to differ)."""
    return re.sub(r'value="[^"]{32,}"', 'value=""', response.content.decode())


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(make_officer):
    make_officer("anna")
    unknown = attempt(client_from("192.0.2.1"), "nobody", "guess")
    wrong = attempt(client_from("192.0.2.2"), "anna", "guess")
    assert unknown.status_code == wrong.status_code == 200
    assert page_text(unknown).replace("nobody", "X") == page_text(wrong).replace("anna", "X")


def test_the_fifth_failure_locks_out_known_and_unknown_users_alike(make_officer):
    make_officer("anna")
    for username in ("anna", "nobody"):
        client = client_from("192.0.2.20")
        for _ in range(4):
            assert attempt(client, username, "guess").status_code == 200
        assert attempt(client, username, "guess").status_code == LOCKED
        # Locked: even the right password is refused now.
        assert attempt(client, username, f"pw-{username}").status_code == LOCKED


def test_the_lockout_holds_one_user_name_from_one_address(make_officer):
    make_officer("anna")
    attacker = client_from("192.0.2.30")
    for _ in range(5):
        attempt(attacker, "anna", "guess")
    assert attempt(attacker, "anna", "pw-anna").status_code == LOCKED
    colleague = client_from("192.0.2.31")
    assert attempt(colleague, "anna", "pw-anna").status_code == 302


def test_the_lockout_page_is_translated(make_officer):
    client = client_from("192.0.2.40")
    for _ in range(5):
        attempt(client, "anna", "guess")
    response = client.post(
        "/console/login/",
        {"username": "anna", "password": "x"},
        REMOTE_ADDR="192.0.2.40",
        HTTP_ACCEPT_LANGUAGE="pl",
    )
    assert response.status_code == LOCKED
    assert "Zbyt wiele prób. Spróbuj ponownie później." in response.content.decode()


def test_addresses_are_stored_only_as_a_pseudonym(make_officer):
    attempt(client_from("192.0.2.50"), "anna", "guess")
    stored = AccessAttempt.objects.get().ip_address
    assert stored != "192.0.2.50"
    assert stored.startswith("fd")
    attempt(client_from("192.0.2.50"), "anna", "guess")
    assert AccessAttempt.objects.get().ip_address == stored


def test_wrong_authenticator_codes_count_towards_the_lockout(settings, make_officer):
    settings.STAFF_TWO_FACTOR = True
    user = make_officer("anna")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = client_from("192.0.2.60")
    for _ in range(4):
        assert attempt(client, "anna", "pw-anna", otp_token="000000").status_code == 200
    assert attempt(client, "anna", "pw-anna", otp_token="000000").status_code == LOCKED
