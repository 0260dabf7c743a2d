"""The synthetic history generator: fast bulk rows that the metrics can read."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command

from advice.models import Conversation, Message, Unit
from stats.access import StatsScope
from stats.metrics import stats_compute
from stats.models import RollupPeriod
from stats.params import stats_query_parse

pytestmark = pytest.mark.django_db


def test_generated_history_spreads_over_units_days_and_outcomes():
    call_command(
        "generate_history",
        "--conversations", "600", "--days", "30", "--end", "2025-03-31",
        "--officers-per-unit", "2", "--message-sample", "0.1", "--force",
        stdout=io.StringIO(),
    )  # fmt: skip
    assert Conversation.objects.count() == 600
    assert Unit.objects.count() == 6
    first = Conversation.objects.order_by("created_at").first().created_at.date()
    last = Conversation.objects.order_by("-created_at").first().created_at.date()
    assert date(2025, 2, 28) <= first
    assert last <= date(2025, 4, 1)
    assert Message.objects.exists()
    scope = StatsScope(unit_ids=None, officer_unit_ids=frozenset(), timezone="Europe/Warsaw")
    query = stats_query_parse({"from": "2025-03-01", "to": "2025-03-31"}, scope)
    totals = stats_compute(query, scope)["totals"]
    assert 500 < totals["started"] <= 600
    assert 0 < totals["abandoned"] < totals["answered"]
    assert totals["rating_count"] > 0
    assert totals["p1_count"] > 0
    assert 0 < totals["wait_join_median"] < totals["wait_join_p90"] <= totals["wait_join_max"]


def test_generated_history_is_rolled_up_and_reads_the_same_counts():
    call_command(
        "generate_history",
        "--conversations", "300", "--days", "10", "--end", "2025-03-31",
        "--officers-per-unit", "2", "--message-sample", "0", "--force",
        stdout=io.StringIO(),
    )  # fmt: skip
    assert RollupPeriod.objects.filter(zone="Europe/Warsaw", kind="D").count() == 11
    scope = StatsScope(unit_ids=None, officer_unit_ids=frozenset(), timezone="Europe/Warsaw")
    query = stats_query_parse({"from": "2025-03-20", "to": "2025-03-31"}, scope)
    rolled = stats_compute(query, scope)
    raw = stats_compute(query, scope, rollup=False)
    assert rolled["totals"]["started"] == raw["totals"]["started"] > 250
    assert [r["started"] for r in rolled["series"]] == [r["started"] for r in raw["series"]]
