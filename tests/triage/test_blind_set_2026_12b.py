"""The blind set 2026-12b (``blind_set_2026_12b.jsonl``): a regression floor and a fence.

Written by a writer who never ran the triage and never saw its rules or model, committed
alone before the second precision round was merged (commit 4c5439f), and scored once, with
that round's finished system (rules with guards, triage-v2); the floors below are that first
run (docs/triage.md, "First run on the blind set 2026-12b"). They are not targets: falling
below them means generalisation was lost; rising above them proves nothing, because nothing
may be tuned on this set.

The fence: no corpus line may be a near copy of a blind line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.triage.near_copies import near_copies
from triage import training
from triage.corpus import load_corpus, read_file

BLIND = Path(__file__).resolve().parent / "blind_set_2026_12b.jsonl"
# First run, all languages: (found, total).
FIRST_RUN_P1 = (86, 90)
FIRST_RUN_FALSE_P1 = (20, 180)
FIRST_RUN_URGENCY = 233  # of 270 (86.3 %)
FIRST_RUN_CATEGORY = 246  # of 270 (91.1 %; the `also` category counts as right)
FIRST_RUN_LANGUAGE = 264  # of 270 (97.8 %)
NEAR_COPY = 0.5


@pytest.fixture(scope="module")
def first_run() -> tuple[training.Tally, int]:
    tallies, language, _ = training.evaluate_examples(read_file(BLIND))
    return tallies["all"], language["all"]


def test_p1_recall_stays_at_its_first_run_level(first_run: tuple[training.Tally, int]) -> None:
    everything, _ = first_run
    assert everything.p1_total == FIRST_RUN_P1[1]
    assert everything.p1_found >= FIRST_RUN_P1[0]


def test_false_p1_does_not_grow(first_run: tuple[training.Tally, int]) -> None:
    everything, _ = first_run
    assert everything.other_total == FIRST_RUN_FALSE_P1[1]
    assert everything.false_p1 <= FIRST_RUN_FALSE_P1[0]


def test_urgency_category_and_language_stay_at_their_first_run_level(
    first_run: tuple[training.Tally, int],
) -> None:
    everything, language = first_run
    assert everything.urgency >= FIRST_RUN_URGENCY
    assert everything.category >= FIRST_RUN_CATEGORY
    assert language >= FIRST_RUN_LANGUAGE


def test_no_corpus_line_is_a_near_copy_of_a_blind_line() -> None:
    assert near_copies(read_file(BLIND), load_corpus(), NEAR_COPY) == []
