"""Triage reasons as an English-speaking officer reads them."""

from __future__ import annotations

from django.utils import translation

from core.reason_text import reason_texts


def english(reasons: object) -> list[str]:
    with translation.override("en"):
        return reason_texts(reasons)
