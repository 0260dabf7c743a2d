"""The data files an analyst edits: all load, and mistakes are reported with file and entry."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from triage import data_files
from triage.data_files import DataFileError, language_data, rules
from triage.language import SUPPORTED
from triage.matcher import Matcher
from triage.normalize import fold
from triage.reason_codes import reason_code
from triage.vocabulary import REASON_CODES


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the data files that a test may break; the caches see only the copy."""
    for source in data_files.DATA_DIR.glob("*.json"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(data_files, "DATA_DIR", tmp_path)
    rules.cache_clear()
    language_data.cache_clear()
    yield tmp_path
    rules.cache_clear()
    language_data.cache_clear()


def _edit(path: Path, change: dict[str, object]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["cues"][0].update(change)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_every_language_has_its_file_with_cues_for_every_category() -> None:
    for code in SUPPORTED:
        data = language_data(code)
        assert data.code == code
        categories = {cue.category for cue in data.cues if cue.category}
        assert categories == set(data_files.CATEGORIES) - {"other"}, code


def test_every_term_compiles_and_no_cue_repeats_a_term() -> None:
    Matcher(SUPPORTED)
    for code in SUPPORTED:
        for cue in language_data(code).cues:
            folded = [" ".join(fold(part) for part in term.split()) for term in cue.terms]
            assert len(folded) == len(set(folded)), (code, cue.reason)


def test_reasons_are_english_for_officers() -> None:
    for code in SUPPORTED:
        for cue in language_data(code).cues:
            assert cue.reason.isascii(), (code, cue.reason)


def test_an_unknown_category_names_the_file_and_the_cue(data_dir: Path) -> None:
    _edit(data_dir / "pl.json", {"category": "fraud"})
    with pytest.raises(DataFileError, match=r"pl\.json: cues\[0\]: unknown category"):
        language_data("pl")


def test_a_cue_cannot_declare_p4_itself(data_dir: Path) -> None:
    _edit(data_dir / "cs.json", {"urgency": "P4"})
    with pytest.raises(DataFileError, match=r"cs\.json: cues\[0\]: .*P1 or P2"):
        language_data("cs")


def test_an_unknown_tag_is_refused(data_dir: Path) -> None:
    _edit(data_dir / "en.json", {"tags": ["urgent"]})
    with pytest.raises(DataFileError, match="unknown tags"):
        language_data("en")


def test_a_term_without_letters_is_refused(data_dir: Path) -> None:
    _edit(data_dir / "de.json", {"terms": ["... hilfe"]})
    with pytest.raises(DataFileError, match="must start and end with a word"):
        Matcher(("de",))


def test_broken_json_is_reported(data_dir: Path) -> None:
    (data_dir / "rules.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"rules\.json"):
        rules()


def test_every_cue_and_rule_has_a_reason_code_officers_read_in_their_language() -> None:
    wordings = {cue.reason for code in SUPPORTED for cue in language_data(code).cues}
    wordings |= {rule.reason for rule in rules().urgency_rules}
    wordings |= {rule.reason for rule in rules().category_rules}
    assert {text for text in wordings if reason_code(text) not in REASON_CODES} == set()
