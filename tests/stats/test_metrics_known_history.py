"""Each metric on a small hand-built history whose right answers are worked out by hand."""

from __future__ import annotations

import pytest

from stats.access import stats_scope_for
from stats.metrics import stats_compute
from stats.params import stats_query_parse
from tests.stats.conftest import T0, seconds

pytestmark = pytest.mark.django_db

RANGE = {"from": "2025-03-01", "to": "2025-03-05"}


@pytest.fixture
def history(make_conversation, unit, officer):
    """Six conversations of unit KAT on Monday 3 March 2025 (two never answered)."""
    kat = {"unit": unit, "officer": officer}
    make_conversation(**kat, urgency="P1", join=30, first_msg=45, close=600, rating=5)
    make_conversation(**kat, urgency="P1", join=200, first_msg=230, close=1000, rating=4)
    make_conversation(status="abandoned", urgency="P1", close=400)
    make_conversation(
        **kat, urgency="P3", join=100, first_msg=160, close=1300, escalate=500, rating=1
    )
    make_conversation(status="abandoned", urgency="P3", close=50)
    make_conversation(
        **kat,
        urgency="P4",
        join=60,
        first_msg=90,
        close=360,
        refer=200,
        rating=5,
        transfer_count=1,
    )


def totals_for(user, **params):
    scope = stats_scope_for(user)
    return stats_compute(stats_query_parse({**RANGE, **params}, scope), scope)


def test_volumes_count_started_answered_abandoned_closed(history, supervisor):
    totals = totals_for(supervisor)["totals"]
    assert totals["started"] == 6
    assert totals["answered"] == 4
    assert totals["abandoned"] == 2
    assert totals["closed"] == 4
    assert totals["escalated"] == 1
    assert totals["referred"] == 1
    assert totals["transferred"] == 1
    assert totals["transfers"] == 1


def test_abandonment_escalation_and_referral_rates(history, supervisor):
    totals = totals_for(supervisor)["totals"]
    assert totals["abandonment_rate"] == 0.3333  # 2 of 6 started
    assert totals["escalation_rate"] == 0.25  # 1 of 4 answered
    assert totals["referral_rate"] == 0.1667  # 1 of 6 started


def test_wait_until_officer_joined_median_p90_max(history, supervisor):
    totals = totals_for(supervisor)["totals"]
    # Waits 30, 60, 100, 200 s: median halfway 60..100, p90 at 2.7 → 100 + 0.7 × 100.
    assert totals["wait_join_n"] == 4
    assert totals["wait_join_median"] == 80.0
    assert totals["wait_join_p90"] == 170.0
    assert totals["wait_join_max"] == 200.0


def test_first_response_time(history, supervisor):
    totals = totals_for(supervisor)["totals"]
    # First officer messages after 45, 90, 160, 230 s.
    assert totals["wait_first_message_n"] == 4
    assert totals["wait_first_message_median"] == 125.0
    assert totals["wait_first_message_p90"] == 209.0
    assert totals["wait_first_message_max"] == 230.0


def test_handle_time_and_time_to_escalation(history, supervisor):
    totals = totals_for(supervisor)["totals"]
    # Handle times (claimed → closed): 570, 800, 1200, 300 s.
    assert totals["handle_n"] == 4
    assert totals["handle_median"] == 685.0
    assert totals["handle_p90"] == 1080.0
    assert totals["handle_max"] == 1200.0
    assert totals["to_escalation_n"] == 1
    assert totals["to_escalation_median"] == 500.0


def test_satisfaction_average_distribution_and_count(history, supervisor):
    totals = totals_for(supervisor)["totals"]
    assert totals["rating_count"] == 4
    assert totals["rating_average"] == 3.75
    assert [totals[f"rating_{s}"] for s in range(1, 6)] == [1, 0, 0, 1, 2]


def test_p1_service_level_counts_unanswered_p1_as_missed(history, supervisor):
    totals = totals_for(supervisor)["totals"]
    assert totals["p1_count"] == 3
    assert totals["p1_within_60s"] == 1
    assert totals["p1_within_300s"] == 2
    assert totals["p1_share_60s"] == 0.3333
    assert totals["p1_share_300s"] == 0.6667


def test_conversation_handed_back_then_left_counts_as_answered_not_abandoned(
    make_conversation, supervisor
):
    make_conversation(status="abandoned", join=20, close=300)
    totals = totals_for(supervisor)["totals"]
    assert (totals["answered"], totals["abandoned"], totals["handle_n"]) == (1, 0, 0)


def test_daily_series_covers_every_day_of_the_range(history, supervisor):
    series = totals_for(supervisor)["series"]
    assert [row["period"] for row in series] == [
        "2025-03-01",
        "2025-03-02",
        "2025-03-03",
        "2025-03-04",
        "2025-03-05",
    ]
    assert [row["started"] for row in series] == [0, 0, 6, 0, 0]
    assert series[2]["wait_join_median"] == 80.0


def test_weekly_and_monthly_series_start_on_monday_and_the_first(history, supervisor):
    weeks = totals_for(supervisor, granularity="week")["series"]
    assert [(row["period"], row["started"]) for row in weeks] == [
        ("2025-02-24", 0),
        ("2025-03-03", 6),
    ]
    months = totals_for(supervisor, granularity="month")["series"]
    assert [(row["period"], row["started"]) for row in months] == [("2025-03-01", 6)]


def test_breakdowns_by_urgency_and_unit(history, supervisor):
    result = totals_for(supervisor)
    by_urgency = {row["urgency"]: row for row in result["breakdowns"]["urgency"]}
    assert {u: r["started"] for u, r in by_urgency.items()} == {"P1": 3, "P3": 2, "P4": 1}
    assert by_urgency["P1"]["wait_join_median"] == 115.0  # 30 and 200 s
    by_unit = {row["unit"]: row["started"] for row in result["breakdowns"]["unit"]}
    assert by_unit == {"KAT": 4, "shared": 2}


def test_heat_map_counts_in_the_units_local_time(history, supervisor):
    cells = totals_for(supervisor)["breakdowns"]["heatmap"]
    assert len(cells) == 7 * 24
    busy = [c for c in cells if c["started"]]
    # 12:00 UTC on Monday 3 March is 13:00 in Warsaw (CET).
    assert busy == [{"weekday": 1, "hour": 13, "started": 6, "answered": 4, "abandoned": 2}]


def test_officer_breakdown_for_the_units_supervisor_only(history, supervisor, admin_user):
    rows = totals_for(supervisor)["breakdowns"]["officer"]
    assert [(r["display_name"], r["started"], r["handle_median"]) for r in rows] == [
        ("Anna", 4, 685.0)
    ]
    assert totals_for(admin_user)["breakdowns"]["officer"] == []


def test_start_day_is_read_in_the_requested_time_zone(make_conversation, supervisor):
    late = T0.replace(hour=23, minute=30)  # Monday 23:30 UTC = Tuesday 00:30 in Warsaw
    make_conversation(at=late, join=10, close=100)
    in_warsaw = totals_for(supervisor)["series"]
    assert [r["period"] for r in in_warsaw if r["started"]] == ["2025-03-04"]
    in_utc = totals_for(supervisor, tz="UTC")["series"]
    assert [r["period"] for r in in_utc if r["started"]] == ["2025-03-03"]


def test_range_excludes_conversations_outside_it(make_conversation, supervisor):
    make_conversation(at=T0 - seconds(10 * 86400), join=10, close=100)
    assert totals_for(supervisor)["totals"]["started"] == 0
