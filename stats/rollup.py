"""Writes of the statistics roll-up: recompute the cells of given days from conversations.

Days are calendar days of each *roll-up zone* (the time zones of the units and
``settings.TIME_ZONE``: the zones statistics are read in by default). A day is rolled up
only once it is over in its zone; the weeks and months whose days are all rolled up get
cells of their own, the sums of their days' cells, so that long ranges read few rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from advice.models import Unit
from advice.unit_zones import zone_name
from stats.bulk import insert_rows
from stats.models import PeriodKind, RollupCell, RollupPeriod
from stats.rollup_cells import (
    CELL_COLUMNS,
    DIMENSIONS,
    GRAINS,
    VALUE_COLUMNS,
    WEEKLESS,
    Merged,
    build_cells,
    cell_values,
)

# Days recomputed by the nightly run: a conversation open across midnight, or rated the
# next morning, is counted again the following night.
NIGHTLY_DAYS = 2
# Days built with one query: bounds the memory of a long refresh.
CHUNK_DAYS = 31
# Cells written by one refresh after which PostgreSQL's planner statistics are renewed.
ANALYZE_AFTER = 20000
# Zones are interchangeable when their clocks agree at every quarter hour of the period.
_ZONE_PROBE = timedelta(minutes=15)


@dataclass
class RollupReport:
    """What a refresh did: per zone the first and last day rolled up, and cells written."""

    days: dict[str, tuple[date, date]] = field(default_factory=dict)
    cells: int = 0


def rollup_zones() -> list[str]:
    """The zones roll-ups are kept for: every unit's zone and ``settings.TIME_ZONE``."""
    names = {
        settings.TIME_ZONE,
        *(
            zone_name(timezone=timezone, country=country)
            for timezone, country in Unit.objects.values_list("timezone", "country")
        ),
    }
    zones = []
    for name in sorted(names):
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        zones.append(name)
    return zones


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of ``day`` in ``zone``."""
    return datetime.combine(day, time.min, tzinfo=zone)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def period_days(kind: str, start: date) -> list[date]:
    """Every day of the period of ``kind`` beginning on ``start``."""
    if kind == PeriodKind.DAY:
        return [start]
    if kind == PeriodKind.WEEK:
        return [start + timedelta(days=i) for i in range(7)]
    following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return [start + timedelta(days=i) for i in range((following - start).days)]


def _same_clock(a: ZoneInfo, b: ZoneInfo, since: datetime, until: datetime) -> bool:
    moment = since
    while moment <= until:
        if moment.astimezone(a).utcoffset() != moment.astimezone(b).utcoffset():
            return False
        moment += _ZONE_PROBE
    return True


def _zone_classes(names: Sequence[str], first: date, last: date) -> list[list[str]]:
    """``names`` grouped by identical clocks over ``first`` … ``last`` (computed once each)."""
    since = datetime.combine(first - timedelta(days=1), time.min, tzinfo=UTC)
    until = datetime.combine(last + timedelta(days=2), time.min, tzinfo=UTC)
    classes: list[list[str]] = []
    for name in names:
        for members in classes:
            if _same_clock(ZoneInfo(members[0]), ZoneInfo(name), since, until):
                members.append(name)
                break
        else:
            classes.append([name])
    return classes


def _replace_periods(
    zones: Sequence[str], kind: str, starts: Sequence[date], rows: Sequence[tuple[Any, ...]]
) -> int:
    """Replace the cells and markers of periods ``starts`` in every zone of ``zones``.

    The cells are stored once, under ``zones[0]``; every zone's marker points there.
    ``rows`` are cell rows without their zone and kind; returns the cells written.
    """
    now = timezone.now()
    RollupCell.objects.filter(zone__in=zones, kind=kind, start__in=starts).delete()
    RollupPeriod.objects.filter(zone__in=zones, kind=kind, start__in=starts).delete()
    insert_rows(RollupCell, CELL_COLUMNS, ((zones[0], kind, *row) for row in rows))
    RollupPeriod.objects.bulk_create(
        RollupPeriod(zone=zone, kind=kind, start=start, source=zones[0], refreshed_at=now)
        for zone in zones
        for start in starts
    )
    return len(rows)


def _refresh_days(zones: Sequence[str], first: date, last: date) -> int:
    """Recompute the day cells of ``first`` … ``last`` (all days of the first zone's clock)."""
    zone = ZoneInfo(zones[0])
    written = 0
    chunk = first
    while chunk <= last:
        end = min(last, chunk + timedelta(days=CHUNK_DAYS - 1))
        where = Q(
            created_at__gte=day_start(chunk, zone),
            created_at__lt=day_start(end + timedelta(days=1), zone),
        )
        cells = build_cells(where, zone, GRAINS)
        rows = [cell_values(key, sums) for key, sums in cells.items()]
        days = [chunk + timedelta(days=i) for i in range((end - chunk).days + 1)]
        written += _replace_periods(zones, PeriodKind.DAY, days, rows)
        chunk = end + timedelta(days=1)
    return written


_KEY_COLUMNS = ("grain", *DIMENSIONS)


def _merge_period(zones: Sequence[str], kind: str, start: date) -> int:
    """Cells of a week or month: the sums of its day cells (weeks: not of ``WEEKLESS``)."""
    days = period_days(kind, start)
    sources = RollupPeriod.objects.filter(zone=zones[0], kind=PeriodKind.DAY, start__in=days)
    by_source: dict[str, list[date]] = defaultdict(list)
    for source, day in sources.values_list("source", "start"):
        by_source[source].append(day)
    stored = Q(pk__in=[])
    for source, found in by_source.items():
        stored |= Q(zone=source, start__in=found)
    cells = RollupCell.objects.filter(stored, kind=PeriodKind.DAY)
    if kind == PeriodKind.WEEK:
        cells = cells.exclude(grain__in=WEEKLESS)
    groups: dict[tuple[Any, ...], Merged] = defaultdict(Merged)
    width = len(_KEY_COLUMNS)
    for values in cells.values_list(*_KEY_COLUMNS, *VALUE_COLUMNS).iterator(chunk_size=5000):
        groups[values[:width]].add_values(values[width:])
    rows = [(start, *key, *merged.values()) for key, merged in groups.items()]
    return _replace_periods(zones, kind, [start], rows)


def _refresh_longer_periods(zones: Sequence[str], first: date, last: date, today: date) -> int:
    """Rebuild (or drop) the weeks and months that contain a refreshed day.

    A week or month gets cells only when it is over and every one of its days is rolled
    up; otherwise any cells it had are removed, so reads fall back to its days.
    """
    starts: dict[str, set[date]] = {PeriodKind.WEEK: set(), PeriodKind.MONTH: set()}
    day = first
    while day <= last:
        starts[PeriodKind.WEEK].add(week_start(day))
        starts[PeriodKind.MONTH].add(month_start(day))
        day += timedelta(days=1)
    rolled = set(
        RollupPeriod.objects.filter(
            zone=zones[0],
            kind=PeriodKind.DAY,
            start__gte=month_start(week_start(first)),
            start__lte=last + timedelta(days=31),
        ).values_list("start", flat=True)
    )
    written = 0
    for kind, found in starts.items():
        for start in sorted(found):
            days = period_days(kind, start)
            if days[-1] < today and rolled.issuperset(days):
                written += _merge_period(zones, kind, start)
            else:
                RollupCell.objects.filter(zone__in=zones, kind=kind, start=start).delete()
                RollupPeriod.objects.filter(zone__in=zones, kind=kind, start=start).delete()
    return written


def stats_rollup_refresh(
    *,
    day: date | None = None,
    days: int | None = None,
    zones: Iterable[str] | None = None,
    now: datetime | None = None,
) -> RollupReport:
    """Recompute the roll-up of ``days`` days from ``day`` on, from the conversations.

    ``day`` None means the last ``days`` (default 2, the nightly run) days that are over;
    with a ``day``, ``days`` defaults to 1. ``zones`` defaults to ``rollup_zones()``.
    Days not yet over in a zone are skipped there (they are always read from the
    conversations). Idempotent: the cells of each day, and of each completed week and
    month containing one, are replaced in one transaction per group of zones with the
    same clock, so readers see either the old or the new figures.
    """
    now = now or timezone.now()
    count = days if days is not None else (1 if day is not None else NIGHTLY_DAYS)
    report = RollupReport()
    if count < 1:
        return report
    names = list(zones) if zones is not None else rollup_zones()
    around = day if day is not None else now.date() - timedelta(days=count)
    for members in _zone_classes(names, around, around + timedelta(days=count)):
        zone = ZoneInfo(members[0])
        today = now.astimezone(zone).date()
        first = day if day is not None else today - timedelta(days=count)
        last = min(first + timedelta(days=count - 1), today - timedelta(days=1))
        if first > last:
            continue
        outer = connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and not outer:
                # Every query of the refresh reads the same snapshot of the conversations.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            report.cells += _refresh_days(members, first, last)
            report.cells += _refresh_longer_periods(members, first, last, today)
        for name in members:
            report.days[name] = (first, last)
    if connection.vendor == "postgresql" and report.cells >= ANALYZE_AFTER:
        # Fresh planner statistics after a large refresh (reads pick the index).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {RollupCell._meta.db_table}")
            cursor.execute(f"ANALYZE {RollupPeriod._meta.db_table}")
    return report
