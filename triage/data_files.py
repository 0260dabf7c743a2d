"""Loading and validating the triage data files in ``triage/data/`` (format: docs/triage.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from triage.normalize import fold
from triage.vocabulary import CATEGORIES, URGENCIES

DATA_DIR = Path(__file__).resolve().parent / "data"
CUE_URGENCIES = ("P1", "P2")
PRECHAT_TAGS = ("prechat:in_danger", "prechat:happening_now", "prechat:under_18")


class DataFileError(ValueError):
    """A data file does not follow the documented format (the message names file and entry)."""


@dataclass(frozen=True)
class Cue:
    """One piece of linguistic knowledge: any of ``terms`` found in a message means ``reason``."""

    id: str
    language: str
    terms: tuple[str, ...]
    reason: str
    category: str = ""
    weight: float = 1.0
    urgency: str = ""
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LanguageData:
    code: str
    name: str
    letters: str
    words: frozenset[str]  # lower case, diacritics as written
    endings: frozenset[str]  # word endings typical of the language (lower case)
    negations: frozenset[str]
    cues: tuple[Cue, ...]


@dataclass(frozen=True)
class UrgencyRule:
    """Raise the urgency to ``urgency`` when the tags and the category fit."""

    urgency: str
    reason: str
    all_tags: frozenset[str] = frozenset()
    any_tags: frozenset[str] = frozenset()
    none_tags: frozenset[str] = frozenset()
    any_category: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CategoryRule:
    """Add ``weight`` to ``category`` when all ``all_tags`` were found (a minor + images…)."""

    category: str
    weight: float
    reason: str
    all_tags: frozenset[str]


@dataclass(frozen=True)
class CueGuard:
    """The urgency of a cue with the reason ``cue_reason`` is set aside when any of
    ``any_tags`` was found in the opening (a threat inside a game, trafficking signs of a
    job the person has already escaped) and none of ``none_tags`` (a threat made years ago
    is set aside, unless "he wrote again yesterday"); its category and tags still count."""

    cue_reason: str
    any_tags: frozenset[str]
    none_tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TagRule:
    """Add ``tag`` when all ``all_tags`` were found (an adult's age and their own childhood:
    a childhood told by an adult)."""

    tag: str
    all_tags: frozenset[str]


@dataclass(frozen=True)
class Rules:
    tags: frozenset[str]
    category_rules: tuple[CategoryRule, ...]
    category_priority: tuple[str, ...]
    prechat_category_weight: float
    min_category_score: float
    urgency_rules: tuple[UrgencyRule, ...]
    cue_guards: tuple[CueGuard, ...] = ()
    tag_rules: tuple[TagRule, ...] = ()


def _fail(path: Path, where: str, message: str) -> DataFileError:
    return DataFileError(f"{path.name}: {where}: {message}")


def _strings(path: Path, where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise _fail(path, where, "expected a list of non-empty strings")
    return tuple(value)


def _load_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DataFileError(f"{path.name}: {error}") from error
    if not isinstance(data, dict):
        raise DataFileError(f"{path.name}: the top level must be an object")
    return data


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The language-independent rules of ``triage/data/rules.json``."""
    path = DATA_DIR / "rules.json"
    data = _load_json(path)
    tags = frozenset(_strings(path, "tags", list(data.get("tags", {})))) | set(PRECHAT_TAGS)
    priority = _strings(path, "category_priority", data.get("category_priority"))
    if sorted(priority) != sorted(CATEGORIES):
        raise _fail(path, "category_priority", "must list every category exactly once")
    urgency_rules = []
    for index, raw in enumerate(data.get("urgency_rules", [])):
        where = f"urgency_rules[{index}]"
        if not isinstance(raw, dict) or raw.get("urgency") not in URGENCIES:
            raise _fail(path, where, "needs an urgency P1..P4")
        if not isinstance(raw.get("reason"), str) or not raw["reason"]:
            raise _fail(path, where, "needs a reason")
        rule = UrgencyRule(
            urgency=raw["urgency"],
            reason=raw["reason"],
            all_tags=frozenset(_strings(path, where, raw.get("all_tags", []))),
            any_tags=frozenset(_strings(path, where, raw.get("any_tags", []))),
            none_tags=frozenset(_strings(path, where, raw.get("none_tags", []))),
            any_category=frozenset(_strings(path, where, raw.get("any_category", []))),
        )
        unknown = (rule.all_tags | rule.any_tags | rule.none_tags) - tags
        if unknown:
            raise _fail(path, where, f"unknown tags {sorted(unknown)}")
        if rule.any_category - set(CATEGORIES):
            raise _fail(path, where, "unknown category")
        urgency_rules.append(rule)
    category_rules = []
    for index, raw in enumerate(data.get("category_rules", [])):
        where = f"category_rules[{index}]"
        if not isinstance(raw, dict) or raw.get("category") not in CATEGORIES:
            raise _fail(path, where, "needs a known category")
        if not isinstance(raw.get("weight"), int | float) or not raw.get("reason"):
            raise _fail(path, where, "needs a weight and a reason")
        needed = frozenset(_strings(path, where, raw.get("all_tags")))
        if needed - tags:
            raise _fail(path, where, f"unknown tags {sorted(needed - tags)}")
        category_rules.append(
            CategoryRule(raw["category"], float(raw["weight"]), str(raw["reason"]), needed)
        )
    cue_guards = []
    for index, raw in enumerate(data.get("cue_guards", [])):
        where = f"cue_guards[{index}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("cue_reason"), str):
            raise _fail(path, where, "needs the cue_reason it guards")
        guard = CueGuard(
            raw["cue_reason"],
            frozenset(_strings(path, where, raw.get("any_tags"))),
            frozenset(_strings(path, where, raw.get("none_tags", []))),
        )
        unknown = (guard.any_tags | guard.none_tags) - tags
        if unknown:
            raise _fail(path, where, f"unknown tags {sorted(unknown)}")
        cue_guards.append(guard)
    tag_rules = []
    for index, raw in enumerate(data.get("tag_rules", [])):
        where = f"tag_rules[{index}]"
        if not isinstance(raw, dict) or raw.get("tag") not in tags:
            raise _fail(path, where, "needs a known tag to add")
        needed = frozenset(_strings(path, where, raw.get("all_tags")))
        if needed - tags:
            raise _fail(path, where, f"unknown tags {sorted(needed - tags)}")
        tag_rules.append(TagRule(raw["tag"], needed))
    weight = data.get("prechat_category_weight", 3)
    minimum = data.get("min_category_score", 0)
    if not isinstance(weight, int | float) or not isinstance(minimum, int | float):
        raise _fail(path, "prechat_category_weight", "weights must be numbers")
    return Rules(
        tags=tags,
        category_rules=tuple(category_rules),
        category_priority=priority,
        prechat_category_weight=float(weight),
        min_category_score=float(minimum),
        urgency_rules=tuple(urgency_rules),
        cue_guards=tuple(cue_guards),
        tag_rules=tuple(tag_rules),
    )


def _cue(path: Path, code: str, index: int, raw: Any, tags: frozenset[str]) -> Cue:
    where = f"cues[{index}]"
    if not isinstance(raw, dict):
        raise _fail(path, where, "expected an object")
    unknown_keys = set(raw) - {"terms", "reason", "category", "weight", "urgency", "tags", "note"}
    if unknown_keys:
        raise _fail(path, where, f"unknown keys {sorted(unknown_keys)}")
    if not isinstance(raw.get("reason"), str) or not raw["reason"]:
        raise _fail(path, where, "needs a reason (English, shown to officers)")
    category = raw.get("category", "")
    if category and category not in CATEGORIES:
        raise _fail(path, where, f"unknown category {category!r}")
    urgency = raw.get("urgency", "")
    if urgency and urgency not in CUE_URGENCIES:
        # P3/P4 depend on what else was said, so they come from urgency_rules only.
        raise _fail(path, where, f"a cue's own urgency must be P1 or P2, not {urgency!r}")
    weight = raw.get("weight", 1)
    if not isinstance(weight, int | float) or weight <= 0:
        raise _fail(path, where, "weight must be a positive number")
    cue_tags = frozenset(_strings(path, where, raw.get("tags", [])))
    if cue_tags - tags:
        raise _fail(path, where, f"unknown tags {sorted(cue_tags - tags)}")
    if not (category or urgency or cue_tags):
        raise _fail(path, where, "a cue needs a category, an urgency or tags")
    return Cue(
        id=f"{code}:{index}",
        language=code,
        terms=_strings(path, where, raw.get("terms")),
        reason=raw["reason"],
        category=category,
        weight=float(weight),
        urgency=urgency,
        tags=cue_tags,
    )


@lru_cache(maxsize=16)
def language_data(code: str) -> LanguageData:
    """The file ``triage/data/<code>.json``: letters, common words and cues of one language."""
    path = DATA_DIR / f"{code}.json"
    data = _load_json(path)
    if data.get("language") != code:
        raise _fail(path, "language", f"must be {code!r}")
    letters = data.get("letters", "")
    if not isinstance(letters, str):
        raise _fail(path, "letters", "must be a string")
    tags = rules().tags
    cues = tuple(
        _cue(path, code, index, raw, tags) for index, raw in enumerate(data.get("cues", []))
    )
    return LanguageData(
        code=code,
        name=str(data.get("name", code)),
        letters=letters.lower(),
        words=frozenset(word.lower() for word in _strings(path, "words", data.get("words", []))),
        endings=frozenset(
            ending.lower() for ending in _strings(path, "endings", data.get("endings", []))
        ),
        negations=frozenset(
            fold(word) for word in _strings(path, "negations", data.get("negations", []))
        ),
        cues=cues,
    )
