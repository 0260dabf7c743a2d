"""The self-help pages at /help/ work without JavaScript, in the visitor's language."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

from advice.models import Unit

pytestmark = pytest.mark.django_db


def page(client, url, **headers):
    response = client.get(url, **headers)
    return response, response.content.decode()


def test_list_is_in_the_browser_language_and_grouped(client, seeded_module):
    response, html = page(client, "/help/", HTTP_ACCEPT_LANGUAGE="pl-PL,pl;q=0.9,en;q=0.5")
    assert response.status_code == 200
    assert '<html lang="pl">' in html
    assert response["Content-Language"] == "pl"
    assert "Pierwsze kroki w pierwszej godzinie" in html
    assert "Zatrzymaj przelew — teraz" in html
    # Grouped: first steps, crimes, evidence checklists, support.
    order = [html.index(f'id="{key}"') for key in ("now", "crimes", "evidence", "support")]
    assert order == sorted(order)
    assert 'href="/help/first-hour/?lang=pl"' in html


def test_every_page_shows_the_emergency_numbers_as_phone_links(client, seeded_module):
    for url in ("/help/?lang=uk", "/help/sextortion/?lang=de"):
        _response, html = page(client, url)
        for number, tel in (("112", "112"), ("116 006", "116006"), ("116 111", "116111")):
            assert f'href="tel:{tel}"' in html
            assert f">{number}</a>" in html


def test_pages_work_without_javascript_and_have_no_inline_styles(client, seeded_module):
    quick_exit = '<script type="module" src="/static/frontend/js/citizen/exit_only.js"></script>'
    for url in ("/help/", "/help/phishing/", "/help/preserve-evidence/?lang=cs"):
        response, html = page(client, url)
        # The one script is the quick-exit module; without it quick exit is a plain link.
        assert html.count("<script") == 1
        assert quick_exit in html
        assert 'id="quick-exit" class="quick-exit" href="/weather/?lang=' in html
        assert not re.search(r"\sstyle\s*=|<style", html, re.IGNORECASE)
        assert not re.search(r"\son\w+\s*=", html)
        assert "'unsafe-inline'" not in response.get("Content-Security-Policy", "")
    assert finders.find("knowledge_base/help.css")


def test_language_can_be_switched_with_a_plain_link(client, seeded_module):
    _response, html = page(client, "/help/phishing/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Fake websites, text messages and e-mails (phishing)" in html
    assert 'href="?lang=uk"' in html
    _response, html = page(client, "/help/phishing/?lang=uk", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="uk">' in html
    assert "Фальшиві сайти, SMS та листи (фішинг)" in html
    assert 'href="/help/?lang=uk"' in html


def test_an_unknown_lang_parameter_is_ignored(client, seeded_module):
    _response, html = page(client, "/help/?lang=xx", HTTP_ACCEPT_LANGUAGE="de")
    assert '<html lang="de">' in html
    assert "Die ersten Schritte in der ersten Stunde" in html


def test_article_shows_sanitised_body_and_says_when_another_language_is_shown(
    client, seeded_module
):
    response, html = page(client, "/help/ransomware/?lang=de")
    assert response.status_code == 200
    assert "<h1>Schadsoftware und Ransomware</h1>" in html
    assert 'href="https://www.nomoreransom.org" rel="noopener noreferrer nofollow"' in html
    assert 'class="notice"' not in html

    _response, html = page(client, "/help/ransomware/?lang=sk")
    assert '<html lang="sk">' in html
    assert '<article lang="cs">' in html
    assert 'class="notice"' in html
    assert "Škodlivý software a ransomware" in html


def test_unpublished_and_unknown_articles_are_404(client, make_article):
    make_article("draft", {"en": ("Draft", "Not ready")}, published=False)
    assert client.get("/help/draft/").status_code == 404
    assert client.get("/help/no-such-article/").status_code == 404
    assert client.get("/help/").status_code == 200


def test_support_page_lists_unit_contacts_escaped(client, seeded_module):
    Unit.objects.create(
        code="TST",
        name="Test unit",
        country="PL",
        citizen_contact="Front desk open 24/7\n<script>alert(1)</script>",
    )
    _response, html = page(client, "/help/support-for-you/?lang=en")
    assert "Test unit" in html
    assert "Front desk open 24/7<br>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html
