"""The reason code of a cue or rule of the data files, named there by its English wording."""

from __future__ import annotations

from functools import lru_cache

from django.utils import translation

from triage.vocabulary import Reason, TriageReason


@lru_cache(maxsize=1)
def _codes_by_wording() -> dict[str, str]:
    # Without an active language a label is its English source text, as the data files say it.
    with translation.override(None):
        return {str(label): str(value) for value, label in TriageReason.choices}


def reason_code(wording: str) -> str:
    """The code whose English label is ``wording``; an unknown wording stands for itself
    (shown as written, in English, until it gets a code)."""
    return _codes_by_wording().get(wording, wording)


def reason(code: str, *, quotes: list[str] | None = None, to: str = "") -> Reason:
    """A reason with its optional quoted words and what it leads to."""
    made: Reason = {"code": str(code)}
    if quotes:
        made["quotes"] = quotes
    if to:
        made["to"] = to
    return made
