"""Self-help pages under ``/help/``: server-rendered, no JavaScript, in the visitor's language."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from knowledge_base.categories import category_label
from knowledge_base.languages import normalise_language, supported_languages
from knowledge_base.models import ArticleKind
from knowledge_base.selectors import ArticleView, article_view, articles_published, unit_contacts


@dataclass(frozen=True)
class ListedArticle:
    article: ArticleView
    label: str


@dataclass(frozen=True)
class Section:
    key: str
    heading: Promise
    items: list[ListedArticle]


def visitor_language(request: HttpRequest) -> str:
    """``?lang=xx`` when it names a supported language, else what ``LocaleMiddleware`` chose
    from the cookie or ``Accept-Language``."""
    chosen = normalise_language(request.GET.get("lang", ""))
    if chosen in supported_languages():
        return chosen
    return normalise_language(getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE)


def _render(
    request: HttpRequest, template: str, language: str, context: dict[str, object]
) -> HttpResponse:
    languages = [
        {"code": code, "name": name, "current": code == language}
        for code, name in settings.LANGUAGES
    ]
    with translation.override(language):
        response = render(
            request,
            template,
            {**context, "language": language, "languages": languages},
        )
    response["Content-Language"] = language
    return response


def _sections(views: list[ArticleView]) -> list[Section]:
    def listed(view: ArticleView) -> ListedArticle:
        return ListedArticle(view, category_label(view.categories[0]) if view.categories else "")

    guidance = [v for v in views if v.kind == ArticleKind.GUIDANCE]
    sections = [
        Section("now", _("What to do now"), [listed(v) for v in guidance if not v.categories]),
        Section("crimes", _("By type of crime"), [listed(v) for v in guidance if v.categories]),
        Section(
            "evidence",
            _("Evidence checklists"),
            [listed(v) for v in views if v.kind == ArticleKind.EVIDENCE_CHECKLIST],
        ),
        Section(
            "support",
            _("Support for you"),
            [listed(v) for v in views if v.kind == ArticleKind.SUPPORT_CONTACTS],
        ),
    ]
    return [section for section in sections if section.items]


def help_index(request: HttpRequest) -> HttpResponse:
    """Every published article, grouped: first steps, crimes, evidence checklists, support."""
    language = visitor_language(request)
    with translation.override(language):
        sections = _sections(articles_published(language=language))
    return _render(
        request,
        "knowledge_base/index.html",
        language,
        {"sections": sections, "contacts": unit_contacts()},
    )


def help_article(request: HttpRequest, slug: str) -> HttpResponse:
    """One published article in the visitor's language (or its fallback); 404 otherwise."""
    language = visitor_language(request)
    view = article_view(slug=slug, language=language)
    if view is None:
        raise Http404("No such article.")
    names = dict(settings.LANGUAGES)
    return _render(
        request,
        "knowledge_base/article.html",
        language,
        {
            "article": view,
            "shown_language_name": names.get(view.language, view.language),
            "requested_language_name": names.get(view.requested_language, language),
            "contacts": unit_contacts() if view.kind == ArticleKind.SUPPORT_CONTACTS else [],
        },
    )
