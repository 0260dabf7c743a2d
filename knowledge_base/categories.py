"""Human names of the triage categories, as shown on the self-help pages and in the admin."""

from __future__ import annotations

from core.labels import CATEGORY_TITLES


def category_label(code: str) -> str:
    """The translated title of a category code (the code itself if unknown)."""
    label = CATEGORY_TITLES.get(code)
    return str(label) if label is not None else code
