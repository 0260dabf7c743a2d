"""Daily roll-up cells computed from conversations, and sums of cells.

A *cell* sums the conversations created on one day (in one time zone) that share a unit
and the dimensions of a *grain*. The same cells come from two builders that must agree:
one grouped query per call on PostgreSQL (``GROUPING SETS``, histograms from
``array_agg`` of bucket numbers) and a loop in Python elsewhere (SQLite).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q

from advice.models import Conversation, ConversationStatus, Urgency
from stats import histogram
from stats.definitions import CELL_COUNTS, DURATIONS, P1_THRESHOLDS

# The dimensions a cell may be split by, besides its unit, and their value when not split.
DIMENSIONS = ("unit_id", "language", "category", "urgency", "officer_id", "weekday", "hour")
EMPTY: dict[str, Any] = {
    "unit_id": None,
    "language": "",
    "category": "",
    "urgency": "",
    "officer_id": None,
    "weekday": None,
    "hour": None,
}
# Grains: which dimensions each kind of cell keeps. "lcu" serves every combination of
# language, category and urgency filters; "heat" (weekday 1-7, hour 0-23 in the zone)
# carries counts only. Grains starting with "all." sum every unit (for all-unit scopes).
ALL_UNITS = "all."
GRAIN_DIMS: dict[str, tuple[str, ...]] = {
    "total": (),
    "language": ("language",),
    "category": ("category",),
    "urgency": ("urgency",),
    "lcu": ("language", "category", "urgency"),
    "officer": ("officer_id",),
    "heat": ("weekday", "hour"),
}
GRAINS: tuple[str, ...] = (
    *GRAIN_DIMS,
    *(ALL_UNITS + name for name in GRAIN_DIMS if name != "officer"),
)
COUNTS_ONLY = frozenset({"heat", ALL_UNITS + "heat"})
# Grains kept for days and months but not weeks: split this finely, a week has almost as
# many cells as its days (the heat map by weekday, exactly as many).
WEEKLESS = frozenset({*COUNTS_ONLY, "lcu", ALL_UNITS + "lcu"})


def grain_dimensions(grain: str) -> tuple[str, ...]:
    """Every dimension a cell of ``grain`` is split by (the unit unless summed over units)."""
    if grain.startswith(ALL_UNITS):
        return GRAIN_DIMS[grain.removeprefix(ALL_UNITS)]
    return ("unit_id", *GRAIN_DIMS[grain])


# A cell: (day, grain, unit_id, language, category, urgency, officer_id, weekday, hour).
CellKey = tuple[Any, ...]


@dataclass
class CellSums:
    """Exact sums of a cell and, per duration, its count, extremes and lane counts."""

    counts: list[int] = field(default_factory=lambda: [0] * len(CELL_COUNTS))
    n: list[int] = field(default_factory=lambda: [0] * len(DURATIONS))
    low: list[float | None] = field(default_factory=lambda: [None] * len(DURATIONS))
    high: list[float | None] = field(default_factory=lambda: [None] * len(DURATIONS))
    lanes: list[dict[int, int]] = field(default_factory=lambda: [{} for _ in DURATIONS])

    def add(self, counts: Sequence[int], seconds: Sequence[float | None]) -> None:
        """Add one conversation's counts and durations (None: the duration does not apply)."""
        self.counts = [a + b for a, b in zip(self.counts, counts, strict=True)]
        for i, value in enumerate(seconds):
            if value is None:
                continue
            self.n[i] += 1
            low, high = self.low[i], self.high[i]
            self.low[i] = value if low is None else min(low, value)
            self.high[i] = value if high is None else max(high, value)
            lanes, lane = self.lanes[i], histogram.lane_of(value)
            lanes[lane] = lanes.get(lane, 0) + 1


def cell_key(day: date, grain: str, values: dict[str, Any]) -> CellKey:
    kept = grain_dimensions(grain)
    return (day, grain, *(values[d] if d in kept else EMPTY[d] for d in DIMENSIONS))


def build_cells(where: Q, zone: ZoneInfo, grains: Iterable[str]) -> dict[CellKey, CellSums]:
    """Cells of ``grains`` for the conversations matching ``where``, by day in ``zone``.

    Officer cells cover only conversations with an assigned officer; counts-only grains
    keep no durations.
    """
    wanted = tuple(dict.fromkeys(grains))
    if not wanted:
        return {}
    if connection.vendor == "postgresql":
        return _build_sql(where, zone, wanted)
    return _build_python(where, zone, wanted)


_FIELDS = (
    "created_at",
    "unit_id",
    "language",
    "category",
    "urgency",
    "assigned_officer_id",
    "status",
    "queued_at",
    "claimed_at",
    "first_officer_message_at",
    "closed_at",
    "escalated_at",
    "referred_at",
    "transfer_count",
    "rating",
)
_CLOSED = ConversationStatus.CLOSED.value
_ABANDONED = ConversationStatus.ABANDONED.value
_P1 = Urgency.P1.value


def _counts(r: dict[str, Any]) -> list[int]:
    """The ``CELL_COUNTS`` of one conversation (as the raw aggregates count it)."""
    claimed, queued, rating = r["claimed_at"], r["queued_at"], r["rating"]
    p1 = r["urgency"] == _P1
    within = [
        int(
            p1
            and claimed is not None
            and queued is not None
            and claimed <= queued + timedelta(seconds=limit)
        )
        for limit in P1_THRESHOLDS
    ]
    values = {
        "started": 1,
        "answered": int(claimed is not None),
        "abandoned": int(r["status"] == _ABANDONED and claimed is None),
        "closed": int(r["status"] == _CLOSED),
        "escalated": int(r["escalated_at"] is not None),
        "referred": int(r["referred_at"] is not None),
        "transferred": int(r["transfer_count"] > 0),
        "transfers": r["transfer_count"],
        "rating_count": int(rating is not None),
        **{f"rating_{score}": int(rating == score) for score in range(1, 6)},
        "p1_count": int(p1),
        **{f"p1_within_{s}s": w for s, w in zip(P1_THRESHOLDS, within, strict=True)},
        "rating_sum": rating or 0,
    }
    return [values[name] for name in CELL_COUNTS]


def _seconds(r: dict[str, Any]) -> list[float | None]:
    found: list[float | None] = []
    for d in DURATIONS:
        start, end = r[d.start], r[d.end]
        if start is None or end is None or (d.name == "handle" and r["status"] != _CLOSED):
            found.append(None)
        else:
            found.append((end - start).total_seconds())
    return found


def _build_python(where: Q, zone: ZoneInfo, grains: Sequence[str]) -> dict[CellKey, CellSums]:
    cells: dict[CellKey, CellSums] = {}
    no_durations = [None] * len(DURATIONS)
    for r in Conversation.objects.filter(where).values(*_FIELDS).iterator(chunk_size=5000):
        local: datetime = r["created_at"].astimezone(zone)
        values = {
            "unit_id": r["unit_id"],
            "language": r["language"],
            "category": r["category"],
            "urgency": r["urgency"],
            "officer_id": r["assigned_officer_id"],
            "weekday": local.isoweekday(),
            "hour": local.hour,
        }
        counts = _counts(r)
        seconds = _seconds(r)
        day = local.date()
        for grain in grains:
            if grain == "officer" and values["officer_id"] is None:
                continue
            key = cell_key(day, grain, values)
            sums = cells.get(key)
            if sums is None:
                sums = cells[key] = CellSums()
            sums.add(counts, no_durations if grain in COUNTS_ONLY else seconds)
    return cells


def _where_sql(where: Q) -> tuple[str, list[Any]]:
    """SQL and parameters of ``where`` on the conversation table (no joins allowed)."""
    query = Conversation.objects.filter(where).query
    compiler = query.get_compiler(connection=connection)
    try:
        sql, params = compiler.compile(query.where)
    except EmptyResultSet:
        return "FALSE", []
    if sum(1 for count in query.alias_refcount.values() if count) > 1:
        raise ValueError("roll-up filters must not join other tables")
    return sql or "TRUE", list(params)


def _grouping_mask(grain: str, grouped: Sequence[str]) -> int:
    """``GROUPING(<grouped>)`` of ``grain``'s rows: a bit per dimension it leaves out."""
    kept = grain_dimensions(grain)
    mask = 0
    for position, name in enumerate(grouped):
        if name not in kept:
            mask |= 1 << (len(grouped) - 1 - position)
    return mask


def _build_sql(where: Q, zone: ZoneInfo, grains: Sequence[str]) -> dict[CellKey, CellSums]:
    """One grouped query for every grain: exact counts and arrays of bucket numbers."""
    where_sql, where_params = _where_sql(where)
    seconds = []
    for i, d in enumerate(DURATIONS):
        value = f"date_part('epoch', {d.end} - {d.start})"
        if d.name == "handle":
            value = f"CASE WHEN status = %s THEN {value} END"
        seconds.append(f"{value} AS d{i}")
    lanes = ", ".join(f"{histogram.lane_sql(f'd{i}')} AS l{i}" for i in range(len(DURATIONS)))
    counts = {
        "started": "count(*)",
        "answered": "count(claimed_at)",
        "abandoned": "count(*) FILTER (WHERE status = %s AND claimed_at IS NULL)",
        "closed": "count(*) FILTER (WHERE status = %s)",
        "escalated": "count(escalated_at)",
        "referred": "count(referred_at)",
        "transferred": "count(*) FILTER (WHERE transfer_count > 0)",
        "transfers": "coalesce(sum(transfer_count), 0)",
        "rating_count": "count(rating)",
        **{f"rating_{s}": f"count(*) FILTER (WHERE rating = {s})" for s in range(1, 6)},
        "p1_count": "count(*) FILTER (WHERE urgency = %s)",
        **{
            f"p1_within_{s}s": "count(*) FILTER (WHERE urgency = %s AND claimed_at <= "
            f"queued_at + interval '{s} seconds')"
            for s in P1_THRESHOLDS
        },
        "rating_sum": "coalesce(sum(rating), 0)",
    }
    count_params = {
        "abandoned": [_ABANDONED],
        "closed": [_CLOSED],
        "p1_count": [_P1],
        **{f"p1_within_{s}s": [_P1] for s in P1_THRESHOLDS},
    }
    durations = ", ".join(
        f"count(d{i}), min(d{i}), max(d{i}), array_agg(l{i}) FILTER (WHERE l{i} IS NOT NULL)"
        for i in range(len(DURATIONS))
    )
    sets = ", ".join(f"({', '.join(('day', *grain_dimensions(g)))})" for g in grains)
    # Only dimensions some grain groups by may appear (others are selected as null).
    grouped = [d for d in DIMENSIONS if any(d in grain_dimensions(g) for g in grains)]
    dimensions = ", ".join(d if d in grouped else "NULL" for d in DIMENSIONS)
    grouping = f"GROUPING({', '.join(grouped)})" if grouped else "0"
    # Built from this module's constants; values (zone, statuses, filters) are parameters.
    sql = (
        "WITH c AS (SELECT created_at AT TIME ZONE %s AS lt, unit_id, language, category, "  # noqa: S608
        "urgency, assigned_officer_id AS officer_id, status, queued_at, claimed_at, "
        f"escalated_at, referred_at, transfer_count, rating, {', '.join(seconds)} "
        f"FROM advice_conversation WHERE {where_sql}), "
        "b AS (SELECT c.*, lt::date AS day, extract(isodow FROM lt)::int AS weekday, "
        f"extract(hour FROM lt)::int AS hour, {lanes} FROM c) "
        f"SELECT day, {dimensions}, {grouping}, "
        f"{', '.join(counts[name] for name in CELL_COUNTS)}, {durations} "
        f"FROM b GROUP BY GROUPING SETS ({sets})"
    )
    params: list[Any] = [zone.key, _CLOSED, *where_params]
    for name in CELL_COUNTS:
        params.extend(count_params.get(name, []))
    by_mask = {_grouping_mask(g, grouped): g for g in grains}
    cells: dict[CellKey, CellSums] = {}
    width = len(DIMENSIONS)
    with connection.cursor() as cursor:
        # A JIT compile costs seconds and saves nothing on these scans.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            day = row[0]
            grain = by_mask[row[1 + width]]
            values = dict(zip(DIMENSIONS, row[1 : 1 + width], strict=True))
            if grain == "officer" and values["officer_id"] is None:
                continue
            at = 2 + width
            sums = CellSums(counts=[int(v) for v in row[at : at + len(CELL_COUNTS)]])
            at += len(CELL_COUNTS)
            if grain not in COUNTS_ONLY:
                for i in range(len(DURATIONS)):
                    n, low, high, found = row[at + 4 * i : at + 4 * i + 4]
                    sums.n[i] = int(n)
                    sums.low[i], sums.high[i] = low, high
                    if found:
                        sums.lanes[i] = Counter(found)
            cells[cell_key(day, grain, values)] = sums
    return cells


# Stored columns of a cell, in order (``stats.models.RollupCell``).
DURATION_COLUMNS = tuple(
    f"{d.name}_{part}" for d in DURATIONS for part in ("n", "min", "max", "hist")
)
VALUE_COLUMNS = (*CELL_COUNTS, *DURATION_COLUMNS)
CELL_COLUMNS = ("zone", "kind", "start", "grain", *DIMENSIONS, *VALUE_COLUMNS)


def _stored(counts: Sequence[int], durations: Sequence[Any]) -> tuple[Any, ...]:
    """``VALUE_COLUMNS`` as stored: zero counts as null (no space in a row)."""
    return (*(count or None for count in counts), *durations)


def cell_values(key: CellKey, sums: CellSums) -> tuple[Any, ...]:
    """A built cell as stored, without its zone and kind (``CELL_COLUMNS[2:]``)."""
    durations: list[Any] = []
    for i in range(len(DURATIONS)):
        if sums.n[i]:
            lanes = histogram.encode(sums.lanes[i])
            durations += [sums.n[i], sums.low[i], sums.high[i], lanes]
        else:
            durations += [None, None, None, None]
    return (*key, *_stored(sums.counts, durations))


class Merged:
    """Sums of several cells: exact counts and extremes, histograms added lane by lane."""

    __slots__ = ("counts", "high", "hist", "low", "n")

    def __init__(self) -> None:
        self.counts = [0] * len(CELL_COUNTS)
        self.n = [0] * len(DURATIONS)
        self.low: list[float | None] = [None] * len(DURATIONS)
        self.high: list[float | None] = [None] * len(DURATIONS)
        self.hist = [0] * len(DURATIONS)

    def _extremes(self, i: int, low: float | None, high: float | None) -> None:
        if low is not None:
            current = self.low[i]
            self.low[i] = low if current is None else min(current, low)
        if high is not None:
            current = self.high[i]
            self.high[i] = high if current is None else max(current, high)

    def add_values(self, values: Sequence[Any]) -> None:
        """Add a stored cell's ``VALUE_COLUMNS`` (in that order)."""
        width = len(CELL_COUNTS)
        self.counts = [a + (b or 0) for a, b in zip(self.counts, values[:width], strict=True)]
        for i in range(len(DURATIONS)):
            n, low, high, hist = values[width + 4 * i : width + 4 * i + 4]
            if n:
                self.n[i] += n
                self._extremes(i, low, high)
                self.hist[i] += histogram.decode(hist)

    def add_sums(self, sums: CellSums) -> None:
        """Add a cell built in memory."""
        self.counts = [a + b for a, b in zip(self.counts, sums.counts, strict=True)]
        for i in range(len(DURATIONS)):
            if sums.n[i]:
                self.n[i] += sums.n[i]
                self._extremes(i, sums.low[i], sums.high[i])
                self.hist[i] += histogram.pack(sums.lanes[i])

    def add(self, other: Merged) -> None:
        self.counts = [a + b for a, b in zip(self.counts, other.counts, strict=True)]
        for i in range(len(DURATIONS)):
            if other.n[i]:
                self.n[i] += other.n[i]
                self._extremes(i, other.low[i], other.high[i])
                self.hist[i] += other.hist[i]

    def values(self) -> tuple[Any, ...]:
        """The ``VALUE_COLUMNS`` of these sums, as stored (to store a merged cell)."""
        durations: list[Any] = []
        for i in range(len(DURATIONS)):
            if self.n[i]:
                hist = histogram.encode_packed(self.hist[i])
                durations += [self.n[i], self.low[i], self.high[i], hist]
            else:
                durations += [None, None, None, None]
        return _stored(self.counts, durations)

    def raw(self) -> dict[str, Any]:
        """Counts and, per duration, n, median, p90 and max (input of ``finish_row``)."""
        raw: dict[str, Any] = dict(zip(CELL_COUNTS, self.counts, strict=True))
        for i, d in enumerate(DURATIONS):
            median, p90 = histogram.percentiles(
                self.hist[i], self.n[i], self.low[i], self.high[i], (0.5, 0.9)
            )
            raw[f"{d.name}_n"] = self.n[i]
            raw[f"{d.name}_median"] = median
            raw[f"{d.name}_p90"] = p90
            raw[f"{d.name}_max"] = self.high[i]
        return raw
