"""Every page renders for the people it is for, and only for them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db


def test_citizen_and_neutral_pages_render_for_anyone(client: Client):
    citizen = client.get("/")
    assert citizen.status_code == 200
    assert b'id="prechat-form"' in citizen.content
    assert b'id="quick-exit"' in citizen.content
    neutral = client.get("/weather/")
    assert neutral.status_code == 200


def test_console_requires_login(client: Client):
    response = client.get("/console/")
    assert response.status_code == 302
    assert response["Location"].startswith("/console/login/")


def test_login_page_renders_a_form(client: Client):
    response = client.get("/console/login/")
    assert response.status_code == 200
    assert b'name="password"' in response.content


def test_console_refuses_a_user_who_is_not_an_officer(db):
    user = get_user_model().objects.create_user("visitor", password="x-visitor-pw")
    client = Client()
    client.force_login(user)
    assert client.get("/console/").status_code == 403
    assert client.get("/supervisor/").status_code == 403


def test_console_renders_for_an_officer(client_for):
    response = client_for("anna").get("/console/")
    assert response.status_code == 200
    assert b'id="queue-list"' in response.content
    assert b"Anna" in response.content


def test_supervisor_page_is_for_supervisors_only(client_for):
    assert client_for("anna").get("/supervisor/").status_code == 403
    response = client_for("marek", supervisor=True).get("/supervisor/")
    assert response.status_code == 200
    assert b'id="live-tiles"' in response.content


def test_favicon_points_at_the_neutral_icon(client: Client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("frontend/img/icon.svg")
