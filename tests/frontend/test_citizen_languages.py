"""The citizen page, its scripts' strings, /help/ and the console's canned replies are served
in full in Slovak, Russian, Lithuanian and Norwegian, with no English left."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from frontend import ui_text

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
NEW_LANGUAGES = ("sk", "ru", "lt", "nb")
CITIZEN_TEMPLATES = ("citizen.html", "base.html", "_helplines.html")
TEMPLATE_STRING = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""")
# The start form as the citizen first sees it: skip link, top bar, start view and footer.
START_REGIONS = {"skip-link", "topbar", "start-view", "helplines-footer"}


def english_citizen_strings() -> set[str]:
    """The English msgstrs of every string the citizen page shows or hands its scripts."""
    english = polib.pofile(str(ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    msgstr = {entry.msgid: entry.msgstr for entry in english if not entry.msgctxt}
    found: set[str] = set()
    for name in CITIZEN_TEMPLATES:
        text = (ROOT / "frontend" / "templates" / "frontend" / name).read_text()
        found.update(msgstr[m.group(2)] for m in TEMPLATE_STRING.finditer(text))
    with translation.override("en"):
        found.update(ui_text.category_labels().values())
        found.update(ui_text.citizen_strings().values())
    return {text for text in found if text}


class StartFormText(HTMLParser):
    """Text and labelling attributes inside the start form's regions; scripts skipped."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.texts: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        marks = {values.get("id") or "", *(values.get("class") or "").split()}
        inside = bool(self.stack and self.stack[-1]) or bool(marks & START_REGIONS)
        if tag in ("meta", "link", "input", "br", "img"):
            if inside:
                self._attributes(values)
            return
        self.stack.append(inside)
        self.in_script = tag in ("script", "style")
        if inside:
            self._attributes(values)

    def _attributes(self, values: dict[str, str | None]) -> None:
        for name in ("aria-label", "title", "placeholder", "alt"):
            if values.get(name):
                self.texts.append(values[name] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("meta", "link", "input", "br", "img"):
            return
        if self.stack:
            self.stack.pop()
        self.in_script = False

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self.in_script and self.stack and self.stack[-1]:
            self.texts.append(text)


def start_form_texts(html: str) -> list[str]:
    parser = StartFormText()
    parser.feed(html)
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    return [title.group(1).strip() if title else "", *parser.texts]


def json_blob(html: str, element_id: str) -> dict[str, object]:
    pattern = rf'<script id="{element_id}" type="application/json">(.*?)</script>'
    match = re.search(pattern, html, re.S)
    assert match, f"no #{element_id} blob"
    return dict(json.loads(match.group(1)))


def assert_no_english(html: str, language: str) -> None:
    english = english_citizen_strings()
    assert len(english) > 60
    texts = start_form_texts(html)
    assert len(texts) > 30, texts
    left = [text for text in texts if text.strip(" –—:") in english]
    visible = "\n".join(texts)
    left += [text for text in english if len(text) > 10 and text in visible]
    assert left == [], (language, left)
    with translation.override("en"):
        english_blob = ui_text.citizen_strings()
    blob = json_blob(html, "i18n")
    assert blob.keys() == english_blob.keys()
    same = [key for key, text in blob.items() if text == english_blob[key]]
    assert same == [], (language, same)


def assert_in_language(html: str, language: str) -> None:
    assert f'<html lang="{language}"' in html
    with translation.override(language):
        for msgid in ("Start chat", "Talk to a police adviser online", "Quick exit"):
            translated = gettext(msgid)
            assert translated != msgid
            assert translated in html


@pytest.mark.parametrize("language", NEW_LANGUAGES)
def test_citizen_page_follows_accept_language_with_no_english_left(client: Client, language: str):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=f"{language}, en;q=0.5")
    html = response.content.decode()
    assert response["Content-Language"] == language
    assert '"chosen_language": ""' in html
    assert_in_language(html, language)
    assert_no_english(html, language)


@pytest.mark.parametrize("language", NEW_LANGUAGES)
def test_citizen_page_in_the_picked_language_with_no_english_left(client: Client, language: str):
    response = client.get(f"/?lang={language}", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response["Content-Language"] == language
    assert f'"chosen_language": "{language}"' in html
    assert f'<option value="{language}" lang="{language}" selected>' in html
    assert_in_language(html, language)
    assert_no_english(html, language)


def test_language_picker_offers_every_supported_language(client: Client):
    html = client.get("/").content.decode()
    picked = re.findall(r'<option value="(\w+)" lang="\w+"', html)
    assert picked == [code for code, _name in settings.LANGUAGES]


@pytest.mark.parametrize("language", NEW_LANGUAGES)
def test_help_pages_chrome_is_in_the_language(client: Client, language: str):
    html = client.get(f"/help/?lang={language}").content.decode()
    assert f'<html lang="{language}">' in html
    with translation.override(language):
        for msgid in ("In danger or need help now?", "Go to the Poradnia chat", "Self-help"):
            assert gettext(msgid) != msgid
            assert gettext(msgid) in html
            assert msgid not in html


def test_console_has_canned_replies_in_every_interface_language(client_for):
    html = client_for("anna").get("/console/").content.decode()
    canned: dict[str, list[dict[str, str]]] = json_blob(html, "page-config")["canned"]  # type: ignore[assignment]
    assert list(canned) == settings.UI_LANGUAGES
    english = {reply["shortcut"]: reply["text"] for reply in canned["en"]}
    for language in NEW_LANGUAGES:
        replies = {reply["shortcut"]: reply["text"] for reply in canned[language]}
        assert replies.keys() == english.keys()
        assert all(replies[key] != english[key] for key in english), language
    assert "112" in {r["shortcut"]: r["text"] for r in canned["lt"]}["danger"]
