"""Names, definitions and row shapes of the historical metrics, shared by both engines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from advice.models import ConversationStatus, OfficerProfile, Unit

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
# Additive sums a roll-up keeps per cell: every count plus the sum of ratings (for the mean).
CELL_COUNTS = (*COUNT_FIELDS, "rating_sum")
HEATMAP_FIELDS = ("started", "answered", "abandoned")
ABANDONED_Q = Q(status=ConversationStatus.ABANDONED, claimed_at__isnull=True)


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def rounded_seconds(value: float | None) -> float | None:
    return None if value is None else round(float(value), 3)


def finish_row(raw: Row) -> Row:
    """Counts as ints, derived rates, rounded durations: one row of the documented shape.

    ``raw`` holds the ``CELL_COUNTS`` and, per duration, ``<name>_n``, ``_median``,
    ``_p90`` and ``_max`` (missing keys count as zero or null).
    """
    row: Row = {name: int(raw.get(name) or 0) for name in COUNT_FIELDS}
    row["abandonment_rate"] = ratio(row["abandoned"], row["started"])
    row["escalation_rate"] = ratio(row["escalated"], row["answered"])
    row["referral_rate"] = ratio(row["referred"], row["started"])
    row["rating_average"] = (
        round(int(raw.get("rating_sum") or 0) / row["rating_count"], 3)
        if row["rating_count"]
        else None
    )
    for seconds in P1_THRESHOLDS:
        row[f"p1_share_{seconds}s"] = ratio(row[f"p1_within_{seconds}s"], row["p1_count"])
    for d in DURATIONS:
        row[f"{d.name}_n"] = int(raw.get(f"{d.name}_n") or 0)
        for stat in ("median", "p90", "max"):
            row[f"{d.name}_{stat}"] = rounded_seconds(raw.get(f"{d.name}_{stat}"))
    return row


def sorted_by_value(rows: list[Row], name: str) -> list[Row]:
    """Breakdown rows by the value of ``name`` (text order, null last)."""
    return sorted(rows, key=lambda r: (r[name] is None, str(r[name] or "")))


def with_unit_codes(rows: list[Row], shared: str) -> list[Row]:
    """Rows keyed by ``unit_id`` relabelled ``unit`` (code, ``shared`` for no unit), sorted."""
    codes = dict(Unit.objects.values_list("pk", "code"))
    for row in rows:
        unit_id = row.pop("unit_id")
        row["unit"] = codes.get(unit_id, "") if unit_id is not None else shared
    return sorted(rows, key=lambda r: (r["unit"] == shared, r["unit"]))


def with_officer_names(rows: list[Row]) -> list[Row]:
    """Rows keyed by ``officer_id`` with each officer's display name, sorted by name."""
    names = dict(
        OfficerProfile.objects.filter(user_id__in=[r["officer_id"] for r in rows]).values_list(
            "user_id", "display_name"
        )
    )
    for row in rows:
        row["display_name"] = names.get(row["officer_id"], "")
    return sorted(rows, key=lambda r: (r["display_name"], r["officer_id"]))


def heatmap_rows(cells: dict[tuple[int, int], dict[str, Any]]) -> list[Row]:
    """All 7 × 24 cells (weekday 1 = Monday, hour 0-23) with ``HEATMAP_FIELDS`` counts."""
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
