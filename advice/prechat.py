"""Validation of the citizen's optional pre-chat answers and language choices."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from core.errors import DomainError, ErrorCode
from core.vocabulary import Category

__all__ = ["clean_language", "clean_prechat", "language_from_accept_header"]

YES_NO_QUESTIONS = ("happening_now", "in_danger", "under_18")


def language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def clean_language(value: object, *, field: str = "language") -> str:
    """A supported language code, or "" for none."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or value not in language_codes():
        raise DomainError(
            ErrorCode.INVALID_FIELD, f"Field '{field}' must be a supported language code."
        )
    return value


def clean_prechat(value: object) -> dict[str, Any]:
    """Keep the known answers: ``what_happened`` (a category) and yes/no questions."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise DomainError(ErrorCode.INVALID_FIELD, "Field 'prechat' must be an object.")
    unknown = set(value) - {"what_happened", *YES_NO_QUESTIONS}
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_FIELD, f"Unknown pre-chat answer(s): {', '.join(sorted(unknown))}."
        )
    answers: dict[str, Any] = {}
    what = value.get("what_happened")
    if what not in (None, ""):
        if what not in Category.values:
            raise DomainError(ErrorCode.INVALID_FIELD, "Unknown answer to 'what_happened'.")
        answers["what_happened"] = what
    for question in YES_NO_QUESTIONS:
        answer = value.get(question)
        if answer is None:
            continue
        if not isinstance(answer, bool):
            raise DomainError(
                ErrorCode.INVALID_FIELD, f"Answer '{question}' must be true or false."
            )
        answers[question] = answer
    return answers


def language_from_accept_header(header: str) -> str:
    """The first supported language of an ``Accept-Language`` header, or ""."""
    supported = language_codes()
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in ("no", "nn"):
            primary = "nb"
        if primary in supported:
            weighted.append((-quality, index, primary))
    return min(weighted)[2] if weighted else ""
