"""The labelled training corpus in ``triage/corpus/`` (format and provenance: its README.md).

One JSON object per line: ``id``, ``scenario``, ``language``, ``texts`` (1–3 messages),
``category``, optional ``also`` (one honest second category), ``urgency``,
``browser_language``. ``triage/corpus/<lang>.jsonl`` are the openings written for training;
``triage/corpus/extra/*.jsonl`` are the project's older rule-development sets converted to the
same format (used for training only, never for the validation figures).

Splits are made by **scenario** (all paraphrases of one situation share it), by a hash of the
scenario id, so they do not depend on file order and never separate two variants.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triage.vocabulary import CATEGORIES, URGENCIES

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
LANGUAGES = ("pl", "cs", "sk", "en", "uk", "ru", "de", "lt", "nb")
# One scenario in VALIDATION_SHARE goes to the validation split.
VALIDATION_SHARE = 5
_VALIDATION_SALT = "validation:"
FOLD_SALT = "fold:"


class CorpusError(ValueError):
    """A corpus line does not follow the format (the message names file, line and field)."""


@dataclass(frozen=True)
class Example:
    id: str
    scenario: str
    language: str
    texts: tuple[str, ...]
    category: str
    urgency: str
    browser_language: str = ""
    also: tuple[str, ...] = ()
    extra: bool = False  # from ``corpus/extra/``: training only
    prechat: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def categories(self) -> frozenset[str]:
        """The category and the honest second one: either counts as right."""
        return frozenset((self.category, *self.also))


def _fail(path: Path, number: int, message: str) -> CorpusError:
    return CorpusError(f"{path.name}:{number}: {message}")


def parse_line(data: Any, *, path: Path, number: int, extra: bool = False) -> Example:
    """One corpus line as an ``Example``; raises ``CorpusError`` naming what is wrong."""
    if not isinstance(data, dict):
        raise _fail(path, number, "expected a JSON object")
    texts = data.get("texts")
    if texts is None and isinstance(data.get("text"), str):
        texts = [data["text"]]
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
        raise _fail(path, number, "'texts' must be a non-empty list of strings")
    if data.get("category") not in CATEGORIES:
        raise _fail(path, number, f"unknown category {data.get('category')!r}")
    if data.get("urgency") not in URGENCIES:
        raise _fail(path, number, f"unknown urgency {data.get('urgency')!r}")
    if data.get("language") not in LANGUAGES:
        raise _fail(path, number, f"unknown language {data.get('language')!r}")
    also = data.get("also") or []
    if not isinstance(also, list) or len(also) > 1 or any(code not in CATEGORIES for code in also):
        raise _fail(path, number, "'also' holds at most one known category")
    identifier = str(data.get("id") or f"{path.stem}-{number:04d}")
    browser = data.get("browser_language") or ""
    prechat = data.get("prechat") or {}
    return Example(
        id=identifier,
        scenario=str(data.get("scenario") or identifier),
        language=data["language"],
        texts=tuple(texts),
        category=data["category"],
        urgency=data["urgency"],
        browser_language=browser if isinstance(browser, str) else "",
        also=tuple(code for code in also if code != data["category"]),
        extra=extra,
        prechat=prechat if isinstance(prechat, dict) else {},
    )


def read_file(path: Path, *, extra: bool = False) -> list[Example]:
    examples = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                raise _fail(path, number, f"not valid JSON: {error.msg}") from error
            examples.append(parse_line(data, path=path, number=number, extra=extra))
    return examples


def corpus_files(directory: Path = CORPUS_DIR, *, include_extra: bool = True) -> list[Path]:
    files = sorted(directory.glob("*.jsonl"))
    if include_extra:
        files += sorted((directory / "extra").glob("*.jsonl"))
    return files


def load_corpus(directory: Path = CORPUS_DIR, *, include_extra: bool = True) -> list[Example]:
    """Every example, in file order; ids must be unique across files."""
    examples: list[Example] = []
    seen: set[str] = set()
    for path in corpus_files(directory, include_extra=include_extra):
        for example in read_file(path, extra=path.parent.name == "extra"):
            if example.id in seen:
                raise CorpusError(f"{path.name}: duplicate id {example.id!r}")
            seen.add(example.id)
            examples.append(example)
    return examples


def corpus_digest(files: Iterable[Path]) -> str:
    """SHA-256 over the files' names and bytes: which corpus an artefact was trained on."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: (p.parent.name, p.name)):
        digest.update(f"{path.parent.name}/{path.name}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _scenario_hash(salt: str, scenario: str) -> int:
    return zlib.crc32(f"{salt}{scenario}".encode())


def is_validation(example: Example) -> bool:
    """Validation split: one scenario in ``VALIDATION_SHARE``; never an ``extra`` example."""
    return (
        not example.extra
        and _scenario_hash(_VALIDATION_SALT, example.scenario) % VALIDATION_SHARE == 0
    )


def fold_of(example: Example, folds: int, salt: str = FOLD_SALT) -> int:
    """The cross-validation fold of the example's scenario (0..folds-1); another ``salt``
    gives folds independent of these (folds inside a fold)."""
    return _scenario_hash(salt, example.scenario) % folds


def languages_of(examples: Sequence[Example]) -> list[str]:
    present = {example.language for example in examples}
    return [code for code in LANGUAGES if code in present]
