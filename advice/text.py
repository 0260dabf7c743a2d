"""Validation of text typed by people: stored as plain text, never rendered as HTML."""

from __future__ import annotations

from django.conf import settings

from core.errors import DomainError, ErrorCode


def clean_message_text(text: object) -> str:
    """Return ``text`` if it may be stored as a message, else raise :class:`DomainError`.

    Rejects non-strings, empty or whitespace-only text, text over ``MESSAGE_MAX_CHARS``,
    NUL characters and lone surrogates (which cannot be stored as UTF-8).
    """
    if not isinstance(text, str):
        raise DomainError(ErrorCode.INVALID_FIELD, "Field 'text' must be a string.")
    if not text.strip():
        raise DomainError(ErrorCode.TEXT_EMPTY, "The message is empty.")
    if len(text) > settings.MESSAGE_MAX_CHARS:
        raise DomainError(
            ErrorCode.TEXT_TOO_LONG,
            f"The message is longer than {settings.MESSAGE_MAX_CHARS} characters.",
        )
    if "\x00" in text:
        raise DomainError(ErrorCode.TEXT_INVALID, "The message contains a NUL character.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise DomainError(
            ErrorCode.TEXT_INVALID, "The message contains an invalid character."
        ) from None
    return text
