"""Officers find articles by words in any language; the same ranking on SQLite and PostgreSQL.

Run this file on both engines (see COMMON.md): the PostgreSQL run exercises full-text search
with per-language configurations, the default run the scorer in Python.
"""

from __future__ import annotations

import pytest
from django.db import connection

from knowledge_base.search import pg_config, rank_articles
from knowledge_base.selectors import articles_search

pytestmark = pytest.mark.django_db


def slugs(query: str, language: str = "en", limit: int = 10) -> list[str]:
    return [view.slug for view in articles_search(query=query, language=language, limit=limit)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("przelew bank", "stop-bank-transfer"),
        ("przelałem pieniądze", "stop-bank-transfer"),
        ("przelalem pieniadze", "stop-bank-transfer"),
        ("Überweisung stoppen", "stop-bank-transfer"),
        ("recall transfer", "stop-bank-transfer"),
        ("ransom", "ransomware"),
        ("výkupné zašifrované soubory", "ransomware"),
        ("шантаж інтимні фото", "sextortion"),
        ("AnyDesk", "fake-bank-calls"),
        ("podvodná SMS odkaz", "phishing"),
        ("Zeitleiste Anzeige Dolmetscher", "formal-report"),
        ("116 111", "support-for-you"),
    ],
)
def test_the_expected_article_is_in_the_top_three(seeded_module, query, expected):
    found = slugs(query)
    assert expected in found[:3], f"{query!r} → {found[:5]}"


def test_results_come_in_the_citizens_language_whatever_the_query_language(seeded_module):
    views = articles_search(query="zastrzeżenie karty przelew", language="uk", limit=3)
    assert views[0].slug == "stop-bank-transfer"
    assert views[0].language == "uk"
    assert views[0].title == "Зупиніть банківський переказ — негайно"


def test_empty_query_lists_articles_in_their_usual_order(seeded_module):
    assert slugs("", limit=3) == ["first-hour", "stop-bank-transfer", "preserve-evidence"]


def test_stop_words_alone_match_nothing(seeded_module):
    assert slugs("the and jest nie") == []


@pytest.mark.parametrize("query", ["foo' | bar:* & !(", "a:b", "'''", "\\", "<>&|!:*()"])
def test_query_syntax_characters_are_harmless(seeded_module, query):
    assert isinstance(slugs(query), list)


def test_a_title_match_ranks_above_a_body_match(make_article):
    make_article("in-body", {"en": ("Something", "A zorblax appears here.")}, position=1)
    make_article("in-title", {"en": ("Zorblax explained", "Nothing else.")}, position=2)
    assert slugs("zorblax") == ["in-title", "in-body"]
    scores = rank_articles(query="zorblax")
    assert len(scores) == 2
    assert all(score > 0 for score in scores.values())


def test_prefix_matching_finds_inflected_polish_words(make_article):
    # A made-up noun, so that the shipped articles cannot match it.
    make_article("pl-only", {"pl": ("Zgrzybłki w sieci", "Jak rozpoznać zgrzybłka.")})
    assert slugs("zgrzybłkiem", language="pl") == ["pl-only"]
    assert slugs("zgrzyblek", language="pl") == ["pl-only"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgres_uses_language_configurations_where_they_exist():
    assert pg_config("en") == "english"
    assert pg_config("de") == "german"
    assert pg_config("ru") == "russian"
    assert pg_config("nb") == "norwegian"
    assert pg_config("pl") == "simple"
    assert pg_config("cs") == "simple"
    assert pg_config("uk") == "simple"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgres_stems_english_and_german(make_article):
    # Made-up words, inflected as the language would: only stemming relates the forms.
    make_article("en-stem", {"en": ("Glorping explained", "How people get glorped.")})
    make_article("de-stem", {"de": ("Die Wumpen", "Was tun gegen Wumpen?")})
    assert slugs("glorped") == ["en-stem"]
    assert slugs("Wumpe", language="de") == ["de-stem"]


def test_stored_vectors_and_queries_use_the_same_language_mapping():
    from importlib import import_module

    from knowledge_base.search import PG_CONFIGS

    migration = import_module("knowledge_base.migrations.0002_translation_search_vector")
    assert migration.CONFIGS == PG_CONFIGS
