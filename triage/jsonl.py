"""One JSON line in, one JSON line out: the text interface of the triage engine."""

from __future__ import annotations

import json
from typing import Any

from django.utils import translation

from core.reason_text import reason_texts
from triage.engine import assess
from triage.language import SUPPORTED


class LineError(ValueError):
    """The line cannot be triaged; the message says why (it is written back to the caller)."""


def _parse(line: str) -> dict[str, Any]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise LineError(f"not valid JSON: {error.msg}") from error
    if not isinstance(data, dict):
        raise LineError("expected a JSON object")
    if "texts" in data:
        texts = data["texts"]
        if not isinstance(texts, list) or not all(isinstance(text, str) for text in texts):
            raise LineError("'texts' must be a list of strings")
    elif isinstance(data.get("text"), str):
        texts = [data["text"]]
    else:
        raise LineError("'text' (a string) is required")
    browser_language = data.get("browser_language", "")
    if browser_language is None:
        browser_language = ""
    if not isinstance(browser_language, str):
        raise LineError("'browser_language' must be a string")
    prechat = data.get("prechat") or {}
    if not isinstance(prechat, dict):
        raise LineError("'prechat' must be an object")
    chosen = data.get("chosen_language") or ""
    if chosen and chosen not in SUPPORTED:
        raise LineError(f"'chosen_language' must be one of {', '.join(SUPPORTED)}")
    primary = browser_language.strip().lower().replace("_", "-").split("-")[0]
    return {
        "texts": texts,
        "browser_language": "nb" if primary in ("no", "nn") else primary,
        "prechat": prechat,
        "chosen_language": chosen,
    }


def triage_line(line: str, *, full: bool = False) -> dict[str, Any]:
    """The triage of one input line, or ``{"error": ...}`` if the line is not usable.

    Input: ``{"text": "...", "browser_language": "pl"}``; ``texts`` (a list, in order),
    ``prechat`` and ``chosen_language`` are accepted too. Output: language, category,
    urgency and reasons (in English); with ``full`` also ``language_confident``,
    ``language_candidates`` and the reasons as stored (codes and quoted words).
    """
    try:
        arguments = _parse(line)
    except LineError as error:
        return {"error": str(error)}
    result = assess(**arguments)
    with translation.override("en"):
        texts = reason_texts(result.reasons)
    output: dict[str, Any] = {
        "language": result.language,
        "category": result.category,
        "urgency": result.urgency,
        "reasons": texts,
    }
    if full:
        output["language_confident"] = result.language_confident
        output["language_candidates"] = result.language_candidates
        output["reason_codes"] = result.reasons
    return output


def dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False)
