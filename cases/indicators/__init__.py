"""Extraction of indicators (phones, accounts, cards, wallets, URLs…) from a citizen's text.

Extractors run in a fixed order; each one's matches are blanked out before the next runs,
so digits of an IBAN are not also read as a card or a phone number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from cases.indicators.banking import card_mask, find_cards, find_ibans
from cases.indicators.base import Found, Hints
from cases.indicators.crypto import find_crypto
from cases.indicators.identity import find_national_ids, find_phones
from cases.indicators.network import (
    find_bare_domains,
    find_emails,
    find_handles,
    find_urls,
    refang,
)

__all__ = ["Found", "Hints", "extract_indicators", "mask_card_numbers"]

# Column sizes of ``Indicator.value`` and ``Indicator.display``.
VALUE_MAX = 255
DISPLAY_MAX = 300


def _blank(text: str, found: list[Found]) -> str:
    chars = list(text)
    for item in found:
        chars[item.start : item.end] = " " * (item.end - item.start)
    return "".join(chars)


def _extractors(hints: Hints) -> list[Callable[[str], list[Found]]]:
    return [
        find_urls,
        find_emails,
        find_ibans,
        find_crypto,
        find_cards,
        lambda text: find_national_ids(text, hints),
        lambda text: find_phones(text, hints),
        find_bare_domains,
        find_handles,
    ]


def extract_indicators(text: str, hints: Hints) -> list[Found]:
    """Every indicator in ``text``, once per ``(kind, value)``, in order of extraction."""
    working = refang(text)
    found: list[Found] = []
    for extractor in _extractors(hints):
        batch = extractor(working)
        working = _blank(working, batch)
        found.extend(batch)
    unique: dict[tuple[str, str], Found] = {}
    for item in map(_fit, found):
        unique.setdefault((item.kind, item.value), item)
    return list(unique.values())


def _fit(item: Found) -> Found:
    """Very long URLs are cut to the column size (the start identifies them well enough)."""
    if len(item.value) <= VALUE_MAX and len(item.display) <= DISPLAY_MAX:
        return item
    return replace(
        item,
        value=item.value[:VALUE_MAX],
        display=item.display[: DISPLAY_MAX - 1] + "…",
        details={**item.details, "truncated": "true"},
    )


def mask_card_numbers(text: str) -> str:
    """``text`` with every Luhn-valid card number replaced by its masked form.

    Bank account numbers are recognised first so their digits are never mistaken for a card.
    """
    accounts = find_ibans(text)
    cards = find_cards(_blank(text, accounts))
    for card in sorted(cards, key=lambda c: c.start, reverse=True):
        digits = "".join(ch for ch in text[card.start : card.end] if ch.isdigit())
        text = text[: card.start] + card_mask(digits) + text[card.end :]
    return text
