"""Benchmark of the supervisor statistics queries on a generated history (PostgreSQL).

Usage (a separate database, never the service's):
    createdb -h 127.0.0.1 -U postgres poradnia_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/poradnia_bench
    export DJANGO_DEBUG=1 SECRET_KEY=x
    python manage.py migrate
    python manage.py generate_history --conversations 1000000 --days 365
    python bench/stats_queries.py [--runs 5] [--explain] [--refresh] [--check] [--raw]

Measures (warm, after one untimed run) the 30-day dashboard of one unit as its supervisor
sees it (totals, daily series, every breakdown including officers and the heat map) and the
12-month overview of every unit as an admin sees it (totals, monthly series, breakdowns by
unit, language, category, urgency and the heat map), read from the roll-up where it
exists. ``--refresh`` first rebuilds the roll-up of the whole history (timed);
``--check`` compares every figure with the computation from the conversations; ``--raw``
measures that computation instead; ``--filtered`` adds the overview filtered by language
and urgency; ``--indexes`` creates the covering index once proposed for the raw queries
(bench-only); ``--explain`` prints the key lines of EXPLAIN ANALYZE of the slowest queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poradnia.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from advice.models import Conversation  # noqa: E402
from stats.access import StatsScope  # noqa: E402
from stats.metrics import stats_compute  # noqa: E402
from stats.models import RollupCell, RollupPeriod  # noqa: E402
from stats.params import StatsQuery  # noqa: E402
from stats.rollup import stats_rollup_refresh  # noqa: E402

# The indexes proposed for advice.Conversation.Meta.indexes (see docs/statistics.md).
PROPOSED_INDEXES = (
    "CREATE INDEX IF NOT EXISTS conv_stats_created_cover_idx ON advice_conversation "
    "(created_at) INCLUDE (unit_id, status, urgency, language, category, queued_at, "
    "claimed_at, first_officer_message_at, closed_at, escalated_at, referred_at, "
    "transfer_count, rating, assigned_officer_id)",
)


def timed(
    label: str, query: StatsQuery, scope: StatsScope, runs: int, *, rollup: bool = True
) -> list[tuple[float, str]]:
    stats_compute(query, scope, rollup=rollup)  # warm caches and connection
    durations = []
    captured: list[tuple[float, str]] = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            began = time.perf_counter()
            stats_compute(query, scope, rollup=rollup)
            durations.append((time.perf_counter() - began) * 1000)
        captured = [(float(q["time"]) * 1000, q["sql"]) for q in ctx.captured_queries]
    print(
        f"{label}: median {statistics.median(durations):.0f} ms, "
        f"min {min(durations):.0f} ms, max {max(durations):.0f} ms over {runs} runs; "
        f"{len(captured)} queries"
    )
    return captured


def explain(captured: list[tuple[float, str]], top: int) -> None:
    for ms, sql in sorted(captured, reverse=True)[:top]:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        print(f"\n  -- {ms:.0f} ms: {sql[:160]}…")
        with connection.cursor() as cursor:
            cursor.execute("SET work_mem = '64MB'")
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            for (line,) in cursor.fetchall():
                keep = ("Scan", "Aggregate", "Sort", "Execution", "Planning", "Workers", "Hash")
                if any(k in line for k in keep):
                    print("    " + line.strip()[:150])


def _rows(result: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = [("totals", result["totals"])]
    found += [(row["period"], row) for row in result["series"]]
    for name, rows in result["breakdowns"].items():
        for row in rows:
            key = row.get(name, row.get("officer_id", (row.get("weekday"), row.get("hour"))))
            found.append((f"{name}={key}", row))
    return found


def check(label: str, query: StatsQuery, scope: StatsScope) -> None:
    """Compare the roll-up's figures with the computation from the conversations."""
    rolled = _rows(stats_compute(query, scope))
    raw = _rows(stats_compute(query, scope, rollup=False))
    if [k for k, _ in rolled] != [k for k, _ in raw]:
        print(f"{label}: different rows")
        return
    different = 0
    worst = 0.0
    for (_, got), (_, expected) in zip(rolled, raw, strict=True):
        for name, value in expected.items():
            if name.endswith(("_median", "_p90")):
                if value is not None:
                    worst = max(worst, abs(got[name] - value) / max(1.0, value))
            elif got[name] != value:
                different += 1
    print(
        f"{label}: {len(raw)} rows compared, {different} exact figures differ, "
        f"largest relative percentile difference {worst:.2%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--indexes", action="store_true")
    parser.add_argument("--refresh", action="store_true")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--raw", action="store_true")
    parser.add_argument("--filtered", action="store_true")
    parser.add_argument(
        "--live-days",
        type=int,
        default=0,
        help="Also measure as if the last N days were not rolled up (read live).",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL (DATABASE_URL).")
    if args.indexes:
        with connection.cursor() as cursor:
            for sql in PROPOSED_INDEXES:
                began = time.perf_counter()
                cursor.execute(sql)
                print(f"index ready in {time.perf_counter() - began:.1f} s")
            cursor.execute("VACUUM (ANALYZE) advice_conversation")
    if args.refresh:
        first = Conversation.objects.order_by("created_at").values_list("created_at", flat=True)[0]
        began = time.perf_counter()
        report = stats_rollup_refresh(day=first.date() - timedelta(days=1), days=400)
        print(
            f"roll-up refreshed: {report.cells} cells, {len(report.days)} zones "
            f"in {time.perf_counter() - began:.1f} s"
        )
    cells = RollupCell.objects.count()
    with connection.cursor() as cursor:
        table = RollupCell._meta.db_table
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [table])
        (size,) = cursor.fetchone()
    print(f"roll-up: {cells} cells, {size} with indexes")
    total = Conversation.objects.count()
    last = Conversation.objects.order_by("-created_at").values_list("created_at", flat=True)[0]
    busiest = (
        Conversation.objects.exclude(unit=None)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        sys.exit("No answered conversations: run generate_history first.")
    unit_id = busiest["unit_id"]
    zone = ZoneInfo("Europe/Warsaw")
    end = last.astimezone(zone).date()
    print(f"{total} conversations; last day {end}; unit id {unit_id}")

    supervisor = StatsScope(
        unit_ids=frozenset({unit_id}), officer_unit_ids=frozenset({unit_id}), timezone=zone.key
    )
    dashboard = StatsQuery(start=end - timedelta(days=29), end=end, tz=zone, granularity="day")
    admin = StatsScope(unit_ids=None, officer_unit_ids=frozenset(), timezone=zone.key)
    overview = StatsQuery(
        start=end - timedelta(days=364),
        end=end,
        tz=zone,
        granularity="month",
        breakdowns=("unit", "language", "category", "urgency", "heatmap"),
    )
    rows_30 = Conversation.objects.filter(supervisor.conversations_q()).filter(
        dashboard.conversations_q()
    )
    print(f"30-day dashboard rows: {rows_30.count()}")
    rollup = not args.raw
    captured_30 = timed(
        "30-day dashboard, one unit", dashboard, supervisor, args.runs, rollup=rollup
    )
    captured_365 = timed("12-month overview, all units", overview, admin, args.runs, rollup=rollup)
    filtered = replace(overview, languages=("uk",), urgencies=("P1", "P2"))
    if args.filtered:
        timed("12-month overview, language uk, P1+P2", filtered, admin, args.runs, rollup=rollup)
    if args.live_days:
        with transaction.atomic():
            # As if the nightly run had not reached these days; rolled back afterwards.
            first_live = end - timedelta(days=args.live_days - 1)
            RollupPeriod.objects.filter(
                Q(kind="D", start__gte=first_live)
                | Q(kind="W", start__gte=first_live - timedelta(days=first_live.weekday()))
                | Q(kind="M", start__gte=first_live.replace(day=1))
            ).delete()
            live = Conversation.objects.filter(
                created_at__gte=dashboard.until - timedelta(days=args.live_days)
            )
            print(f"last {args.live_days} day(s) read live: {live.count()} conversations")
            timed("30-day dashboard, live days", dashboard, supervisor, args.runs)
            timed("12-month overview, live days", overview, admin, args.runs)
            transaction.set_rollback(True)
    if args.check:
        check("30-day dashboard", dashboard, supervisor)
        check("12-month overview", overview, admin)
        check("12-month overview filtered", filtered, admin)
    if args.explain:
        explain(captured_30, 3)
        explain(captured_365, 3)


if __name__ == "__main__":
    main()
