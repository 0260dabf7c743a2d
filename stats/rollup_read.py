"""Historical metrics read from the roll-up (read-only).

The range is covered with the coarsest rolled-up periods that fit inside it (months, then
ISO weeks, then days); days without a roll-up (today, or days the nightly run has not
reached) are computed from the conversations into the same cells, so figures are always
current. Cells are summed per output group; counts are exact and percentiles come from
the merged histograms.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q

from stats.access import StatsScope
from stats.definitions import (
    CELL_COUNTS,
    Row,
    finish_row,
    heatmap_rows,
    sorted_by_value,
    with_officer_names,
    with_unit_codes,
)
from stats.models import PeriodKind, RollupCell, RollupPeriod
from stats.params import SHARED_QUEUE, StatsQuery
from stats.rollup import day_start, month_start, period_days, week_start
from stats.rollup_cells import (
    ALL_UNITS,
    DIMENSIONS,
    GRAIN_DIMS,
    VALUE_COLUMNS,
    WEEKLESS,
    CellKey,
    CellSums,
    Merged,
    build_cells,
)

Period = tuple[str, date]
_FIELD_BREAKDOWNS = ("language", "category", "urgency")


@dataclass
class RolledUp:
    """Totals, series and the breakdowns that could be read from the roll-up."""

    totals: Row
    series: list[Row]
    breakdowns: dict[str, list[Row]]


def bucket_start(day: date, granularity: str) -> date:
    if granularity == "week":
        return week_start(day)
    if granularity == "month":
        return month_start(day)
    return day


def next_bucket(day: date, granularity: str) -> date:
    if granularity == "week":
        return day + timedelta(days=7)
    if granularity == "month":
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day + timedelta(days=1)


def _cover(first: date, last: date, rolled: set[Period]) -> tuple[list[Period], list[date]]:
    """Rolled-up periods inside ``first`` … ``last`` covering it, coarsest first, and the
    days left over (not rolled up)."""
    periods: list[Period] = []
    raw: list[date] = []
    day = first
    while day <= last:
        candidates = [(PeriodKind.MONTH, month_start(day)), (PeriodKind.WEEK, week_start(day))]
        fitting = [
            (kind, start)
            for kind, start in candidates
            if start == day and (kind, start) in rolled and period_days(kind, start)[-1] <= last
        ]
        if fitting:
            periods.append(fitting[0])
            day = period_days(*fitting[0])[-1] + timedelta(days=1)
            continue
        if (PeriodKind.DAY, day) in rolled:
            periods.append((PeriodKind.DAY, day))
        else:
            raw.append(day)
        day += timedelta(days=1)
    return periods, raw


def _grain(dimensions: set[str], *, all_units: bool) -> str | None:
    """The narrowest grain keeping ``dimensions`` (None: no grain does)."""
    prefix = ALL_UNITS if all_units else ""
    for name in ("total", "language", "category", "urgency", "lcu"):
        if dimensions <= set(GRAIN_DIMS[name]):
            return prefix + name
    if dimensions == set(GRAIN_DIMS["heat"]):
        return prefix + "heat"
    return None


def _periods_q(periods: Iterable[Period], sources: dict[Period, str]) -> Q:
    """Cells of ``periods``, each under the zone holding its cells."""
    by_key: dict[tuple[str, str], list[date]] = defaultdict(list)
    for kind, start in periods:
        by_key[(sources[(kind, start)], kind)].append(start)
    q = Q(pk__in=[])
    for (zone, kind), starts in by_key.items():
        q |= Q(zone=zone, kind=kind, start__in=starts)
    return q


def _runs(days: Sequence[date]) -> list[tuple[date, date]]:
    """Ascending ``days`` as runs of consecutive days (first, last)."""
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


class _Reader:
    """Reads and sums cells of one query: stored ones and ones built from conversations."""

    def __init__(
        self,
        query: StatsQuery,
        scope: StatsScope,
        sources: dict[Period, str],
        raw_days: Sequence[date],
    ) -> None:
        self.query = query
        self.sources = sources
        self.where = scope.conversations_q() & query.filters_q()
        self.raw_days = raw_days
        self.built: dict[CellKey, CellSums] = {}

    def build(self, grains: Iterable[str]) -> None:
        """Compute the cells of the days not rolled up, for every grain read."""
        if not self.raw_days:
            return
        ranges = Q(pk__in=[])
        for first, last in _runs(self.raw_days):
            ranges |= Q(
                created_at__gte=day_start(first, self.query.tz),
                created_at__lt=day_start(last + timedelta(days=1), self.query.tz),
            )
        self.built = build_cells(self.where & ranges, self.query.tz, grains)

    def read(
        self,
        grain: str,
        periods: Sequence[Period],
        group: Sequence[str],
        *,
        units: Sequence[int] | None = None,
        counts_only: bool = False,
        label: dict[Period, Any] | None = None,
    ) -> dict[tuple[Any, ...], Merged]:
        """Sums of ``grain``'s cells over ``periods`` and the days not rolled up, per value
        of the ``group`` dimensions (``"period"`` groups by ``label[(kind, start)]``).

        ``units`` further restricts the cells to those units."""
        extra = Q(unit_id__in=units) if units is not None else Q()
        fields = [name for name in group if name != "period"]
        values = CELL_COUNTS if counts_only else VALUE_COLUMNS
        groups: dict[tuple[Any, ...], Merged] = defaultdict(Merged)
        if periods:
            cells = RollupCell.objects.filter(
                _periods_q(periods, self.sources), self.where, extra, grain=grain
            )
            width = 2 + len(fields)
            # A plain fetch: a server-side cursor (``iterator()``) gets a first-rows plan.
            for row in cells.values_list("kind", "start", *fields, *values):
                key = _group_key(group, fields, row[2:width], label, (row[0], row[1]))
                merged = groups[key]
                if counts_only:
                    merged.counts = [
                        a + (b or 0) for a, b in zip(merged.counts, row[width:], strict=True)
                    ]
                else:
                    merged.add_values(row[width:])
        allowed = set(units) if units is not None else None
        for key, sums in self.built.items():
            if key[1] != grain:
                continue
            dims = dict(zip(DIMENSIONS, key[2:], strict=True))
            if allowed is not None and dims["unit_id"] not in allowed:
                continue
            period = (PeriodKind.DAY, key[0])
            groups[_group_key(group, fields, [dims[f] for f in fields], label, period)].add_sums(
                sums
            )
        return groups


def _group_key(
    group: Sequence[str],
    fields: Sequence[str],
    values: Sequence[Any],
    label: dict[Period, Any] | None,
    period: Period,
) -> tuple[Any, ...]:
    found = dict(zip(fields, values, strict=True))
    return tuple((label or {}).get(period) if name == "period" else found[name] for name in group)


def _rows(groups: dict[tuple[Any, ...], Merged], name: str) -> list[Row]:
    rows = []
    for key, merged in groups.items():
        row = finish_row(merged.raw())
        row[name] = key[0]
        rows.append(row)
    return rows


def _labels(query: StatsQuery) -> list[tuple[date, date, date]]:
    """Series periods as (label, first day, last day) within the range."""
    found = []
    bucket = bucket_start(query.start, query.granularity)
    while bucket <= query.end:
        following = next_bucket(bucket, query.granularity)
        found.append(
            (bucket, max(bucket, query.start), min(following - timedelta(days=1), query.end))
        )
        bucket = following
    return found


def stats_rolled_up(query: StatsQuery, scope: StatsScope) -> RolledUp | None:
    """The metrics of ``query`` from roll-ups, or None when no period of its range in
    ``query.tz`` is rolled up (then everything is computed from the conversations).

    Breakdowns that no grain can answer (officers or the heat map under a language,
    category or urgency filter) are left out of ``breakdowns`` for the caller to compute.
    """
    sources: dict[Period, str] = {
        (kind, start): source
        for kind, start, source in RollupPeriod.objects.filter(
            zone=query.tz.key,
            start__gte=query.start - timedelta(days=31),
            start__lte=query.end,
        ).values_list("kind", "start", "source")
    }
    rolled = set(sources)
    without_weeks = {period for period in rolled if period[0] != PeriodKind.WEEK}

    def cover(first: date, last: date, grain: str) -> tuple[list[Period], list[date]]:
        return _cover(first, last, without_weeks if grain in WEEKLESS else rolled)

    any_stored, raw_days = cover(query.start, query.end, "total")
    if not any_stored:
        return None
    filtered = {
        name
        for name, values in (
            ("language", query.languages),
            ("category", query.categories),
            ("urgency", query.urgencies),
        )
        if values
    }
    all_units = scope.unit_ids is None and not query.unit_ids and not query.shared_queue
    per_unit = "unit" in query.breakdowns or not all_units
    base = _grain(filtered, all_units=not per_unit)
    wanted: dict[str, str] = {}
    for name in query.breakdowns:
        if name in _FIELD_BREAKDOWNS:
            grain = _grain(filtered | {name}, all_units=all_units)
        elif name == "officer":
            grain = None if filtered else "officer"
        elif name == "heatmap":
            grain = None if filtered else _grain({"weekday", "hour"}, all_units=all_units)
        else:
            continue
        if grain is not None:
            wanted[name] = grain
    if base is None:
        return None
    reader = _Reader(query, scope, sources, raw_days)
    reader.build({base, *wanted.values()})

    labels = _labels(query)
    label: dict[Period, Any] = {}
    series_periods: list[Period] = []
    for bucket, first, last in labels:
        periods, days = cover(first, last, base)
        series_periods += periods
        for period in [*periods, *((PeriodKind.DAY, day) for day in days)]:
            label[period] = bucket
    group = ("period", "unit_id") if per_unit else ("period",)
    base_groups = reader.read(base, series_periods, group, label=label)

    by_period: dict[date, Merged] = defaultdict(Merged)
    by_unit: dict[tuple[Any, ...], Merged] = defaultdict(Merged)
    total = Merged()
    for key, merged in base_groups.items():
        by_period[key[0]].add(merged)
        if per_unit:
            by_unit[(key[1],)].add(merged)
        total.add(merged)
    series = [
        {"period": bucket.isoformat(), **finish_row(by_period[bucket].raw())}
        for bucket, _, _ in labels
    ]
    breakdowns: dict[str, list[Row]] = {}
    for name in query.breakdowns:
        if name == "unit":
            breakdowns[name] = with_unit_codes(_rows(by_unit, "unit_id"), SHARED_QUEUE)
            continue
        if name not in wanted:
            continue
        periods, _ = cover(query.start, query.end, wanted[name])
        if name in _FIELD_BREAKDOWNS:
            groups = reader.read(wanted[name], periods, (name,))
            breakdowns[name] = sorted_by_value(_rows(groups, name), name)
        elif name == "officer":
            breakdowns[name] = _officers(reader, periods, scope)
        elif name == "heatmap":
            groups = reader.read(wanted[name], periods, ("weekday", "hour"), counts_only=True)
            heat = {
                key: dict(zip(CELL_COUNTS, merged.counts, strict=True))
                for key, merged in groups.items()
            }
            breakdowns[name] = heatmap_rows(heat)
    return RolledUp(totals=finish_row(total.raw()), series=series, breakdowns=breakdowns)


def _officers(reader: _Reader, periods: Sequence[Period], scope: StatsScope) -> list[Row]:
    if not scope.officer_unit_ids:
        return []
    units = sorted(scope.officer_unit_ids)
    groups = reader.read("officer", periods, ("officer_id",), units=units)
    return with_officer_names(_rows(groups, "officer_id"))
