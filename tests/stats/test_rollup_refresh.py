"""Refreshing the statistics roll-up: idempotent, nightly window, late changes, builders."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q

from advice.models import Conversation
from stats.access import stats_scope_for
from stats.metrics import stats_compute
from stats.models import RollupCell, RollupPeriod
from stats.params import stats_query_parse
from stats.rollup import stats_rollup_refresh
from stats.rollup_cells import GRAINS, _build_python, _build_sql, build_cells

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 12, 9, 30, tzinfo=UTC)  # a Wednesday


@pytest.fixture
def week(make_conversation, unit, officer):
    """Conversations on each of the seven days before NOW, some answered, some rated."""
    for n in range(1, 8):
        at = NOW - timedelta(days=n, hours=n)
        make_conversation(
            at=at, unit=unit, officer=officer, join=10 * n, close=400, rating=n % 5 + 1
        )
        make_conversation(at=at, status="abandoned", close=60, language="uk")


def cells():
    columns = [f.column for f in RollupCell._meta.concrete_fields if f.column != "id"]
    return sorted(
        (
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in RollupCell.objects.values_list(*columns)
        ),
        key=repr,
    )


def figures(user, **params):
    scope = stats_scope_for(user)
    query = stats_query_parse({"from": "2025-03-01", "to": "2025-03-11", **params}, scope)
    return stats_compute(query, scope)


def test_refreshing_twice_stores_the_same_cells(week):
    stats_rollup_refresh(day=date(2025, 3, 1), days=11, now=NOW)
    first = cells()
    periods = set(RollupPeriod.objects.values_list("zone", "kind", "start"))
    stats_rollup_refresh(day=date(2025, 3, 1), days=11, now=NOW)
    assert cells() == first
    assert set(RollupPeriod.objects.values_list("zone", "kind", "start")) == periods
    assert ("UTC", "W", date(2025, 3, 3)) in periods  # Monday 3 to Sunday 9 March


def test_nightly_run_refreshes_the_last_two_days_that_are_over(week):
    report = stats_rollup_refresh(now=NOW)
    assert report.days == {
        "Europe/Warsaw": (date(2025, 3, 10), date(2025, 3, 11)),
        "UTC": (date(2025, 3, 10), date(2025, 3, 11)),
    }
    days = RollupPeriod.objects.filter(zone="UTC").values_list("kind", "start")
    assert sorted(days) == [("D", date(2025, 3, 10)), ("D", date(2025, 3, 11))]


def test_a_late_rating_shows_once_its_day_is_refreshed(week, supervisor):
    stats_rollup_refresh(day=date(2025, 3, 1), days=11, now=NOW)
    before = figures(supervisor)["totals"]
    late = Conversation.objects.filter(rating__isnull=False).order_by("created_at").first()
    Conversation.objects.filter(pk=late.pk).update(rating=None)
    assert figures(supervisor)["totals"]["rating_count"] == before["rating_count"]
    day = late.created_at.astimezone(ZoneInfo("Europe/Warsaw")).date()
    stats_rollup_refresh(day=day, now=NOW)
    assert figures(supervisor)["totals"]["rating_count"] == before["rating_count"] - 1
    assert figures(supervisor)["totals"] == figures(supervisor)["totals"]


def test_week_cells_follow_a_refreshed_day(week, supervisor):
    stats_rollup_refresh(day=date(2025, 3, 1), days=11, now=NOW)
    Conversation.objects.filter(language="uk").update(category="sextortion")
    week_range = {"from": "2025-03-03", "to": "2025-03-09"}

    def by_category():
        rows = figures(supervisor, **week_range)["breakdowns"]["category"]
        return {r["category"]: r["started"] for r in rows}

    assert by_category() == {"other": 10}
    # Only 5 March is recomputed: the week (read from its own cells) shows that day's change.
    stats_rollup_refresh(day=date(2025, 3, 5), now=NOW)
    assert by_category() == {"other": 9, "sextortion": 1}
    stats_rollup_refresh(day=date(2025, 3, 3), days=7, now=NOW)
    assert by_category() == {"other": 5, "sextortion": 5}


def test_command_rolls_up_from_a_date(week):
    out = io.StringIO()
    call_command(
        "rollup_statistics", "--since", "2025-03-04", "--days", "3", "--zone", "UTC", stdout=out
    )
    assert "UTC: 2025-03-04 … 2025-03-06" in out.getvalue()
    assert set(RollupPeriod.objects.values_list("start", flat=True)) == {
        date(2025, 3, 4),
        date(2025, 3, 5),
        date(2025, 3, 6),
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL builder is PostgreSQL's")
def test_sql_and_python_builders_give_the_same_cells(week, make_conversation):
    make_conversation(
        at=NOW - timedelta(days=2), join=-3, first_msg=200000, close=250000, urgency="P1"
    )
    where = Q(created_at__lt=NOW)
    for zone in (ZoneInfo("Europe/Warsaw"), ZoneInfo("UTC")):
        assert _build_sql(where, zone, GRAINS) == _build_python(where, zone, GRAINS)
    some = ("all.total", "all.heat", "category")
    assert _build_sql(where, ZoneInfo("UTC"), some) == _build_python(where, ZoneInfo("UTC"), some)
    assert build_cells(where, ZoneInfo("UTC"), ()) == {}
