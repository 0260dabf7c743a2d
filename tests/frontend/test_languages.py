"""The citizen page speaks the browser's language or the one chosen, in every UI language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

START_CHAT = {
    "pl": "Rozpocznij czat",
    "cs": "Zahájit chat",
    "en": "Start chat",
    "uk": "Почати чат",
    "de": "Chat starten",
    "sk": "Začať chat",
    "lt": "Pradėti pokalbį",
    "nb": "Start chat",
    "ru": "Начать чат",
}


@pytest.mark.parametrize("language", settings.UI_LANGUAGES)
def test_citizen_page_follows_accept_language(client: Client, language: str):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=f"{language};q=0.9, en;q=0.1")
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert START_CHAT[language] in html
    assert response["Content-Language"] == language


def test_explicit_choice_wins_over_the_browser(client: Client):
    response = client.get("/?lang=uk", HTTP_ACCEPT_LANGUAGE="de")
    assert '<html lang="uk"' in response.content.decode()
    assert '"chosen_language": "uk"' in response.content.decode()


def test_unknown_language_falls_back_to_english(client: Client):
    response = client.get("/?lang=xx", HTTP_ACCEPT_LANGUAGE="ja")
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert '"chosen_language": ""' in html


def test_a_language_without_ui_uses_the_next_one_the_browser_lists(client: Client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr, cs;q=0.8, en;q=0.5")
    assert '<html lang="cs"' in response.content.decode()


@pytest.mark.parametrize("header", ["no", "nn-NO, en;q=0.5", "nb-NO"])
def test_norwegian_browsers_get_bokmal(client: Client, header: str):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
    assert '<html lang="nb"' in response.content.decode()
    assert response["Content-Language"] == "nb"
