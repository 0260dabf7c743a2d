"""The result type of indicator extraction and the hints that guide it."""

from __future__ import annotations

from dataclasses import dataclass, field

# Country whose numbering (phones, national IDs) a conversation language suggests. Languages
# spoken in many countries (en, ru) suggest none.
LANGUAGE_COUNTRY = {
    "pl": "PL",
    "cs": "CZ",
    "sk": "SK",
    "uk": "UA",
    "de": "DE",
    "lt": "LT",
    "nb": "NO",
}


@dataclass(frozen=True)
class Found:
    """One indicator found in a text.

    ``value`` is the normalised form compared across cases; ``display`` is what people see
    (formatted, defanged or masked). ``start``/``end`` locate it in the searched text.
    """

    kind: str
    value: str
    display: str
    details: dict[str, str] = field(default_factory=dict)
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Hints:
    """Where a text comes from: the unit's country and the conversation's language."""

    country: str = ""
    language: str = ""

    def regions(self) -> list[str]:
        """ISO countries to try for national formats: the language's first, then the unit's."""
        regions: list[str] = []
        for region in (LANGUAGE_COUNTRY.get(self.language, ""), self.country.upper()):
            if region and region not in regions:
                regions.append(region)
        return regions
