"""Error pages are the service's own, in the reader's language, never Django's debug page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.utils import translation
from django.views import defaults

pytestmark = pytest.mark.django_db


def assert_own_page(content: bytes, *texts: str) -> None:
    html = content.decode()
    assert 'class="error-page"' in html
    assert "/static/frontend/css/base.css" in html
    for text in texts:
        assert text in html
    for debug in ("Traceback", "DEBUG = True", "Request Method", "CSRF verification failed"):
        assert debug not in html


def test_an_unknown_address_shows_page_not_found_in_the_readers_language(client: Client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 404
    assert_own_page(response.content, "Nie znaleziono strony", 'lang="pl"')


def test_a_visitor_without_an_officer_profile_sees_access_denied(db):
    user = get_user_model().objects.create_user("visitor", password="x-visitor-pw")
    client = Client()
    client.force_login(user)
    response = client.get("/console/cases/", HTTP_ACCEPT_LANGUAGE="cs")
    assert response.status_code == 403
    assert_own_page(response.content, "Přístup odepřen", "Zpět do konzole")
    # The refusal's English detail ("Officers only.") is for the log, not the page.
    assert "Officers only" not in response.content.decode()


def test_a_form_without_a_valid_token_says_reload_and_try_again(make_officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_officer("anna"))
    response = client.post("/console/cases/1/notes/", {"text": "x"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 403
    assert_own_page(
        response.content,
        "Das Formular wurde nicht angenommen",
        "Das Formular ist abgelaufen oder wurde von einer anderen Seite gesendet",
    )


@pytest.mark.parametrize(
    ("handler", "status", "text"),
    [
        (defaults.server_error, 500, "Щось пішло не так з нашого боку"),
        (defaults.bad_request, 400, "Неправильний запит"),
    ],
)
def test_server_error_and_bad_request_pages_are_translated(handler, status, text):
    request = RequestFactory().get("/")
    with translation.override("uk"):
        response = (
            handler(request) if status == 500 else handler(request, exception=ValueError("x"))
        )
    assert response.status_code == status
    assert_own_page(response.content, text, 'lang="uk"')
