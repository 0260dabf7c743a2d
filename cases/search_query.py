"""What a staff search asks for: a case reference, indicators, or words.

The query is normalised before it is read: invisible formatting (zero-width and bidi
characters, ``advice.text.without_invisible_format``) is removed and runs of white space
become one space, so a pasted ``PL61\u200b1090…`` or a reference copied out of a
right-to-left message finds the same as the clean text. Indicators are read with the same
extractors (and the same normalised values) as cross-case matching (``cases.indicators``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from advice.text import without_invisible_format
from cases.indicators import Found, Hints, extract_indicators
from cases.indicators.network import refang

QUERY_MAX = 200
# At most this many words are matched (each must appear); shorter ones are ignored.
WORDS_MAX = 6
WORD_MIN = 2

# ``KAT-2026-000123``, or any tail of it from the year on (``2026-000123``, ``2026-12``).
_REFERENCE_RE = re.compile(r"^(?:[A-Z0-9]{2,12}-)?\d{4}-\d{1,6}$|^[A-Z0-9]{2,12}-\d{4}-?$", re.I)
# ``#123``: a conversation's number as the console shows it.
_CONVERSATION_RE = re.compile(r"^#(\d{1,12})$")
_SPACE_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"[^\W_][\w'’-]*", re.UNICODE)


class QueryKind(StrEnum):
    """How a query was read (stored in the audit trail, shown on the results page)."""

    REFERENCE = "reference"
    CONVERSATION = "conversation"
    INDICATOR = "indicator"
    WORDS = "words"


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query. ``text`` is the normalised query; ``indicators`` the values read from
    it (kind ``indicator``); ``words`` the terms that must all appear (kind ``words``)."""

    kind: QueryKind
    text: str
    indicators: tuple[Found, ...] = ()
    words: tuple[str, ...] = ()
    conversation_id: int | None = None


def query_normalise(raw: str) -> str:
    """``raw`` without invisible formatting, with single spaces, cut to ``QUERY_MAX``."""
    return _SPACE_RE.sub(" ", without_invisible_format(raw)).strip()[:QUERY_MAX]


def search_query_parse(raw: str, *, hints: Hints) -> SearchQuery | None:
    """The query ``raw`` asks for, or None when nothing is left to search for.

    A reference-shaped query is a reference; ``#123`` a conversation; a query made only of
    indicators (an IBAN, a phone number in the unit's national format, a wallet, a URL, an
    e-mail address…) is an indicator search; anything else is a search for its words.
    """
    text = query_normalise(raw)
    if not text:
        return None
    if _REFERENCE_RE.match(text):
        return SearchQuery(kind=QueryKind.REFERENCE, text=text.upper())
    conversation = _CONVERSATION_RE.match(text)
    if conversation:
        return SearchQuery(
            kind=QueryKind.CONVERSATION, text=text, conversation_id=int(conversation.group(1))
        )
    found = extract_indicators(text, hints)
    if found and not _left_over(text, found):
        return SearchQuery(kind=QueryKind.INDICATOR, text=text, indicators=tuple(found))
    words = _words(text)
    if not words:
        return None
    return SearchQuery(kind=QueryKind.WORDS, text=text, words=words)


def _left_over(text: str, found: list[Found]) -> bool:
    """Whether ``text`` has letters or digits outside the indicators found in it."""
    chars = list(refang(text))  # the extractors' positions are in the refanged text
    for item in found:
        chars[item.start : item.end] = " " * (item.end - item.start)
    return any(ch.isalnum() for ch in chars)


def _words(text: str) -> tuple[str, ...]:
    unique: dict[str, None] = {}
    for word in _WORD_RE.findall(text):
        if len(word) >= WORD_MIN:
            unique.setdefault(word.casefold(), None)
    return tuple(unique)[:WORDS_MAX]
