"""Historical metrics of conversations (read-only), computed with aggregate queries.

Every metric is defined in ``docs/statistics.md``. Counts and rates come from SQL aggregates
on every database; medians and 90th percentiles come from ``percentile_cont`` on PostgreSQL
and from the same interpolation in Python elsewhere (SQLite), so both give the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
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

from advice.models import Conversation, ConversationStatus, Unit, Urgency
from stats.access import StatsScope
from stats.definitions import (
    ABANDONED_Q,
    COUNT_FIELDS,
    DURATIONS,
    HEATMAP_FIELDS,
    P1_THRESHOLDS,
    Row,
    finish_row,
    heatmap_rows,
    sorted_by_value,
    with_officer_names,
    with_unit_codes,
)
from stats.params import SHARED_QUEUE, StatsQuery
from stats.percentiles import EpochSeconds, PercentileCont, percentile_cont
from stats.rollup_read import bucket_start, next_bucket, stats_rolled_up

__all__ = ["COUNT_FIELDS", "DURATIONS", "HEATMAP_FIELDS", "P1_THRESHOLDS", "stats_compute"]


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
        row = finish_row(raw)
        for name in keys:
            row[name] = raw[f"k_{name}"]
        finished.append(row)
    return finished


def _totals(qs: QuerySet[Conversation]) -> Row:
    aggregates = _count_aggregates()
    if _uses_sql_percentiles():
        aggregates.update(_duration_aggregates())
        return finish_row(qs.aggregate(**aggregates))
    raw = qs.aggregate(**aggregates)
    raw.update(_python_durations(qs, []).get((), {}))
    return finish_row(raw)


def _series(qs: QuerySet[Conversation], query: StatsQuery) -> list[Row]:
    trunc = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}[query.granularity]
    rows = _grouped(qs, {"period": trunc("created_at", tzinfo=query.tz)})
    by_period: dict[date, Row] = {}
    for row in rows:
        moment = row.pop("period")
        day = moment.astimezone(query.tz).date() if isinstance(moment, datetime) else moment
        by_period[day] = row
    series = []
    bucket = bucket_start(query.start, query.granularity)
    while bucket <= query.end:
        row = by_period.get(bucket) or finish_row({})
        series.append({"period": bucket.isoformat(), **row})
        bucket = next_bucket(bucket, query.granularity)
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
    return heatmap_rows(cells)


def _officers(qs: QuerySet[Conversation], scope: StatsScope) -> list[Row]:
    """Per-officer metrics, only of conversations of units the user supervises."""
    if not scope.officer_unit_ids:
        return []
    mine = qs.filter(unit_id__in=sorted(scope.officer_unit_ids), assigned_officer_id__isnull=False)
    return with_officer_names(_grouped(mine, {"officer_id": "assigned_officer_id"}))


def _by_field(qs: QuerySet[Conversation], name: str) -> list[Row]:
    return sorted_by_value(_grouped(qs, {name: name}), name)


def _by_unit(qs: QuerySet[Conversation]) -> list[Row]:
    return with_unit_codes(_grouped(qs, {"unit_id": "unit_id"}), SHARED_QUEUE)


def stats_conversations(query: StatsQuery, scope: StatsScope) -> QuerySet[Conversation]:
    """The conversations a query describes, within what ``scope`` may see."""
    return Conversation.objects.filter(scope.conversations_q()).filter(query.conversations_q())


def _raw_breakdown(
    name: str, qs: QuerySet[Conversation], query: StatsQuery, scope: StatsScope
) -> list[Row]:
    if name == "unit":
        return _by_unit(qs)
    if name == "officer":
        return _officers(qs, scope)
    if name == "heatmap":
        return _heatmap(qs, query)
    return _by_field(qs, name)


def stats_compute(query: StatsQuery, scope: StatsScope, *, rollup: bool = True) -> dict[str, Any]:
    """Every metric of ``query`` within ``scope``: totals, a time series and breakdowns.

    Returns ``{"filters", "scope", "generated_at", "totals", "series", "breakdowns"}`` as
    documented in ``docs/statistics.md``. The officer breakdown lists only officers of
    units the user supervises. Where the range has rolled-up periods in ``query.tz``
    (and ``rollup`` is true) they are read from the roll-up and the other days from the
    conversations: counts are the same, medians and 90th percentiles are estimated from
    histograms (``stats.histogram``); otherwise every figure is computed
    from the conversations, percentiles exactly.
    """
    qs = stats_conversations(query, scope)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Percentiles sort their input: keep the sorts in memory, for this query only.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '256MB'")
        rolled = stats_rolled_up(query, scope) if rollup else None
        breakdowns: dict[str, list[Row]] = {}
        for name in query.breakdowns:
            if rolled is not None and name in rolled.breakdowns:
                breakdowns[name] = rolled.breakdowns[name]
            else:
                breakdowns[name] = _raw_breakdown(name, qs, query, scope)
        return {
            "filters": query.filters(),
            "scope": _scope_view(scope),
            "generated_at": timezone.now().isoformat().replace("+00:00", "Z"),
            "totals": rolled.totals if rolled is not None else _totals(qs),
            "series": rolled.series if rolled is not None else _series(qs, query),
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
