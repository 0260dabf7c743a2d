"""Triage accuracy on the project's evaluation set, per language (a Markdown table).

Run from the repository root:

    .venv/bin/python -m tests.triage.evaluate [holdout_set.jsonl] [--errors] [--no-browser]

A set is named by its file name in ``tests/triage/`` or by a path. ``--no-browser`` ignores
the browser's language (detection from the text alone). "False P1" counts the messages
labelled P2–P4 that were raised to P1 (the cost of recall: officers alerted for nothing).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triage.engine import Assessment, assess

EVAL_SET = Path(__file__).resolve().parent / "eval_set.jsonl"
LANGUAGE_ORDER = ("pl", "cs", "en", "uk", "de", "sk", "ru", "lt", "nb")


@dataclass
class Tally:
    total: int = 0
    language: int = 0
    category: int = 0
    urgency: int = 0
    p1_total: int = 0
    p1_found: int = 0
    other_total: int = 0  # labelled P2..P4
    false_p1: int = 0  # labelled P2..P4, assessed P1
    errors: list[str] = field(default_factory=list)

    def add(self, row: dict[str, Any], result: Assessment) -> None:
        self.total += 1
        self.language += result.language == row["language"]
        self.category += result.category == row["category"]
        self.urgency += result.urgency == row["urgency"]
        if row["urgency"] == "P1":
            self.p1_total += 1
            self.p1_found += result.urgency == "P1"
        else:
            self.other_total += 1
            self.false_p1 += result.urgency == "P1"
        wrong = [
            f"{key} {result_value} (want {row[key]})"
            for key, result_value in (
                ("language", result.language),
                ("category", result.category),
                ("urgency", result.urgency),
            )
            if result_value != row[key]
        ]
        if wrong:
            self.errors.append(f"{texts_of(row)[-1][:70]!r}: {', '.join(wrong)}")


def texts_of(row: dict[str, Any]) -> list[str]:
    return list(row["texts"]) if "texts" in row else [row["text"]]


def load_rows(path: Path = EVAL_SET) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def assess_row(row: dict[str, Any], *, browser: bool = True) -> Assessment:
    return assess(
        texts=texts_of(row),
        browser_language=(row.get("browser_language") or "") if browser else "",
        prechat=row.get("prechat"),
    )


def evaluate(path: Path = EVAL_SET, *, browser: bool = True) -> dict[str, Tally]:
    """A tally per language and one under the key "all" (``browser``: use the hint)."""
    tallies: dict[str, Tally] = {code: Tally() for code in (*LANGUAGE_ORDER, "all")}
    for row in load_rows(path):
        result = assess_row(row, browser=browser)
        tallies[row["language"]].add(row, result)
        tallies["all"].add(row, result)
    return tallies


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "–"


def table(tallies: dict[str, Tally]) -> str:
    lines = [
        "| language | messages | language | category | urgency | P1 recall | false P1 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for code, tally in tallies.items():
        if not tally.total:
            continue
        lines.append(
            f"| {code} | {tally.total} | {_percent(tally.language, tally.total)} "
            f"| {_percent(tally.category, tally.total)} | {_percent(tally.urgency, tally.total)} "
            f"| {tally.p1_found}/{tally.p1_total} | {tally.false_p1}/{tally.other_total} |"
        )
    return "\n".join(lines)


def main() -> None:
    names = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    path = EVAL_SET
    if names:
        given = Path(names[0])
        path = given if given.exists() else EVAL_SET.with_name(given.name)
    tallies = evaluate(path, browser="--no-browser" not in sys.argv)
    sys.stdout.write(table(tallies) + "\n")
    if "--errors" in sys.argv:
        for code in LANGUAGE_ORDER:
            for error in tallies[code].errors:
                sys.stdout.write(f"{code}: {error}\n")


if __name__ == "__main__":
    main()
