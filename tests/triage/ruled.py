"""The rules' view of one typed message, as the engine reads it (normalised first)."""

from __future__ import annotations

from triage.engine import RuleAssessment, assess_rules
from triage.normalize import normalize_messages


def rules_of(text: str, browser_language: str = "en") -> RuleAssessment:
    normalized = normalize_messages([text], language_hint=browser_language)
    return assess_rules(normalized, browser_language=browser_language)
