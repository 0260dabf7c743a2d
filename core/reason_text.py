"""Triage reasons (``core.triage_reasons``) in the reader's language.

:func:`reason_table` is the one table of wordings, translated in the active language; the
server renders with it (:func:`reason_text`) and the console receives the same table in its
page configuration and renders frames' reasons with the same steps
(``frontend/static/frontend/js/common/reason_text.js``, checked against this module by
``tests/frontend/test_reason_text_js.py``). The result is plain text: the
citizen's quoted words stay text, escaped wherever a page shows them. A reason stored
before reasons had codes (a plain string) is shown as it was written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import get_language, pgettext

from core.labels import choice_labels, language_label, translated
from core.triage_reasons import URGENCY_WORDINGS, TriageReason
from core.vocabulary import Category, Urgency

ReasonTable = dict[str, Any]
_URGENCIES = frozenset(Urgency.values)


def reason_table() -> ReasonTable:
    """Every wording a reason is built from, in the active language (built once per language
    and process: the catalogues do not change while it runs). Read it, never change it."""
    return _table_in(get_language() or "")


@lru_cache(maxsize=32)
def _table_in(language: str) -> ReasonTable:
    return {
        "labels": choice_labels(TriageReason),
        "levels": translated(URGENCY_WORDINGS),
        "categories": choice_labels(Category),
        "languages": {code: language_label(code) for code, _name in settings.LANGUAGES},
        "quote": pgettext("triage reason", "“%(text)s”"),
        "whole_message": pgettext("triage reason", "the message as a whole"),
        "with_quotes": pgettext("triage reason", "%(reason)s (%(phrases)s)"),
        "with_evidence": pgettext("triage reason", "%(reason)s: %(evidence)s"),
        "with_probability": pgettext("triage reason", "%(reason)s (probability %(probability)s)"),
        "leads_to": "%(reason)s → %(to)s",
    }


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _fill(template: str, values: Mapping[str, str]) -> str:
    """``template`` with its ``%(name)s`` placeholders filled in one pass (the citizen's words
    put in are never read as placeholders)."""
    return _PLACEHOLDER.sub(lambda found: values.get(found.group(1), ""), template)


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def reason_text(reason: object, table: ReasonTable | None = None) -> str:
    """One reason as a sentence in the active language (``table`` from :func:`reason_table`)."""
    if isinstance(reason, str):
        return reason
    if not isinstance(reason, Mapping) or not isinstance(reason.get("code"), str):
        return ""
    words = table if table is not None else reason_table()
    code = reason["code"]
    quotes = _strings(reason.get("quotes"))
    phrases = ", ".join(_fill(words["quote"], {"text": quote}) for quote in quotes)
    to = reason.get("to") if isinstance(reason.get("to"), str) else ""
    meaning = reason.get("meaning") if isinstance(reason.get("meaning"), str) else ""
    values = {
        "phrases": phrases or words["whole_message"],
        "level": words["levels"].get(to, to),
        "category": words["categories"].get(to, to),
        "meaning": words["labels"].get(meaning, meaning),
        "languages": ", ".join(
            words["languages"].get(code, code) for code in _strings(reason.get("languages"))
        ),
    }
    label = words["labels"].get(code, code)
    text = _fill(label, values)
    if phrases and "%(phrases)s" not in label:
        text = _fill(words["with_quotes"], {"reason": text, "phrases": phrases})
    evidence = reason.get("evidence")
    if isinstance(evidence, list) and evidence:
        parts = "; ".join(reason_text(item, words) for item in evidence)
        text = _fill(words["with_evidence"], {"reason": text, "evidence": parts})
    probability = reason.get("probability")
    if isinstance(probability, int | float) and not isinstance(probability, bool):
        shown = number_format(probability, decimal_pos=2)
        text = _fill(words["with_probability"], {"reason": text, "probability": shown})
    if to:
        shown_to = to if to in _URGENCIES else words["categories"].get(to, to)
        text = _fill(words["leads_to"], {"reason": text, "to": shown_to})
    return text


def reason_texts(reasons: object) -> list[str]:
    """A stored list of reasons (``Conversation.triage_reasons``) as sentences."""
    if not isinstance(reasons, Iterable) or isinstance(reasons, str | bytes | Mapping):
        return []
    table = reason_table()
    return [text for text in (reason_text(reason, table) for reason in reasons) if text]
