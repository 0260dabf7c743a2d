"""Read-only queries of the knowledge base: articles for citizens and officers, canned replies,
evidence checklists and the translation-completeness table.

Every article comes out as an ``ArticleView`` in the language it will actually be shown in,
chosen by ``knowledge_base.languages.fallback_chain``; ``language`` and ``requested_language``
differ when the requested translation is missing, so an officer sees before sending which
language goes out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse

from advice.models import Unit
from advice.text import without_invisible_format
from core.errors import DomainError, ErrorCode
from knowledge_base import text
from knowledge_base.bank_lines import STOP_TRANSFER_SLUG, bank_lines_html
from knowledge_base.languages import fallback_chain, normalise_language, pick_language
from knowledge_base.models import (
    Article,
    ArticleKind,
    CannedReply,
    CannedReplyTranslation,
    Translation,
)
from knowledge_base.rendering import body_revision, checklist_items, render_markdown
from knowledge_base.search import KEYWORDS, SUMMARY, TITLE, article_index, rank_articles


@dataclass(frozen=True)
class ArticleView:
    """A published article in one language. ``html`` has been sanitised (see ``rendering``)."""

    slug: str
    kind: str
    language: str
    requested_language: str
    title: str
    summary: str
    html: str
    categories: tuple[str, ...]

    @property
    def is_fallback(self) -> bool:
        """True when the article goes out in another language than the one requested."""
        return self.language != self.requested_language

    @property
    def url(self) -> str:
        """Path of the self-help page showing this article in this language."""
        path = reverse("knowledge_base:article", kwargs={"slug": self.slug})
        return f"{path}?lang={self.language}"

    def as_payload(self) -> dict[str, Any]:
        """JSON-ready fields, e.g. for ``Message.payload`` of an inserted article."""
        payload = asdict(self)
        payload["categories"] = list(self.categories)
        return payload


@dataclass(frozen=True)
class CannedReplyView:
    """A canned reply's text in one language (plain text, never HTML)."""

    shortcut: str
    title: str
    text: str
    language: str
    requested_language: str


def _html_of(translation: Translation) -> str:
    """The cached rendering, or a fresh one when the body changed after it was cached."""
    if translation.rendered_revision == body_revision(translation.body):
        return translation.rendered_html
    return render_markdown(translation.body)


def _view(article: Article, translation: Translation, requested: str) -> ArticleView:
    html = _html_of(translation)
    if article.slug == STOP_TRANSFER_SLUG:
        # The numbers first: someone whose money is still moving reads no further.
        html = bank_lines_html(language=translation.language, reader_language=requested) + html
    return ArticleView(
        slug=article.slug,
        kind=article.kind,
        language=translation.language,
        requested_language=requested,
        title=translation.title,
        summary=translation.summary,
        html=html,
        categories=tuple(article.categories or ()),
    )


def _views(article_ids: Sequence[int], language: str) -> list[ArticleView]:
    """Views of published articles, in the order of ``article_ids``; articles with no
    translation anywhere in the fallback chain are left out."""
    requested = normalise_language(language)
    chain = fallback_chain(requested)
    translations: dict[int, dict[str, Translation]] = {}
    rows = Translation.objects.filter(
        article_id__in=article_ids, article__published=True, language__in=chain
    ).select_related("article")
    for translation in rows:
        translations.setdefault(translation.article_id, {})[translation.language] = translation
    views = []
    for article_id in article_ids:
        available = translations.get(article_id, {})
        chosen = pick_language(set(available), requested)
        if chosen is not None:
            translation = available[chosen]
            views.append(_view(translation.article, translation, requested))
    return views


def article_view(*, slug: str, language: str) -> ArticleView | None:
    """The published article ``slug`` in the best available language, or None."""
    article_id = (
        Article.objects.filter(slug=slug, published=True).values_list("id", flat=True).first()
    )
    if article_id is None:
        return None
    views = _views([article_id], language)
    return views[0] if views else None


def article_for_insertion(*, slug: str, language: str) -> ArticleView:
    """The article an officer inserts into a chat with a citizen who reads ``language``.

    Raises ``DomainError(NOT_FOUND)`` if there is no such published article with a
    translation in the fallback chain. ``view.language`` is what will go out.
    """
    view = article_view(slug=slug, language=language)
    if view is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No published article with this name.")
    return view


def articles_published(*, language: str) -> list[ArticleView]:
    """Every published article, in list order (position, slug), each in its best language."""
    ids = list(Article.objects.filter(published=True).values_list("id", flat=True))
    return _views(ids, language)


# Suggestion weights: a matched word counts most in the keywords written for victims' words;
# bodies are not read (too many incidental words).
SUGGEST_WEIGHTS = {KEYWORDS: 3.0, TITLE: 2.0, SUMMARY: 1.0}
# Articles serving the triage category come first, the guidance before the checklist; only
# a message matching another article on three or more keywords outranks the checklist.
SUGGEST_CATEGORY = {
    ArticleKind.GUIDANCE: 10.0,
    ArticleKind.EVIDENCE_CHECKLIST: 8.0,
    ArticleKind.SUPPORT_CONTACTS: 3.0,
}
# General articles (no category) fill the remaining places when words match nothing better.
SUGGEST_GENERAL = 0.5
# Only the latest text counts for very long conversations (keeps the call cheap).
SUGGEST_MAX_CHARS = 6000


def articles_suggest(
    *, category: str, texts: Sequence[str], language: str, limit: int = 3
) -> list[ArticleView]:
    """Up to ``limit`` published articles for a waiting citizen, best first.

    Score = a bonus for serving the triage ``category`` + matches of the message words with
    each article's keywords, title and summary (in any of its languages, so a message still
    finds its article when the article is only in the fallback language). General articles
    get a small base score, so the list is filled with them when nothing matches.
    """
    joined = "\n".join(texts)[-SUGGEST_MAX_CHARS:]
    index = article_index()
    text_scores = index.scores(text.terms(joined), SUGGEST_WEIGHTS, best_field_only=True)
    chain = fallback_chain(language)
    ranked: list[tuple[float, int, str, int]] = []
    for pos, article in enumerate(index.articles):
        if not article.languages.intersection(chain):
            continue
        score = text_scores.get(pos, 0.0)
        if category and category in article.categories:
            score += SUGGEST_CATEGORY.get(ArticleKind(article.kind), 0.0)
        if not article.categories:
            score += SUGGEST_GENERAL
        if score > 0:
            ranked.append((-score, article.position, article.slug, article.id))
    ranked.sort()
    ids = tuple(row[3] for row in ranked[: max(0, limit)])
    # The same few articles are suggested to most citizens (by category, before they type):
    # their views are read and rendered once per language while the index is current.
    return list(index.remembered(("views", ids, language), lambda: tuple(_views(ids, language))))


def articles_search(*, query: str, language: str, limit: int = 10) -> list[ArticleView]:
    """Published articles matching ``query`` (words in any language), best first, shown in
    ``language`` with fallback. An empty query lists articles in their usual order.
    Invisible formatting characters in the query are ignored."""
    query = without_invisible_format(query)
    if not query.strip():
        ids = list(Article.objects.filter(published=True).values_list("id", flat=True))
        return _views(ids, language)[: max(0, limit)]
    scores = rank_articles(query=query)
    positions = dict(Article.objects.filter(id__in=scores).values_list("id", "position"))
    ordered = sorted(scores, key=lambda pk: (-scores[pk], positions.get(pk, 0), pk))
    return _views(ordered, language)[: max(0, limit)]


def evidence_checklist(*, category: str, language: str) -> list[str]:
    """Plain-text items to save as evidence for a crime ``category``, in ``language`` with
    fallback. Uses the published evidence checklist serving the category, else the general
    one (an evidence checklist with no categories); empty if there is neither.

    Items are the top-level list items of the checklist article's body, so editing the
    article in the admin edits the checklist.
    """
    candidates = list(
        Article.objects.filter(published=True, kind=ArticleKind.EVIDENCE_CHECKLIST)
        .order_by("position", "slug")
        .values_list("id", "categories")
    )
    specific = [pk for pk, categories in candidates if category in (categories or [])]
    general = [pk for pk, categories in candidates if not categories]
    ids = specific + general
    chain = fallback_chain(language)
    for article_id in ids:
        available = {
            t.language: t
            for t in Translation.objects.filter(article_id=article_id, language__in=chain)
        }
        chosen = pick_language(set(available), language)
        if chosen is not None:
            translation = available[chosen]
            if translation.rendered_revision == body_revision(translation.body):
                return list(translation.checklist_items)
            return checklist_items(translation.body)
    return []


def canned_replies(*, language: str) -> list[CannedReplyView]:
    """Active canned replies in ``language`` (with fallback), in shortcut-list order."""
    requested = normalise_language(language)
    chain = fallback_chain(requested)
    replies = list(CannedReply.objects.filter(active=True))
    texts: dict[int, dict[str, CannedReplyTranslation]] = {}
    for translation in CannedReplyTranslation.objects.filter(reply__in=replies, language__in=chain):
        texts.setdefault(translation.reply_id, {})[translation.language] = translation
    views = []
    for reply in replies:
        available = texts.get(reply.pk, {})
        chosen = pick_language(set(available), requested)
        if chosen is None:
            continue
        translation = available[chosen]
        views.append(
            CannedReplyView(
                shortcut=reply.shortcut,
                title=translation.title,
                text=translation.text,
                language=chosen,
                requested_language=requested,
            )
        )
    return views


@dataclass(frozen=True)
class CompletenessRow:
    """Which languages an article has; ``missing_ui`` lists required article languages
    (``ARTICLE_LANGUAGES``) it lacks."""

    article_id: int
    slug: str
    published: bool
    present: frozenset[str]
    missing_ui: tuple[str, ...]


def translation_completeness() -> list[CompletenessRow]:
    """One row per article (published or not), in list order."""
    present: dict[int, set[str]] = {}
    for article_id, language in Translation.objects.values_list("article_id", "language"):
        present.setdefault(article_id, set()).add(language)
    rows = []
    for article in Article.objects.order_by("position", "slug"):
        languages = present.get(article.pk, set())
        rows.append(
            CompletenessRow(
                article_id=article.pk,
                slug=article.slug,
                published=article.published,
                present=frozenset(languages),
                missing_ui=tuple(
                    code for code in settings.ARTICLE_LANGUAGES if code not in languages
                ),
            )
        )
    return rows


def unit_contacts() -> list[tuple[str, str]]:
    """``(unit name, citizen contact text)`` of units that filled in their contact details."""
    return list(
        Unit.objects.exclude(citizen_contact="")
        .order_by("country", "code")
        .values_list("name", "citizen_contact")
    )
