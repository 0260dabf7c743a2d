"""The December 2026 blind set (``blind_set_2026_12.jsonl``): a regression floor and a fence.

The floors are the **first run** of the finished system (rules + model), scored once after
the rules, corpus and artefact of the precision work were committed, never tuned on since
(docs/triage.md, "First run on the December 2026 blind set"). They are not targets: falling
below them means generalisation was lost somewhere; rising above them proves nothing.

The fence: no corpus line may be a near copy of a blind line, or the set would stop being
blind the day someone adds a paraphrase of it to the training text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.triage.near_copies import near_copies
from triage import training
from triage.corpus import load_corpus, read_file

BLIND = Path(__file__).resolve().parent / "blind_set_2026_12.jsonl"
# First run, all languages: (found, total). The P1 floor was lowered from 94 to 93 when
# triage-v2 (the second precision round: rule guards, hard negatives, retrained) lost one of
# these P1 openings; that round was chosen on validation and cross-validation, and the loss
# is reported in docs/triage.md. A further loss fails here again.
FIRST_RUN_P1 = (93, 98)
FIRST_RUN_FALSE_P1 = (35, 195)
FIRST_RUN_URGENCY = 242  # of 293 (82.6 %)
FIRST_RUN_CATEGORY = 270  # of 293 (92.2 %; the `also` category counts as right)
FIRST_RUN_LANGUAGE = 291  # of 293 (99.3 %)
# Character 4-gram Jaccard similarity from which two openings count as near copies (the set
# was written with every line below 0.4 against the corpus).
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
