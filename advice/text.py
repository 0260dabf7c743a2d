"""Text typed by people: validation (stored as plain text, never rendered as HTML), its
length as the browser counts it, and the invisible formatting removed before matching."""

from __future__ import annotations

from django.conf import settings

from core.errors import DomainError, ErrorCode


def browser_length(text: str) -> int:
    """The length of ``text`` in UTF-16 code units: what a textarea's ``maxlength`` counts.

    A character beyond the Basic Multilingual Plane (most emoji) counts twice, so the reply
    box and the server refuse the same messages.
    """
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def clean_message_text(text: object) -> str:
    """Return ``text`` if it may be stored as a message, else raise :class:`DomainError`.

    Rejects non-strings, empty or whitespace-only text, text longer than
    ``MESSAGE_MAX_CHARS`` as the browser counts it (:func:`browser_length`),
    NUL characters and lone surrogates (which cannot be stored as UTF-8).
    """
    if not isinstance(text, str):
        raise DomainError(ErrorCode.INVALID_FIELD, "Field 'text' must be a string.")
    if not text.strip():
        raise DomainError(ErrorCode.TEXT_EMPTY, "The message is empty.")
    if browser_length(text) > settings.MESSAGE_MAX_CHARS:
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


# Invisible formatting characters: zero-width spaces and joiners, the word joiner, the byte
# order mark, the soft hyphen and the bidirectional marks, embeddings, overrides and
# isolates. Inserted into a word they hide it from triage and search ("sex\u200btortion").
INVISIBLE_FORMAT = frozenset(
    {
        0x00AD,
        0x061C,
        0x180E,
        0x200B,
        0x200C,
        0x200D,
        0x200E,
        0x200F,
        0x2060,
        0xFEFF,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    }
)
_WITHOUT_INVISIBLE = dict.fromkeys(INVISIBLE_FORMAT)


def without_invisible_format(text: str) -> str:
    """``text`` without invisible formatting characters, for matching only (triage, search).

    What is stored and shown stays as typed.
    """
    return text.translate(_WITHOUT_INVISIBLE)
