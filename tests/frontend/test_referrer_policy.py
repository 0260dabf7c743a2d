"""One referrer policy per kind of page, from the middleware: citizen pages tell other sites
nothing; staff pages keep their origin so that their forms pass the CSRF check."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/?lang=uk", "/weather/", "/help/", "/no-such-page/"])
def test_citizen_facing_pages_send_no_referrer(client: Client, url):
    response = client.get(url)
    assert response["Referrer-Policy"] == "no-referrer"
    assert b'name="referrer"' not in response.content


@pytest.mark.parametrize(
    "url",
    ["/console/", "/console/cases/", "/console/cases/inbox/", "/supervisor/", "/supervisor/stats/"],
)
def test_staff_pages_send_their_origin_with_their_forms(client_for, url):
    response = client_for("marek", supervisor=True).get(url)
    assert response["Referrer-Policy"] == "same-origin"
    assert b'name="referrer"' not in response.content


@pytest.mark.parametrize("url", ["/console/login/", "/admin/login/"])
def test_staff_login_pages_send_their_origin_with_their_forms(client: Client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    assert b'name="referrer"' not in response.content
