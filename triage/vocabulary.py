"""The fixed triage vocabulary (see the product brief): crime categories, urgency levels and
the codes of the reasons officers are shown.

The codes are defined once, in ``core.vocabulary`` and ``core.triage_reasons``; triage reads
them as plain tuples.
"""

from __future__ import annotations

from core.triage_reasons import Reason, TriageReason
from core.vocabulary import Category, Urgency

CATEGORIES: tuple[str, ...] = tuple(Category.values)
URGENCIES: tuple[str, ...] = tuple(Urgency.values)
REASON_CODES: tuple[str, ...] = tuple(TriageReason.values)

__all__ = ["CATEGORIES", "REASON_CODES", "URGENCIES", "Reason", "TriageReason"]
