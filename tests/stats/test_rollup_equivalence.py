"""Figures read from the roll-up equal those computed from the conversations.

Counts, rates, averages, the number of values and the maximum of every duration are
exactly the same; medians and 90th percentiles differ by less than the bucket widths
around the values they interpolate between.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from advice.models import Unit
from stats import histogram
from stats.access import stats_scope_for
from stats.definitions import DURATIONS
from stats.metrics import stats_compute, stats_conversations
from stats.models import RollupCell, RollupPeriod
from stats.params import stats_query_parse
from stats.percentiles import percentile_cont
from stats.rollup import stats_rollup_refresh
from stats.rollup_read import bucket_start

pytestmark = pytest.mark.django_db

FIRST = date(2025, 2, 20)
LAST = date(2025, 4, 5)
LANGUAGES = ("pl", "cs", "uk", "")
CATEGORIES = ("phishing", "sextortion", "other")
URGENCIES = ("P1", "P2", "P3", "P4")
# Waits chosen to hit every bucket width, the P1 thresholds exactly, a negative wait
# (clock skew) and the open-ended last bucket.
WAITS = (0.4, 3, 59.5, 60, 61, 119.99, 120, 299, 300, 301, 905, 1799, 1800, 7000, 30000, 2e5)


@pytest.fixture
def history(make_conversation, make_staff, unit, other_unit):
    """About 260 conversations from 20 Feb to 5 Apr 2025 in two units and the shared queue."""
    Unit.objects.filter(pk=other_unit.pk).update(timezone="Europe/Prague")
    anna = make_staff("anna")
    piotr = make_staff("piotr")
    jana = make_staff("jana", in_unit=other_unit)
    staff = [(unit, anna), (unit, piotr), (other_unit, jana)]
    rng = random.Random(7)
    start = datetime(FIRST.year, FIRST.month, FIRST.day, tzinfo=UTC)
    for n in range(260):
        at = start + timedelta(seconds=rng.uniform(0, (LAST - FIRST).days * 86400))
        fields = {
            "language": rng.choice(LANGUAGES),
            "category": rng.choice(CATEGORIES),
            "urgency": rng.choice(URGENCIES),
        }
        if n % 5 == 0:
            make_conversation(at=at, status="abandoned", close=rng.uniform(5, 900), **fields)
            continue
        where, who = rng.choice(staff)
        join = WAITS[n % len(WAITS)] if n % 3 else rng.expovariate(1 / 150)
        if n == 7:
            join = -4.5
        handle = rng.lognormvariate(math.log(700), 0.7)
        make_conversation(
            at=at,
            status="closed" if n % 11 else "active",
            unit=where,
            officer=who,
            join=join,
            first_msg=join + rng.uniform(1, 90),
            close=join + handle if n % 11 else None,
            escalate=join + handle / 2 if n % 4 == 0 else None,
            refer=join + 10 if n % 13 == 0 else None,
            rating=rng.choice((None, 1, 2, 3, 4, 5)),
            transfer_count=1 if n % 17 == 0 else 0,
            **fields,
        )


def compute(user, params, *, rollup):
    scope = stats_scope_for(user)
    query = stats_query_parse(params, scope)
    return stats_compute(query, scope, rollup=rollup), query, scope


def durations_of(conversations):
    """Every duration's sorted values over ``conversations`` (as the raw engine reads them)."""
    found = {d.name: [] for d in DURATIONS}
    for c in conversations:
        for d in DURATIONS:
            start, end = getattr(c, d.start), getattr(c, d.end)
            if start is None or end is None or (d.name == "handle" and c.status != "closed"):
                continue
            found[d.name].append((end - start).total_seconds())
    return {name: sorted(values) for name, values in found.items()}


def bound(values, fraction):
    """Largest error allowed: the widest bucket of the two values interpolated between."""
    position = fraction * (len(values) - 1)
    pair = (values[math.floor(position)], values[math.ceil(position)])
    return max(histogram.lane_width(histogram.lane_of(v)) for v in pair)


def assert_row_equivalent(rolled, raw, conversations, where):
    """Same counts, rates, n and max; percentiles within ``bound`` of the exact ones."""
    for name, value in raw.items():
        if name.endswith(("_median", "_p90")):
            continue
        assert rolled[name] == value, f"{where}: {name}"
    values = durations_of(conversations)
    for d in DURATIONS:
        found = values[d.name]
        assert rolled[f"{d.name}_n"] == len(found)
        for stat, fraction in (("median", 0.5), ("p90", 0.9)):
            exact = raw[f"{d.name}_{stat}"]
            estimate = rolled[f"{d.name}_{stat}"]
            if not found:
                assert estimate is None
                continue
            assert exact == pytest.approx(percentile_cont(found, fraction), abs=1e-3)
            assert abs(estimate - exact) <= bound(found, fraction) + 1e-3, f"{where}: {stat}"


GROUP_FIELDS = {
    "language": "language",
    "category": "category",
    "urgency": "urgency",
    "officer": "officer_id",
}


def assert_equivalent(user, params):
    """Compare every figure of ``params`` from the roll-up with the raw computation."""
    rolled, query, scope = compute(user, params, rollup=True)
    raw, _, _ = compute(user, params, rollup=False)
    conversations = list(stats_conversations(query, scope))
    assert_row_equivalent(rolled["totals"], raw["totals"], conversations, "totals")
    assert [r["period"] for r in rolled["series"]] == [r["period"] for r in raw["series"]]
    tz = query.tz
    for got, expected in zip(rolled["series"], raw["series"], strict=True):
        period = date.fromisoformat(expected["period"])
        inside = [
            c
            for c in conversations
            if bucket_start(c.created_at.astimezone(tz).date(), query.granularity) == period
        ]
        assert_row_equivalent(got, expected, inside, expected["period"])
    assert rolled["breakdowns"].keys() == raw["breakdowns"].keys()
    for name, rows in raw["breakdowns"].items():
        got_rows = rolled["breakdowns"][name]
        if name == "heatmap":
            assert got_rows == rows
            continue
        key = "unit" if name == "unit" else GROUP_FIELDS[name]
        assert [r[key] for r in got_rows] == [r[key] for r in rows], name
        for got, expected in zip(got_rows, rows, strict=True):
            if name == "unit":
                code = expected["unit"]
                inside = [
                    c for c in conversations if (c.unit.code if c.unit_id else "shared") == code
                ]
            elif name == "officer":
                inside = [
                    c
                    for c in conversations
                    if c.assigned_officer_id == expected["officer_id"]
                    and c.unit_id in scope.officer_unit_ids
                ]
            else:
                inside = [c for c in conversations if getattr(c, key) == expected[key]]
            assert_row_equivalent(got, expected, inside, f"{name}={expected[key]}")
    return rolled


QUERIES = [
    {"from": "2025-02-20", "to": "2025-04-05"},
    {"from": "2025-03-01", "to": "2025-03-31", "granularity": "day"},
    {"from": "2025-02-24", "to": "2025-03-30", "granularity": "week"},
    {"from": "2025-02-20", "to": "2025-04-05", "granularity": "month", "tz": "UTC"},
    {"from": "2025-03-05", "to": "2025-03-19", "language": "pl,uk"},
    {"from": "2025-02-20", "to": "2025-04-05", "category": "phishing", "urgency": "P1,P2"},
    {"from": "2025-02-20", "to": "2025-04-05", "unit": "shared"},
    {"from": "2025-02-20", "to": "2025-04-05", "tz": "Europe/Prague"},
]


@pytest.fixture
def rolled_up(history):
    stats_rollup_refresh(day=FIRST - timedelta(days=1), days=(LAST - FIRST).days + 3)


def test_supervisor_figures_from_roll_up_equal_raw(rolled_up, supervisor):
    for params in QUERIES:
        assert_equivalent(supervisor, params)


def test_admin_figures_from_roll_up_equal_raw(rolled_up, admin_user):
    for params in [*QUERIES[:1], *QUERIES[3:6], {**QUERIES[0], "unit": "OVA"}]:
        assert_equivalent(admin_user, params)


def test_roll_up_covers_months_and_weeks_of_every_unit_zone(rolled_up):
    march = RollupPeriod.objects.filter(kind="M", start=date(2025, 3, 1))
    assert set(march.values_list("zone", flat=True)) == {"Europe/Prague", "Europe/Warsaw", "UTC"}
    assert RollupPeriod.objects.filter(zone="UTC", kind="W", start=date(2025, 3, 3)).exists()
    weeks = RollupCell.objects.filter(kind="W")
    assert weeks.filter(grain="category").exists()
    assert not weeks.filter(grain__in=["lcu", "all.lcu", "heat", "all.heat"]).exists()
    # Warsaw and Prague keep the same clock: their cells are stored once.
    assert set(RollupCell.objects.values_list("zone", flat=True).distinct()) == {
        "Europe/Prague",
        "UTC",
    }
    # February is not wholly rolled up (the history starts on the 19th): no month cell.
    assert not RollupPeriod.objects.filter(kind="M", start=date(2025, 2, 1)).exists()


def test_days_not_rolled_up_are_read_from_conversations(history, supervisor, admin_user):
    stats_rollup_refresh(day=date(2025, 3, 10), days=5)
    assert RollupPeriod.objects.filter(zone="Europe/Warsaw").count() == 5
    assert_equivalent(supervisor, {"from": "2025-03-01", "to": "2025-03-31"})
    march = {"from": "2025-03-01", "to": "2025-03-31", "breakdowns": "language,heatmap"}
    assert_equivalent(admin_user, march)
    assert_equivalent(admin_user, {**march, "urgency": "P2"})


def test_today_is_counted_live_next_to_rolled_up_days(make_conversation, supervisor, unit, officer):
    now = timezone.now()
    make_conversation(at=now - timedelta(days=3), unit=unit, officer=officer, join=30, close=90)
    stats_rollup_refresh()
    today = make_conversation(at=now, unit=unit, officer=officer, join=50, close=500)
    assert today.created_at.date() == now.date()
    range_ = {
        "from": (now - timedelta(days=5)).date().isoformat(),
        "to": now.date().isoformat(),
        "tz": "UTC",
    }
    rolled = assert_equivalent(supervisor, range_)
    assert rolled["totals"]["started"] == 2
    assert rolled["totals"]["wait_join_median"] == 40.0  # two values: exact


def test_today_is_never_rolled_up(make_conversation):
    make_conversation(at=timezone.now())
    report = stats_rollup_refresh(day=timezone.now().date(), days=1, zones=["UTC"])
    assert report.days == {}
    assert not RollupPeriod.objects.exists()
