"""Evidence checklists per crime category, in a given language.

The source is the knowledge base (``knowledge_base.selectors.evidence_checklist``: the
evidence-checklist articles supervisors edit). When it has no checklist (for instance before
``load_knowledge_base`` ran), the bundled lists in ``data/evidence_checklists.json`` are used
(items in pl, cs, en, uk and de; other languages fall back to English).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from knowledge_base.selectors import evidence_checklist as knowledge_base_checklist

DATA_FILE = Path(__file__).parent / "data" / "evidence_checklists.json"
KNOWLEDGE_BASE_PREFIX = "kb-"
FALLBACK_LANGUAGE = "en"
ALWAYS_BRING = ("identity_document",)


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str


@cache
def _data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def item_label(code: str, language: str, *, stored: str = "") -> str:
    """A bundled item's label in ``language`` (``pl-PL`` counts as ``pl``), else English.

    Knowledge-base items have no translations by code: their ``stored`` label is returned.
    """
    labels: dict[str, str] = _data()["items"].get(code, {})
    return (
        labels.get(language.split("-")[0].lower())
        or labels.get(FALLBACK_LANGUAGE)
        or stored
        or code
    )


def knowledge_base_code(text: str) -> str:
    """A stable code for a knowledge-base item (its text is its identity)."""
    return KNOWLEDGE_BASE_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def evidence_checklist(*, category: str, language: str) -> list[ChecklistItem]:
    """Evidence worth keeping for ``category`` in ``language``: the knowledge base's list,
    else the bundled one (unknown categories get the bundled ``other`` list)."""
    items = knowledge_base_checklist(category=category, language=language)
    if items:
        return [ChecklistItem(code=knowledge_base_code(text), label=text) for text in items]
    categories: dict[str, list[str]] = _data()["categories"]
    codes = categories.get(category) or categories["other"]
    return [ChecklistItem(code=code, label=item_label(code, language)) for code in codes]


def bring_list(*, category: str, language: str) -> list[str]:
    """What the citizen should bring to a police station, in ``language``."""
    items = [ChecklistItem(c, item_label(c, language)) for c in ALWAYS_BRING]
    items += evidence_checklist(category=category, language=language)
    return [item.label for item in items]


def staff_language(languages: list[str]) -> str:
    """The language a unit's staff read checklists in: the unit's first language."""
    return languages[0] if languages else FALLBACK_LANGUAGE
