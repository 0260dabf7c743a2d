"""CSV export: formula neutralisation, the "< 5" rule, no text or personal data."""

from __future__ import annotations

import csv
import io

import pytest

from stats.access import stats_scope_for
from stats.export import csv_safe, stats_csv
from stats.metrics import stats_compute
from stats.params import stats_query_parse

pytestmark = pytest.mark.django_db

RANGE = {"from": "2025-03-03", "to": "2025-03-03", "breakdowns": "category,officer"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("pl", "pl"),
        (12, "12"),
        (None, ""),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_prefixed(value, expected):
    assert csv_safe(value) == expected


def export(user, *, external):
    scope = stats_scope_for(user)
    result = stats_compute(stats_query_parse(RANGE, scope), scope)
    return list(csv.DictReader(io.StringIO(stats_csv(result, external=external))))


@pytest.fixture
def small_and_large(make_conversation, unit, officer):
    for _ in range(6):
        make_conversation(
            unit=unit,
            officer=officer,
            category="phishing",
            join=30,
            close=300,
            rating=5,
            rating_comment="Pan Kowalski z ul. Długiej 5 pomógł",
        )
    for _ in range(2):
        make_conversation(
            unit=unit, officer=officer, category="=cmd|' /C calc'!A0", join=90, close=200
        )


def test_external_export_hides_cells_of_fewer_than_five_conversations(small_and_large, supervisor):
    rows = {(r["section"], r["group"]): r for r in export(supervisor, external=True)}
    large = rows[("category", "phishing")]
    assert large["started"] == "6"
    assert large["wait_join_median"] == "30.0"
    assert large["rating_average"] == "5.0"
    small = rows[("category", "'=cmd|' /C calc'!A0")]
    assert small["started"] == "< 5"
    assert small["wait_join_median"] == "< 5"
    assert small["abandoned"] == "0"
    # A rate is hidden when the conversations it counts are few, even if the base is large.
    total = rows[("total", "")]
    assert total["started"] == "8"
    assert total["rating_5"] == "6"
    assert total["p1_count"] == "0"


def test_internal_export_shows_small_numbers(small_and_large, supervisor):
    rows = {(r["section"], r["group"]): r for r in export(supervisor, external=False)}
    assert rows[("category", "'=cmd|' /C calc'!A0")]["started"] == "2"


def test_export_has_no_message_text_officer_names_or_comments(small_and_large, supervisor):
    scope = stats_scope_for(supervisor)
    result = stats_compute(stats_query_parse(RANGE, scope), scope)
    text = stats_csv(result, external=False)
    assert "Kowalski" not in text
    assert "Anna" not in text
    assert {r["section"] for r in csv.DictReader(io.StringIO(text))} == {
        "total",
        "period",
        "category",
    }
