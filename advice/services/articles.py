"""Knowledge-base articles in conversations: suggestions and officer insertion."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from advice import notify
from advice.errors import DomainError, ErrorCode
from advice.models import Conversation, Message, MessageKind, SenderKind
from advice.services.messages import PostResult, message_post
from chat import frames
from knowledge_base.selectors import ArticleView, article_for_insertion, articles_suggest

SUGGESTION_TEXTS = 12


def conversation_language(conversation_id: int) -> str:
    language = Conversation.objects.filter(pk=conversation_id).values_list("language", flat=True)
    found = language.first()
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such conversation.")
    return found or "en"


def suggestions_for(conversation: Conversation) -> list[ArticleView]:
    """Up to three articles for the conversation's category and the citizen's words."""
    texts = list(
        Message.objects.filter(conversation_id=conversation.pk, sender=SenderKind.CITIZEN)
        .order_by("seq")
        .values_list("text", flat=True)[:SUGGESTION_TEXTS]
    )
    return articles_suggest(
        category=conversation.category, texts=texts, language=conversation.language or "en"
    )


def publish_suggestions(conversation: Conversation) -> None:
    """Send fresh suggestions to the waiting citizen and to staff watching (after commit)."""
    articles = [view.as_payload() for view in suggestions_for(conversation)]
    notify.publish(
        notify.conversation_group(conversation.pk, "citizen"), frames.suggestions(articles)
    )
    notify.publish(
        notify.conversation_group(conversation.pk, "staff"),
        frames.suggestions(articles, conversation_id=conversation.pk),
    )


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
