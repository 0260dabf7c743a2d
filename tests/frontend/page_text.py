"""What a person reads on a page — its text nodes and labelling attributes, and the strings
its scripts are given (``json_script`` blobs), without markup or script code — and what in
it is a raw vocabulary code or an English catalogue string the reader's catalogue
translates differently (``untranslated``)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import cache
from html.parser import HTMLParser
from typing import Any

import polib
from django.conf import settings

from advice.access_reasons import AccessReason
from advice.models import ConversationStatus, MessageKind, SenderKind
from cases.models import (
    CaseStatus,
    IndicatorKind,
    IndicatorParty,
    IndicatorStatus,
    PaymentMethod,
    ReferralReason,
    ReferralStatus,
)
from core.vocabulary import Category, Outcome

# Attributes a person reads (or hears from a screen reader).
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
_SPACE = re.compile(r"\s+")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.blobs: list[str] = []
        self._skip: str | None = None
        self._blob = False
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style"):
            self._skip = tag
            self._blob = tag == "script" and values.get("type") == "application/json"
            self._buffer = []
            return
        for name in READ_ATTRIBUTES:
            if values.get(name):
                self.texts.append(_SPACE.sub(" ", values[name] or "").strip())
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.texts.append(_SPACE.sub(" ", values["value"] or "").strip())

    def handle_endtag(self, tag: str) -> None:
        if self._skip == tag:
            if self._blob:
                self.blobs.append("".join(self._buffer))
            self._skip = None
            self._blob = False

    def handle_data(self, data: str) -> None:
        if self._skip is not None:
            self._buffer.append(data)
            return
        text = _SPACE.sub(" ", data).strip()
        if text:
            self.texts.append(text)


def read_page(html: str, *, skip_keys: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
    """(text nodes and read attributes, strings inside the page's JSON blobs, leaving out
    the values of the keys ``skip_keys``)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    strings: list[str] = []
    for blob in reader.blobs:
        try:
            strings.extend(_strings(json.loads(blob), skip_keys))
        except ValueError:
            continue
    return reader.texts, strings


def _strings(value: Any, skip_keys: frozenset[str]) -> Iterator[str]:
    if isinstance(value, str):
        yield _SPACE.sub(" ", value).strip()
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in skip_keys:
                yield from _strings(item, skip_keys)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, skip_keys)


# Codes of the vocabulary that must never be shown as words, and the separators a label
# list is written with ("sextortion · P1").
SEPARATORS = re.compile(r"\s*[·|,;:()\[\]/–—→]\s*")


def vocabulary_codes() -> set[str]:
    codes: set[str] = set()
    for choices in (
        Category,
        Outcome,
        ConversationStatus,
        CaseStatus,
        ReferralStatus,
        ReferralReason,
        IndicatorKind,
        IndicatorStatus,
        IndicatorParty,
        PaymentMethod,
        SenderKind,
        MessageKind,
        AccessReason,
    ):
        codes.update(str(value) for value in choices.values)
    codes.update(code for code, _name in settings.LANGUAGES)
    return codes


@cache
def english_only(language: str) -> frozenset[str]:
    """English messages the catalogue of ``language`` translates differently."""
    po = polib.pofile(str(settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"))
    return frozenset(
        entry.msgid
        for entry in po.translated_entries()
        if not entry.msgid_plural and entry.msgstr.strip() != entry.msgid.strip()
    )


def untranslated(
    texts: Iterable[str], language: str, *, script_strings: Iterable[str] = ()
) -> list[str]:
    """Raw codes and English catalogue strings among ``texts`` (and English among the
    strings given to scripts), as readable problem lines."""
    codes = vocabulary_codes()
    english = english_only(language)
    found: list[str] = []
    for text in texts:
        if text in english:
            found.append(f"English: {text!r}")
            continue
        for token in SEPARATORS.split(text):
            if token in codes:
                found.append(f"code {token!r} in {text!r}")
            elif token in english and len(token) > 3:
                found.append(f"English: {token!r} in {text!r}")
    found.extend(f"English given to scripts: {s!r}" for s in script_strings if s in english)
    return found
