"""CSV export of historical metrics: no message text, no personal data, no formulas.

Every cell is neutralised against spreadsheet formula injection. In exports meant to leave
the unit (``external``), a cell describing fewer than five conversations reads ``< 5``.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

from stats.metrics import COUNT_FIELDS, DURATIONS, HEATMAP_FIELDS, P1_THRESHOLDS

SMALL = 5
SUPPRESSED = "< 5"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The counts each derived cell describes; a cell is hidden when any of them is 1 to 4.
BASES: dict[str, tuple[str, ...]] = {
    "abandonment_rate": ("abandoned", "started"),
    "escalation_rate": ("escalated", "answered"),
    "referral_rate": ("referred", "started"),
    "rating_average": ("rating_count",),
    **{f"p1_share_{s}s": (f"p1_within_{s}s", "p1_count") for s in P1_THRESHOLDS},
    **{
        f"{d.name}_{stat}": (f"{d.name}_n",)
        for d in DURATIONS
        for stat in ("n", "median", "p90", "max")
    },
}
METRIC_COLUMNS: tuple[str, ...] = (
    *COUNT_FIELDS,
    "abandonment_rate",
    "escalation_rate",
    "referral_rate",
    "rating_average",
    *(f"p1_share_{s}s" for s in P1_THRESHOLDS),
    *(f"{d.name}_{stat}" for d in DURATIONS for stat in ("n", "median", "p90", "max")),
)
# ``time_zone``: the zone the periods, days and heatmap hours are counted in.
HEADER = ("section", "group", "time_zone", *METRIC_COLUMNS)
# Breakdowns exported; the officer breakdown never is (officers' names are personal data).
SECTIONS = ("unit", "language", "category", "urgency")


def _invisible(char: str) -> bool:
    """Characters a spreadsheet may skip before a formula: spaces, controls (NUL, tab…),
    format characters (zero-width, bidi marks, BOM) and line or paragraph separators."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def csv_safe(value: object) -> str:
    """``value`` as a CSV cell that no spreadsheet runs as a formula.

    Text starting with ``= + - @``, a tab or a carriage return — also after any leading
    invisible characters (NUL, spaces, zero-width or bidi marks…) — gets a leading ``'``.
    """
    text = "" if value is None else str(value)
    visible = text.lstrip("".join({c for c in text[:64] if _invisible(c)}))
    if text.startswith(FORMULA_STARTS) or visible.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _small(count: object) -> bool:
    return isinstance(count, int) and 0 < count < SMALL


def _cell(row: dict[str, Any], name: str, *, external: bool) -> object:
    if name not in row:
        return ""
    if external and any(_small(row.get(base)) for base in BASES.get(name, (name,))):
        return SUPPRESSED
    return row[name]


def _line(
    section: str, group: object, row: dict[str, Any], *, external: bool, zone: str
) -> list[str]:
    return [
        csv_safe(section),
        csv_safe(group),
        csv_safe(zone),
        *(csv_safe(_cell(row, name, external=external)) for name in METRIC_COLUMNS),
    ]


def stats_csv_lines(result: dict[str, Any], *, external: bool) -> Iterator[list[str]]:
    """Rows of the CSV export of ``stats_compute``'s ``result`` (header first).

    Every row names the time zone its periods are counted in (column ``time_zone``).
    Sections: ``total``, ``period`` (the time series), ``unit``, ``language``,
    ``category``, ``urgency`` and ``heatmap`` (group ``<weekday>-<hour>``; counts only).
    """
    zone = str(result.get("filters", {}).get("tz", "UTC"))
    yield list(HEADER)
    yield _line("total", "", result["totals"], external=external, zone=zone)
    for row in result["series"]:
        yield _line("period", row["period"], row, external=external, zone=zone)
    breakdowns = result["breakdowns"]
    for section in SECTIONS:
        for row in breakdowns.get(section, []):
            yield _line(section, row.get(section), row, external=external, zone=zone)
    for cell in breakdowns.get("heatmap", []):
        counts = {name: cell[name] for name in HEATMAP_FIELDS}
        hour = f"{cell['weekday']}-{cell['hour']:02d}"
        yield _line("heatmap", hour, counts, external=external, zone=zone)


def stats_csv(result: dict[str, Any], *, external: bool) -> str:
    """The whole CSV document (UTF-8 text, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    lines: Sequence[list[str]] = list(stats_csv_lines(result, external=external))
    writer.writerows(lines)
    return buffer.getvalue()
