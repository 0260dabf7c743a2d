"""Markdown → sanitised HTML for articles, and the plain-text checklist items of a body.

Markdown may contain raw HTML, so its output is untrusted: bleach keeps only a small
allow-list of tags and attributes, links only with ``http``/``https``/``mailto``/``tel``, and
every link gets ``rel="noopener noreferrer nofollow"``. There is no ``<img>`` at all, so an
article can never make a citizen's browser contact another origin by itself.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterator
from typing import Any

import bleach
import markdown
from bleach.html5lib_shim import Filter

# Bump when the allow-list or the Markdown extensions change: every cached rendering whose
# revision carries an older version is rendered again.
RENDERER_VERSION = "1"

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "b",
        "i",
        "a",
        "blockquote",
        "code",
        "pre",
        "hr",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
_HREF_PREFIXES = tuple(f"{protocol}:" for protocol in sorted(ALLOWED_PROTOCOLS))
LINK_REL = "noopener noreferrer nofollow"


class _LinkRelFilter(Filter):
    """Sets ``rel`` on every ``<a>`` that survived sanitising (authors cannot opt out)."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for token in super().__iter__():
            if token["type"] in {"StartTag", "EmptyTag"} and token["name"] == "a":
                attrs = dict(token.get("data") or {})
                attrs[(None, "rel")] = LINK_REL
                token["data"] = attrs
            yield token


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    """Links keep ``title``, and ``href`` only with an allowed scheme: relative and
    scheme-less URLs are dropped too, so an article links nowhere but where it says."""
    if tag != "a":
        return False
    if name == "title":
        return True
    # Python-Markdown writes mailto: autolinks as character references; decode before checking.
    return name == "href" and html.unescape(value).strip().lower().startswith(_HREF_PREFIXES)


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_LinkRelFilter],
)


def sanitize_html(markup: str) -> str:
    """``markup`` reduced to the allow-list; safe to insert into a page as HTML."""
    return _cleaner.clean(markup)


def render_markdown(body: str) -> str:
    """Sanitised HTML of a Markdown ``body``."""
    raw = markdown.markdown(body, extensions=["sane_lists", "tables"], output_format="html")
    return sanitize_html(raw)


def body_revision(body: str) -> str:
    """Identifies a rendering: the renderer version and the body's hash."""
    return f"{RENDERER_VERSION}:{hashlib.sha256(body.encode('utf-8')).hexdigest()}"


_TOP_LEVEL_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.+)$")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")


def checklist_items(body: str) -> list[str]:
    """Plain text of the body's top-level list items (continuation lines joined).

    Convention for evidence checklists: every top-level ``- `` or ``1. `` line is one item to
    save; nested lists and other paragraphs are explanation and are not items.
    """
    items: list[list[str]] = []
    in_item = False
    for line in body.splitlines():
        match = _TOP_LEVEL_ITEM.match(line)
        stripped = line.strip()
        if match:
            items.append([match.group(1).strip()])
            in_item = True
        elif in_item and stripped and line[:1] in {" ", "\t"}:
            if not _TOP_LEVEL_ITEM.match(stripped):
                items[-1].append(stripped)
        else:
            in_item = False
    return [_plain(" ".join(parts)) for parts in items]


def _plain(text: str) -> str:
    return _EMPHASIS.sub("", _LINK.sub(r"\1", text)).strip()
