"""Triage engine entry point (interface; the rule engine fills it in)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Assessment:
    language: str
    language_confident: bool
    category: str
    urgency: str
    reasons: list[str] = field(default_factory=list)
    language_candidates: list[str] = field(default_factory=list)


def assess(
    *,
    texts: Sequence[str],
    browser_language: str = "",
    prechat: Mapping[str, Any] | None = None,
    chosen_language: str = "",
) -> Assessment:
    language = chosen_language or browser_language or "en"
    return Assessment(
        language=language,
        language_confident=bool(chosen_language),
        category="other",
        urgency="P3",
        reasons=[],
    )
