"""The fixed triage vocabulary (see the product brief): crime categories and urgency levels.

The codes are defined once, in ``core.vocabulary``; triage reads them as plain tuples.
"""

from __future__ import annotations

from core.vocabulary import Category, Urgency

CATEGORIES: tuple[str, ...] = tuple(Category.values)
URGENCIES: tuple[str, ...] = tuple(Urgency.values)
