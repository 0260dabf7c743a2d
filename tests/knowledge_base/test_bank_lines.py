"""The bank emergency numbers that open "Stop a bank transfer now"."""

from __future__ import annotations

import re

import pytest

from knowledge_base.bank_lines import BANK_LINES, bank_lines_html
from knowledge_base.rendering import render_markdown
from knowledge_base.selectors import article_view

pytestmark = pytest.mark.django_db


def test_only_the_confirmed_shared_lines_have_numbers():
    numbers = {line.country: line.number for line in BANK_LINES if line.number}
    assert numbers == {"PL": "828 828 828", "DE": "116 116"}
    assert {line.country for line in BANK_LINES} == {"PL", "CZ", "SK", "UA", "DE", "LT", "NO"}


@pytest.mark.parametrize(
    ("reader", "language", "first"),
    [
        ("pl", "pl", "Polska"),
        ("cs", "cs", "Česko"),
        ("de", "de", "Deutschland"),
        ("uk", "uk", "Україна"),
        ("nb", "en", "Norway"),
    ],
)
def test_the_readers_country_comes_first(reader, language, first):
    html = bank_lines_html(language=language, reader_language=reader)
    rows = re.findall(r"<tr><th>([^<]+)</th>", html)
    assert rows[1] == first  # rows[0] is the header


def test_countries_without_a_shared_line_point_to_the_card_and_the_app():
    html = bank_lines_html(language="en", reader_language="en")
    assert "Czechia, Slovakia, Ukraine, Lithuania, Norway" in html
    assert "back of your card" in html
    assert re.findall(r'href="([^"]+)"', html) == ["tel:+48828828828", "tel:+49116116"]


def test_the_table_survives_the_sanitiser_unchanged_in_substance():
    html = bank_lines_html(language="de", reader_language="de")
    cleaned = render_markdown(html)
    assert 'href="tel:+49116116"' in cleaned
    assert "<table>" in cleaned
    assert "<script" not in cleaned


def test_the_article_opens_with_the_table_in_every_language(seeded):
    for language in ("pl", "cs", "en", "uk", "de"):
        view = article_view(slug="stop-bank-transfer", language=language)
        assert view is not None
        assert view.language == language
        assert view.html.startswith("<h2>")
        assert "<table>" in view.html.split("</table>")[0]


def test_the_help_page_shows_the_numbers_as_phone_links(client, seeded):
    html = client.get("/help/stop-bank-transfer/?lang=pl").content.decode()
    assert '<a href="tel:+48828828828">828 828 828</a>' in html
