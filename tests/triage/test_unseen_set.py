"""The unseen set (``unseen_set.jsonl``, written before the model existed): a regression floor.

The floors are the **first run** of the finished system (rules + model ``triage-v1``), scored
once after the model and its thresholds were committed and never tuned on since
(docs/triage.md, "First run on the unseen set"). They are not targets: a change that drops
below them has lost generalisation somewhere; rising above them proves nothing, because
this set has now been seen.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from triage import training
from triage.corpus import read_file

UNSEEN = Path(__file__).resolve().parent / "unseen_set.jsonl"
# First run, all languages: (found, total) and shares.
# P1 found: 102 at the first run; lowered to 100 with triage-v3 (third precision round, chosen on
# validation and cross-validation), which finds as many P1 openings as triage-v2 on the three
# seen sets together (281 of 296: two more in blind_set_2026_12, two fewer here) with fewer
# false P1 (56 against 64 of 591; here 13 against 16). A trade recorded, not a target.
FIRST_RUN_P1 = (100, 108)
FIRST_RUN_FALSE_P1 = (33, 216)
FIRST_RUN_URGENCY = 262  # of 324 (80.9 %)
# of 324 (89.5 % at the first run, 290; the `also` category counts as right). Lowered by one
# opening with the precision guards of December 2026, which cut false P1 here from 33 to 25
# (second look, not blind; docs/triage.md): a trade recorded, not a tuning target. Lowered
# by one more with triage-v3 (see FIRST_RUN_P1).
FIRST_RUN_CATEGORY = 288


@pytest.fixture(scope="module")
def everything() -> training.Tally:
    tallies, _, _ = training.evaluate_examples(read_file(UNSEEN))
    return tallies["all"]


def test_p1_recall_stays_at_its_first_run_level(everything: training.Tally) -> None:
    assert everything.p1_total == FIRST_RUN_P1[1]
    assert everything.p1_found >= FIRST_RUN_P1[0]


def test_false_p1_does_not_grow(everything: training.Tally) -> None:
    assert everything.other_total == FIRST_RUN_FALSE_P1[1]
    assert everything.false_p1 <= FIRST_RUN_FALSE_P1[0]


def test_urgency_and_category_stay_at_their_first_run_level(everything: training.Tally) -> None:
    assert everything.urgency >= FIRST_RUN_URGENCY
    assert everything.category >= FIRST_RUN_CATEGORY
