"""Knowledge-base articles in conversations: officer preview and insertion."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from advice.models import MessageKind, SenderKind
from advice.selectors import conversation_language
from advice.services.messages import PostResult, message_post
from core.errors import DomainError, ErrorCode
from knowledge_base.selectors import ArticleView, article_for_insertion


def article_preview(*, conversation_id: int, slug: object) -> ArticleView:
    """The article as it would go out to this conversation's citizen (language included)."""
    if not isinstance(slug, str) or not slug:
        raise DomainError(ErrorCode.INVALID_FIELD, "Field 'slug' must name an article.")
    return article_for_insertion(slug=slug, language=conversation_language(conversation_id))


def article_insert(
    *, conversation_id: int, officer: AbstractBaseUser, client_id: object, slug: object
) -> PostResult:
    """Send an article as a message of kind ``article`` in the citizen's language.

    The message text is the plain-text title and summary; the sanitised HTML body travels
    in the payload, with the language that actually went out (fallback order of the
    knowledge base).
    """
    view = article_preview(conversation_id=conversation_id, slug=slug)
    return message_post(
        conversation_id=conversation_id,
        sender=SenderKind.OFFICER,
        officer=officer,
        client_id=client_id,
        text=f"{view.title}\n\n{view.summary}".strip(),
        kind=MessageKind.ARTICLE,
        payload={
            "slug": view.slug,
            "kind": view.kind,
            "language": view.language,
            "requested_language": view.requested_language,
            "title": view.title,
            "summary": view.summary,
            "html": view.html,
        },
    )
