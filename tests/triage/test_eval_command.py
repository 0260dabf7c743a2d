"""``manage.py triage_eval``: figures per language and the urgency confusion matrix."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from triage.corpus import CORPUS_DIR, LANGUAGES

FRESH = Path(__file__).resolve().parent / "fresh_set.jsonl"


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("triage_eval", *args, stdout=out)
    return out.getvalue()


def test_a_labelled_file_gets_a_row_per_language_and_a_confusion_matrix() -> None:
    report = _run("--file", str(FRESH))
    assert "| language | messages | P1 recall | false P1 | urgency exact | category |" in report
    assert "| P1 or possible risk | others marked possible risk |" in report
    for code in (*LANGUAGES, "all"):
        assert f"\n| {code} | " in report
    assert "| P1 | " in report
    assert "| label \\ decided | P1 | P2 | P3 | P4 |" in report


def test_speed_is_reported_as_cpu_per_call(tmp_path: Path) -> None:
    sample = tmp_path / "sample.jsonl"
    sample.write_text("\n".join(FRESH.read_text(encoding="utf-8").splitlines()[:5]) + "\n")
    report = _run("--file", str(sample), "--speed")
    assert "cold (per-word caches emptied before each call): 5 |" in report
    assert "| warm: 25 |" in report


def test_the_validation_split_and_cross_validation_run_on_a_corpus(tmp_path: Path) -> None:
    for code in LANGUAGES:
        lines = (CORPUS_DIR / f"{code}.jsonl").read_text(encoding="utf-8").splitlines()
        (tmp_path / f"{code}.jsonl").write_text("\n".join(lines[:15]) + "\n", encoding="utf-8")
    assert "validation split" in _run("--corpus", str(tmp_path))
    assert "2-fold cross-validation by scenario" in _run("--corpus", str(tmp_path), "--cv", "2")


def test_the_validation_errors_say_who_raised_each_false_p1(tmp_path: Path) -> None:
    for code in LANGUAGES:
        lines = (CORPUS_DIR / f"{code}.jsonl").read_text(encoding="utf-8").splitlines()
        (tmp_path / f"{code}.jsonl").write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
    report = _run("--corpus", str(tmp_path), "--errors")
    counts = report.split("false P1 raised by the rules: ", 1)[1].splitlines()[0]
    by_rules, by_model = (int(part) for part in counts.split(", by the model alone: "))
    errors = report.split("\n\n")[-1]
    assert errors.count("[false P1: rules,") == by_rules
    assert errors.count("[false P1: model,") == by_model
    assert "(want P" in errors


def test_an_unreadable_file_is_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"texts": ["x"], "category": "fraud"}\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken\.jsonl:1: unknown category"):
        _run("--file", str(broken))
