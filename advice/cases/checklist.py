"""Evidence checklists per crime category, in the citizen's language.

The lists live in ``data/evidence_checklists.json`` (items translated into pl, cs, en, uk
and de; any other language falls back to English).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).parent / "data" / "evidence_checklists.json"
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


def item_label(code: str, language: str) -> str:
    """The item's label in ``language`` (``pl-PL`` counts as ``pl``), else English, else code."""
    labels: dict[str, str] = _data()["items"].get(code, {})
    return labels.get(language.split("-")[0].lower()) or labels.get(FALLBACK_LANGUAGE) or code


def evidence_checklist(*, category: str, language: str) -> list[ChecklistItem]:
    """Evidence worth keeping for ``category`` (unknown categories get the ``other`` list)."""
    categories: dict[str, list[str]] = _data()["categories"]
    codes = categories.get(category) or categories["other"]
    return [ChecklistItem(code=code, label=item_label(code, language)) for code in codes]


def bring_list(*, category: str, language: str) -> list[str]:
    """What the citizen should bring to a police station, in ``language``."""
    items = [ChecklistItem(c, item_label(c, language)) for c in ALWAYS_BRING]
    items += evidence_checklist(category=category, language=language)
    return [item.label for item in items]
