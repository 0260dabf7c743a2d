"""Historical metrics of conversations (read-only), computed with aggregate queries.

Every metric is defined in ``docs/statistics.md``. Counts and rates come from SQL aggregates
on every database; medians and 90th percentiles come from ``percentile_cont`` on PostgreSQL
and from the same interpolation in Python elsewhere (SQLite), so both give the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Count,
    Expression,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import (
    Coalesce,
    ExtractHour,
    ExtractIsoWeekDay,
    TruncDay,
    TruncMonth,
    TruncWeek,
)
from django.utils import timezone

from advice.models import Conversation, ConversationStatus, OfficerProfile, Unit, Urgency
from advice.statistics.access import StatsScope
from advice.statistics.params import SHARED_QUEUE, StatsQuery
from advice.statistics.percentiles import EpochSeconds, PercentileCont, percentile_cont

Row = dict[str, Any]


@dataclass(frozen=True)
class Duration:
    """A time metric: seconds from ``start`` to ``end`` over conversations matching ``only``."""

    name: str
    start: str
    end: str
    only: Q


DURATIONS = (
    Duration("wait_join", "queued_at", "claimed_at", Q()),
    Duration("wait_first_message", "queued_at", "first_officer_message_at", Q()),
    Duration("handle", "claimed_at", "closed_at", Q(status=ConversationStatus.CLOSED)),
    Duration("to_escalation", "created_at", "escalated_at", Q()),
)
# P1 service level thresholds, in seconds from entering the queue to an officer joining.
P1_THRESHOLDS = (60, 300)
COUNT_FIELDS = (
    "started",
    "answered",
    "abandoned",
    "closed",
    "escalated",
    "referred",
    "transferred",
    "transfers",
    "rating_count",
    *(f"rating_{score}" for score in range(1, 6)),
    "p1_count",
    *(f"p1_within_{seconds}s" for seconds in P1_THRESHOLDS),
)
HEATMAP_FIELDS = ("started", "answered", "abandoned")
ABANDONED_Q = Q(status=ConversationStatus.ABANDONED, claimed_at__isnull=True)


def _count_aggregates() -> dict[str, Any]:
    aggregates: dict[str, Any] = {
        "started": Count("pk"),
        "answered": Count("pk", filter=Q(claimed_at__isnull=False)),
        "abandoned": Count("pk", filter=ABANDONED_Q),
        "closed": Count("pk", filter=Q(status=ConversationStatus.CLOSED)),
        "escalated": Count("pk", filter=Q(escalated_at__isnull=False)),
        "referred": Count("pk", filter=Q(referred_at__isnull=False)),
        "transferred": Count("pk", filter=Q(transfer_count__gt=0)),
        "transfers": Coalesce(Sum("transfer_count"), 0),
        "rating_count": Count("rating"),
        "rating_sum": Coalesce(Sum("rating"), 0),
        "p1_count": Count("pk", filter=Q(urgency=Urgency.P1)),
    }
    for score in range(1, 6):
        aggregates[f"rating_{score}"] = Count("pk", filter=Q(rating=score))
    for seconds in P1_THRESHOLDS:
        aggregates[f"p1_within_{seconds}s"] = Count(
            "pk",
            filter=Q(
                urgency=Urgency.P1,
                claimed_at__lte=F("queued_at") + timedelta(seconds=seconds),
            ),
        )
    return aggregates


def _duration_aggregates() -> dict[str, Any]:
    """PostgreSQL: n, median, p90 and max of every duration, in the same grouped query."""
    aggregates: dict[str, Any] = {}
    for d in DURATIONS:
        only = d.only & Q(**{f"{d.end}__isnull": False, f"{d.start}__isnull": False})
        seconds = EpochSeconds(d.end, d.start)
        aggregates[f"{d.name}_n"] = Count("pk", filter=only)
        aggregates[f"{d.name}_median"] = PercentileCont(seconds, 0.5, filter=only)
        aggregates[f"{d.name}_p90"] = PercentileCont(seconds, 0.9, filter=only)
        aggregates[f"{d.name}_max"] = Max(seconds, filter=only)
    return aggregates


def _uses_sql_percentiles() -> bool:
    return connection.vendor == "postgresql"


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(float(value), 3)


def _finish(raw: Row) -> Row:
    """Counts as ints, derived rates, rounded durations: one row of the documented shape."""
    row: Row = {name: int(raw.get(name) or 0) for name in COUNT_FIELDS}
    row["abandonment_rate"] = _ratio(row["abandoned"], row["started"])
    row["escalation_rate"] = _ratio(row["escalated"], row["answered"])
    row["referral_rate"] = _ratio(row["referred"], row["started"])
    row["rating_average"] = (
        round(int(raw.get("rating_sum") or 0) / row["rating_count"], 3)
        if row["rating_count"]
        else None
    )
    for seconds in P1_THRESHOLDS:
        row[f"p1_share_{seconds}s"] = _ratio(row[f"p1_within_{seconds}s"], row["p1_count"])
    for d in DURATIONS:
        row[f"{d.name}_n"] = int(raw.get(f"{d.name}_n") or 0)
        for stat in ("median", "p90", "max"):
            row[f"{d.name}_{stat}"] = _seconds(raw.get(f"{d.name}_{stat}"))
    return row


def _python_durations(qs: QuerySet[Conversation], keys: Iterable[str]) -> dict[Any, Row]:
    """SQLite fallback: n, median, p90 and max of every duration per group, in Python."""
    keys = list(keys)
    fields = sorted({"status", *(d.start for d in DURATIONS), *(d.end for d in DURATIONS)})
    values: dict[Any, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    only_closed = ConversationStatus.CLOSED.value
    for record in qs.values(*keys, *fields).iterator(chunk_size=5000):
        group = tuple(record[k] for k in keys)
        for d in DURATIONS:
            end, start = record[d.end], record[d.start]
            if end is None or start is None:
                continue
            if d.name == "handle" and record["status"] != only_closed:
                continue
            values[group][d.name].append((end - start).total_seconds())
    result: dict[Any, Row] = {}
    for group, by_name in values.items():
        row: Row = {}
        for name, found in by_name.items():
            found.sort()
            row[f"{name}_n"] = len(found)
            row[f"{name}_median"] = percentile_cont(found, 0.5)
            row[f"{name}_p90"] = percentile_cont(found, 0.9)
            row[f"{name}_max"] = found[-1]
        result[group] = row
    return result


def _grouped(qs: QuerySet[Conversation], keys: dict[str, Expression | str]) -> list[Row]:
    """One finished metrics row per distinct value of ``keys`` (raw key values included)."""
    annotated = qs.annotate(
        **{f"k_{name}": e if not isinstance(e, str) else F(e) for name, e in keys.items()}
    )
    key_names = [f"k_{name}" for name in keys]
    aggregates = _count_aggregates()
    sql_percentiles = _uses_sql_percentiles()
    if sql_percentiles:
        aggregates.update(_duration_aggregates())
    rows = list(annotated.values(*key_names).annotate(**aggregates).order_by())
    durations = {} if sql_percentiles else _python_durations(annotated, key_names)
    finished = []
    for raw in rows:
        group = tuple(raw[k] for k in key_names)
        raw.update(durations.get(group, {}))
        row = _finish(raw)
        for name in keys:
            row[name] = raw[f"k_{name}"]
        finished.append(row)
    return finished


def _totals(qs: QuerySet[Conversation]) -> Row:
    aggregates = _count_aggregates()
    if _uses_sql_percentiles():
        aggregates.update(_duration_aggregates())
        return _finish(qs.aggregate(**aggregates))
    raw = qs.aggregate(**aggregates)
    raw.update(_python_durations(qs, []).get((), {}))
    return _finish(raw)


def _bucket_start(day: date, granularity: str) -> date:
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    return day


def _next_bucket(day: date, granularity: str) -> date:
    if granularity == "week":
        return day + timedelta(days=7)
    if granularity == "month":
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day + timedelta(days=1)


def _series(qs: QuerySet[Conversation], query: StatsQuery) -> list[Row]:
    trunc = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}[query.granularity]
    rows = _grouped(qs, {"period": trunc("created_at", tzinfo=query.tz)})
    by_period: dict[date, Row] = {}
    for row in rows:
        moment = row.pop("period")
        day = moment.astimezone(query.tz).date() if isinstance(moment, datetime) else moment
        by_period[day] = row
    series = []
    bucket = _bucket_start(query.start, query.granularity)
    while bucket <= query.end:
        row = by_period.get(bucket) or _finish({})
        series.append({"period": bucket.isoformat(), **row})
        bucket = _next_bucket(bucket, query.granularity)
    return series


def _heatmap(qs: QuerySet[Conversation], query: StatsQuery) -> list[Row]:
    """Started, answered and abandoned conversations per weekday (1 = Monday) and hour."""
    rows = (
        qs.annotate(
            weekday=ExtractIsoWeekDay("created_at", tzinfo=query.tz),
            hour=ExtractHour("created_at", tzinfo=query.tz),
        )
        .values("weekday", "hour")
        .annotate(
            started=Count("pk"),
            answered=Count("pk", filter=Q(claimed_at__isnull=False)),
            abandoned=Count("pk", filter=ABANDONED_Q),
        )
        .order_by()
    )
    cells: dict[tuple[int, int], dict[str, Any]] = {
        (r["weekday"], r["hour"]): dict(r) for r in rows
    }
    empty: dict[str, Any] = {}
    return [
        {
            "weekday": weekday,
            "hour": hour,
            **{
                name: int(cells.get((weekday, hour), empty).get(name, 0)) for name in HEATMAP_FIELDS
            },
        }
        for weekday in range(1, 8)
        for hour in range(24)
    ]


def _officers(qs: QuerySet[Conversation], scope: StatsScope) -> list[Row]:
    """Per-officer metrics, only of conversations of units the user supervises."""
    if not scope.officer_unit_ids:
        return []
    mine = qs.filter(unit_id__in=sorted(scope.officer_unit_ids), assigned_officer_id__isnull=False)
    rows = _grouped(mine, {"officer_id": "assigned_officer_id"})
    names = dict(
        OfficerProfile.objects.filter(user_id__in=[r["officer_id"] for r in rows]).values_list(
            "user_id", "display_name"
        )
    )
    for row in rows:
        row["display_name"] = names.get(row["officer_id"], "")
    return sorted(rows, key=lambda r: (r["display_name"], r["officer_id"]))


def _by_field(qs: QuerySet[Conversation], name: str) -> list[Row]:
    rows = _grouped(qs, {name: name})
    return sorted(rows, key=lambda r: (r[name] is None, str(r[name] or "")))


def _by_unit(qs: QuerySet[Conversation]) -> list[Row]:
    rows = _grouped(qs, {"unit_id": "unit_id"})
    codes = dict(Unit.objects.values_list("pk", "code"))
    for row in rows:
        unit_id = row.pop("unit_id")
        row["unit"] = codes.get(unit_id, "") if unit_id is not None else SHARED_QUEUE
    return sorted(rows, key=lambda r: (r["unit"] == SHARED_QUEUE, r["unit"]))


def stats_conversations(query: StatsQuery, scope: StatsScope) -> QuerySet[Conversation]:
    """The conversations a query describes, within what ``scope`` may see."""
    return Conversation.objects.filter(scope.conversations_q()).filter(query.conversations_q())


def stats_compute(query: StatsQuery, scope: StatsScope) -> dict[str, Any]:
    """Every metric of ``query`` within ``scope``: totals, a time series and breakdowns.

    Returns ``{"filters", "scope", "generated_at", "totals", "series", "breakdowns"}`` as
    documented in ``docs/statistics.md``. The officer breakdown lists only officers of
    units the user supervises.
    """
    qs = stats_conversations(query, scope)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Percentiles sort their input: keep the sorts in memory, for this query only.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '256MB'")
        breakdowns: dict[str, list[Row]] = {}
        for name in query.breakdowns:
            if name == "unit":
                breakdowns[name] = _by_unit(qs)
            elif name == "officer":
                breakdowns[name] = _officers(qs, scope)
            elif name == "heatmap":
                breakdowns[name] = _heatmap(qs, query)
            else:
                breakdowns[name] = _by_field(qs, name)
        return {
            "filters": query.filters(),
            "scope": _scope_view(scope),
            "generated_at": timezone.now().isoformat().replace("+00:00", "Z"),
            "totals": _totals(qs),
            "series": _series(qs, query),
            "breakdowns": breakdowns,
        }


def _scope_view(scope: StatsScope) -> dict[str, Any]:
    units = (
        []
        if scope.unit_ids is None
        else list(
            Unit.objects.filter(pk__in=scope.unit_ids)
            .order_by("code")
            .values_list("code", flat=True)
        )
    )
    return {
        "all_units": scope.all_units,
        "units": units,
        "officers_visible": bool(scope.officer_unit_ids),
    }
