"""Ranking published articles against words: one interface, two engines.

``rank_articles(query=...)`` returns ``{article_id: score}`` for every published article with a
translation (in any language) that matches. On PostgreSQL it uses full-text search over a
stored ``search_vector`` column (migration 0002) built with the translation's language
configuration (``english``, ``german``, ``russian``, ``norwegian``, ``lithuanian``; ``simple``
over diacritic-folded text, queried by prefix, for Polish, Czech, Slovak and Ukrainian, which
PostgreSQL has no stemmer for). Elsewhere (SQLite) a small scorer in Python gives the same
weights: title 1.0, keywords and summary 0.4, body 0.1 per matched term.

``article_index()`` is an in-process inverted index of the published articles, rebuilt when
any article or translation changes; suggestions and the SQLite scorer read it.
"""

from __future__ import annotations

import bisect
import itertools
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from django.db import connection
from django.db.models import Count, Max

from knowledge_base import text
from knowledge_base.languages import supported_languages
from knowledge_base.models import Article, Translation

T = TypeVar("T")
# Results remembered per index (``ArticleIndex.remembered``); past this many the memory starts
# again.
MEMO_ENTRIES = 1024

# PostgreSQL text-search configurations by our language code; the rest use ``simple``.
# Migration 0002 builds the stored vectors from a copy of this mapping (a test keeps them equal).
PG_CONFIGS = {
    "en": "english",
    "de": "german",
    "ru": "russian",
    "nb": "norwegian",
    "lt": "lithuanian",
}

# Field codes of the index, and their weights in the SQLite scorer (PostgreSQL's ts_rank
# defaults for the weights A, B, B, D that ``_pg_scores`` gives the same fields).
TITLE = "title"
KEYWORDS = "keywords"
SUMMARY = "summary"
BODY = "body"
SEARCH_WEIGHTS = {TITLE: 1.0, KEYWORDS: 0.4, SUMMARY: 0.4, BODY: 0.1}

# (position of the article in the index, translation language, field code)
Posting = tuple[int, str, str]


@dataclass(frozen=True)
class IndexedArticle:
    id: int
    slug: str
    kind: str
    categories: tuple[str, ...]
    position: int
    languages: frozenset[str]


class ArticleIndex:
    """Published articles and an inverted index of the folded words of their translations.

    ``hits(term)`` finds every field with a word that ``text.matches`` the term: words equal to
    it, words starting with it (a range of the sorted vocabulary) and words it starts with
    (its own prefixes) — a few look-ups per term whatever the number of articles.

    ``remembered`` keeps results computed from the published articles for as long as this
    index is current: any change to an article or translation builds a new index
    (:func:`article_index`), so nothing remembered outlives the text it was made from.
    """

    def __init__(self, articles: list[IndexedArticle], postings: dict[str, list[Posting]]):
        self.articles = articles
        self.postings = postings
        self.vocabulary = sorted(postings)
        self._memo: dict[Hashable, object] = {}

    def remembered(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per ``key`` while this index is current (thread-safe: two
        threads may both compute it, and either result is kept)."""
        try:
            return self._memo[key]  # type: ignore[return-value]
        except KeyError:
            pass
        value = compute()
        if len(self._memo) >= MEMO_ENTRIES:
            self._memo.clear()
        self._memo[key] = value
        return value

    def hits(self, term: str) -> set[Posting]:
        found: set[Posting] = set(self.postings.get(term, ()))
        if len(term) < text.MIN_PREFIX:
            return found
        start = bisect.bisect_left(self.vocabulary, term)
        for word in itertools.islice(self.vocabulary, start, None):
            if not word.startswith(term):
                break
            found.update(self.postings[word])
        for end in range(text.MIN_PREFIX, len(term)):
            found.update(self.postings.get(term[:end], ()))
        return found

    def scores(
        self, terms: list[str], weights: dict[str, float], *, best_field_only: bool
    ) -> dict[int, float]:
        """``{position in self.articles: score}`` for articles matching any term.

        Per translation, each term adds the weight of every field it hits (or, with
        ``best_field_only``, of the heaviest one); an article scores as its best translation.
        """
        per_translation: dict[tuple[int, str], float] = {}
        for term in terms:
            gained: dict[tuple[int, str], float] = {}
            for article_pos, language, field in self.hits(term):
                weight = weights.get(field, 0.0)
                key = (article_pos, language)
                if best_field_only:
                    gained[key] = max(gained.get(key, 0.0), weight)
                else:
                    gained[key] = gained.get(key, 0.0) + weight
            for key, weight in gained.items():
                per_translation[key] = per_translation.get(key, 0.0) + weight
        best: dict[int, float] = {}
        for (article_pos, _language), score in per_translation.items():
            if score > 0:
                best[article_pos] = max(best.get(article_pos, 0.0), score)
        return best


_index_lock = threading.Lock()
_index_state: dict[str, object] = {}


def article_index() -> ArticleIndex:
    """The index of published articles; one aggregate query when nothing changed since the
    last call in this process."""
    stamp = Article.objects.aggregate(
        articles=Count("id", distinct=True),
        translation_count=Count("translations"),
        article_changed=Max("updated_at"),
        translation_changed=Max("translations__updated_at"),
    )
    key = tuple(sorted(stamp.items()))
    with _index_lock:
        if _index_state.get("key") == key:
            return _index_state["index"]  # type: ignore[return-value]
    index = _build_index()
    with _index_lock:
        _index_state["key"] = key
        _index_state["index"] = index
    return index


def _build_index() -> ArticleIndex:
    published = list(Article.objects.filter(published=True).order_by("position", "slug"))
    positions = {article.pk: pos for pos, article in enumerate(published)}
    languages: dict[int, set[str]] = {}
    postings: dict[str, list[Posting]] = {}
    rows = Translation.objects.filter(article__published=True).values_list(
        "article_id", "language", "title", "keywords", "summary", "body"
    )
    for article_id, language, *values in rows:
        pos = positions[article_id]
        languages.setdefault(pos, set()).add(language)
        for field, value in zip((TITLE, KEYWORDS, SUMMARY, BODY), values, strict=True):
            for word in set(text.words(value)):
                postings.setdefault(word, []).append((pos, language, field))
    articles = [
        IndexedArticle(
            id=article.pk,
            slug=article.slug,
            kind=article.kind,
            categories=tuple(article.categories or ()),
            position=article.position,
            languages=frozenset(languages.get(pos, ())),
        )
        for pos, article in enumerate(published)
    ]
    return ArticleIndex(articles, postings)


def _python_scores(query: str) -> dict[int, float]:
    index = article_index()
    scores = index.scores(text.terms(query), SEARCH_WEIGHTS, best_field_only=False)
    return {index.articles[pos].id: score for pos, score in scores.items()}


@lru_cache(maxsize=1)
def _pg_available_configs() -> frozenset[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        return frozenset(row[0] for row in cursor.fetchall())


def pg_config(language: str) -> str:
    """The PostgreSQL text-search configuration used for ``language``."""
    config = PG_CONFIGS.get(language, "simple")
    return config if config in _pg_available_configs() else "simple"


def _pg_scores(query: str) -> dict[int, float]:
    """One query over the stored ``search_vector`` (migration 0002): each row is matched with
    a query in its own language's configuration — stemmed words for stemmed languages,
    folded, crudely stemmed prefixes for ``simple`` ones."""
    stemmed = {
        language: pg_config(language)
        for language in supported_languages()
        if pg_config(language) != "simple"
    }
    # Terms are runs of word characters only, so quoting them cannot break the syntax.
    simple_raw = " | ".join(f"'{word}':*" for word in text.terms(query))
    stemmed_raw = " | ".join(f"'{word}':*" for word in text.plain_terms(query))
    if not simple_raw and not stemmed_raw:
        return {}
    # Only constants from PG_CONFIGS and our language codes are formatted into the SQL.
    if stemmed:
        whens = " ".join(f"WHEN '{lang}' THEN '{cfg}'::regconfig" for lang, cfg in stemmed.items())
        config_sql = f"CASE t.language {whens} ELSE 'simple'::regconfig END"
        in_stemmed = ", ".join(f"'{language}'" for language in stemmed)
        query_sql = f"CASE WHEN t.language IN ({in_stemmed}) THEN %s ELSE %s END"
        params = [stemmed_raw, simple_raw]
    else:
        config_sql = "'simple'::regconfig"
        query_sql = "%s"
        params = [simple_raw]
    sql = (
        "SELECT t.article_id, max(ts_rank(t.search_vector, "  # noqa: S608 - constants only
        f"to_tsquery({config_sql}, {query_sql}))) AS rank "
        "FROM knowledge_base_translation t "
        "JOIN knowledge_base_article a ON a.id = t.article_id "
        "WHERE a.published GROUP BY t.article_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {article_id: float(rank) for article_id, rank in cursor.fetchall() if rank > 0}


def rank_articles(*, query: str) -> dict[int, float]:
    """Scores (> 0) of published articles matching ``query`` in any of their translations.

    Scores are comparable within one call only; an empty or stop-word-only query matches
    nothing.
    """
    if connection.vendor == "postgresql":
        return _pg_scores(query)
    return _python_scores(query)
