"""A formula hidden behind invisible characters is neutralised like any other."""

from __future__ import annotations

import pytest

from stats.export import csv_safe


@pytest.mark.parametrize(
    "prefix", ["\x00", " ", "  ", "\t ", "\u200b", "\u200e", "\u202e", "\ufeff", "\u00a0", "\u2028"]
)
@pytest.mark.parametrize("formula", ["=1+1", "+1", "-1", "@SUM(A1)"])
def test_a_formula_after_invisible_characters_is_prefixed(prefix, formula):
    assert csv_safe(prefix + formula) == "'" + prefix + formula


@pytest.mark.parametrize("value", [" plain", "\u200bword", "a=b", "x-1"])
def test_text_that_is_no_formula_stays_as_it_is(value):
    assert csv_safe(value) == value
