"""Ranking published articles against words: one interface, two engines.

``rank_articles(query=...)`` returns ``{article_id: score}`` for every published article with a
translation (in any language) that matches. On PostgreSQL it uses full-text search with the
translation's language configuration (``english``, ``german``, ``russian``, ``norwegian``,
``lithuanian``; ``simple`` with diacritics folded by ``translate()`` and prefix matching for
Polish, Czech, Slovak and Ukrainian, which PostgreSQL has no stemmer for). Elsewhere (SQLite)
a small scorer in Python gives the same weights: title 1.0, keywords and summary 0.4,
body 0.1 per matched term.

``article_index()`` is an in-process, tokenised copy of the published articles, rebuilt when
any article or translation changes; suggestions and the SQLite scorer read it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.db.models import Count, F, Func, Max, TextField, Value
from django.db.models.functions import Lower

from knowledge_base import text
from knowledge_base.models import Article, Translation

# PostgreSQL text-search configurations by our language code; the rest use ``simple``.
PG_CONFIGS = {
    "en": "english",
    "de": "german",
    "ru": "russian",
    "nb": "norwegian",
    "lt": "lithuanian",
}
# Folding for ``simple``-configured (Polish, Czech, Slovak) text, done in SQL by translate().
_FOLD_FROM = "ąćęłńóśźżáčďéěíňřšťúůýäĺľôŕ"
_FOLD_TO = "acelnoszzacdeeinrstuuyallor"

WEIGHT_TITLE = 1.0
WEIGHT_KEYWORDS = 0.4
WEIGHT_SUMMARY = 0.4
WEIGHT_BODY = 0.1


@dataclass(frozen=True)
class IndexedTranslation:
    language: str
    title: frozenset[str]
    keywords: frozenset[str]
    summary: frozenset[str]
    body: frozenset[str]


@dataclass(frozen=True)
class IndexedArticle:
    id: int
    slug: str
    kind: str
    categories: tuple[str, ...]
    position: int
    translations: tuple[IndexedTranslation, ...]

    @property
    def languages(self) -> set[str]:
        return {t.language for t in self.translations}


_index_lock = threading.Lock()
_index_state: dict[str, object] = {}


def article_index() -> list[IndexedArticle]:
    """Tokenised published articles; one aggregate query when nothing changed since last time."""
    stamp = Article.objects.aggregate(
        articles=Count("id", distinct=True),
        translation_count=Count("translations"),
        article_changed=Max("updated_at"),
        translation_changed=Max("translations__updated_at"),
    )
    key = tuple(sorted(stamp.items()))
    with _index_lock:
        if _index_state.get("key") == key:
            return _index_state["articles"]  # type: ignore[return-value]
    articles = _build_index()
    with _index_lock:
        _index_state["key"] = key
        _index_state["articles"] = articles
    return articles


def _tokens(value: str) -> frozenset[str]:
    return frozenset(text.words(value))


def _build_index() -> list[IndexedArticle]:
    by_article: dict[int, list[IndexedTranslation]] = {}
    rows = Translation.objects.filter(article__published=True).values_list(
        "article_id", "language", "title", "keywords", "summary", "body"
    )
    for article_id, language, title, keywords, summary, body in rows:
        by_article.setdefault(article_id, []).append(
            IndexedTranslation(
                language=language,
                title=_tokens(title),
                keywords=_tokens(keywords),
                summary=_tokens(summary),
                body=_tokens(body),
            )
        )
    return [
        IndexedArticle(
            id=article.pk,
            slug=article.slug,
            kind=article.kind,
            categories=tuple(article.categories or ()),
            position=article.position,
            translations=tuple(by_article.get(article.pk, ())),
        )
        for article in Article.objects.filter(published=True).order_by("position", "slug")
    ]


def field_score(term: str, tokens: frozenset[str]) -> bool:
    """Whether any token of a field matches ``term`` (exact, or a shared prefix)."""
    if term in tokens:
        return True
    return any(text.matches(term, token) for token in tokens)


def _python_scores(query: str) -> dict[int, float]:
    query_terms = text.terms(query)
    scores: dict[int, float] = {}
    for article in article_index():
        best = 0.0
        for translation in article.translations:
            score = 0.0
            for term in query_terms:
                if field_score(term, translation.title):
                    score += WEIGHT_TITLE
                if field_score(term, translation.keywords):
                    score += WEIGHT_KEYWORDS
                if field_score(term, translation.summary):
                    score += WEIGHT_SUMMARY
                if field_score(term, translation.body):
                    score += WEIGHT_BODY
            best = max(best, score)
        if best > 0:
            scores[article.id] = best
    return scores


@lru_cache(maxsize=1)
def _pg_available_configs() -> frozenset[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        return frozenset(row[0] for row in cursor.fetchall())


def pg_config(language: str) -> str:
    """The PostgreSQL text-search configuration used for ``language``."""
    config = PG_CONFIGS.get(language, "simple")
    return config if config in _pg_available_configs() else "simple"


def _column(name: str, folded: bool) -> F | Func:
    if not folded:
        return F(name)
    return Func(
        Lower(F(name)),
        Value(_FOLD_FROM),
        Value(_FOLD_TO),
        function="translate",
        output_field=TextField(),
    )


def _pg_scores(query: str) -> dict[int, float]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    languages_by_config: dict[str, list[str]] = {}
    for language in Translation.objects.values_list("language", flat=True).distinct():
        languages_by_config.setdefault(pg_config(language), []).append(language)

    scores: dict[int, float] = {}
    for config, languages in languages_by_config.items():
        folded = config == "simple"
        words = text.terms(query) if folded else text.plain_terms(query)
        if not words:
            continue
        # Terms are runs of word characters only, so quoting them cannot break the syntax.
        raw = " | ".join(f"'{word}':*" for word in words)
        vector = (
            SearchVector(_column("title", folded), config=config, weight="A")
            + SearchVector(_column("keywords", folded), config=config, weight="B")
            + SearchVector(_column("summary", folded), config=config, weight="B")
            + SearchVector(_column("body", folded), config=config, weight="D")
        )
        search_query = SearchQuery(raw, config=config, search_type="raw")
        rows = (
            Translation.objects.filter(article__published=True, language__in=languages)
            .annotate(rank=SearchRank(vector, search_query))
            .filter(rank__gt=0)
            .values_list("article_id", "rank")
        )
        for article_id, rank in rows:
            scores[article_id] = max(scores.get(article_id, 0.0), float(rank))
    return scores


def rank_articles(*, query: str) -> dict[int, float]:
    """Scores (> 0) of published articles matching ``query`` in any of their translations.

    Scores are comparable within one call only; an empty or stop-word-only query matches
    nothing.
    """
    if connection.vendor == "postgresql":
        return _pg_scores(query)
    return _python_scores(query)
