"""What a person reads on a page: its text nodes and labelling attributes, and the strings
its scripts are given (``json_script`` blobs), without markup or script code."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

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
