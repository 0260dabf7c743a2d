"""The citizen page and the quick-exit page leave no cookie and are not cached."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/?lang=pl", "/weather/"])
def test_citizen_facing_pages_set_no_cookie(url):
    client = Client()
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="cs")
    assert response.status_code == 200
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers
    assert client.cookies == {}


def test_citizen_page_is_not_stored_by_the_browser_cache(client: Client):
    response = client.get("/")
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_citizen_page_links_nothing_from_another_origin(client: Client):
    html = client.get("/").content.decode()
    for attribute in ('src="http', "src='http", 'href="http', "href='http", 'src="//', 'href="//'):
        assert attribute not in html


def test_console_page_does_set_the_csrf_cookie_for_its_requests(client_for):
    response = client_for("anna").get("/console/")
    assert "csrftoken" in response.cookies
