"""Server-rendered, accessible SVG charts: bar chart, line series and heat map.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that screen
readers announce, and prints every value as text (nothing is told by colour alone). Labels
are escaped; there are no inline styles or scripts (strict CSP), only presentation
attributes and ``stats-*`` classes that a stylesheet may restyle.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import labels as vocabulary

Point = tuple[str, float | None]

_ids = itertools.count(1)
INK = "#1f2933"
BAR = "#2f5f8a"
GRID = "#c4ccd4"

METRIC_LABELS: dict[str, Any] = {
    "started": gettext_lazy("Conversations started"),
    "answered": gettext_lazy("Answered (an officer joined)"),
    "abandoned": gettext_lazy("Abandoned before an officer joined"),
    "closed": gettext_lazy("Closed"),
    "escalated": gettext_lazy("Escalated to a case"),
    "referred": gettext_lazy("Referred to a partner unit"),
    "transferred": gettext_lazy("Transferred"),
    "abandonment_rate": gettext_lazy("Abandonment rate"),
    "escalation_rate": gettext_lazy("Escalation rate"),
    "referral_rate": gettext_lazy("Referral rate"),
    "rating_average": gettext_lazy("Average rating (1–5)"),
    "rating_count": gettext_lazy("Ratings"),
    "p1_share_60s": gettext_lazy("P1 answered within 60 s"),
    "p1_share_300s": gettext_lazy("P1 answered within 5 min"),
    "wait_join_median": gettext_lazy("Median wait until an officer joined"),
    "wait_join_p90": gettext_lazy("90th percentile wait until an officer joined"),
    "wait_first_message_median": gettext_lazy("Median wait until the first officer message"),
    "wait_first_message_p90": gettext_lazy("90th percentile wait until the first officer message"),
    "handle_median": gettext_lazy("Median handle time"),
    "to_escalation_median": gettext_lazy("Median time to escalation"),
}


def metric_label(metric: str) -> str:
    return str(METRIC_LABELS.get(metric, metric))


def format_value(metric: str, value: float | None) -> str:
    """A value as people read it: shares as percentages, durations in s/min, else numbers."""
    if value is None:
        return _("no data")
    if metric.endswith("_rate") or metric.startswith("p1_share"):
        return f"{value * 100:.1f} %"
    if metric.split("_")[-1] in ("median", "p90", "max"):
        return f"{value:.0f} s" if value < 120 else f"{value / 60:.1f} min"
    if metric == "rating_average":
        return f"{value:.2f}"
    return f"{value:g}"


def _open(width: int, height: int, title: str, desc: str, css: str) -> tuple[str, str]:
    n = next(_ids)
    head = (
        f'<svg class="stats-chart {css}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="stats-t{n} stats-d{n}" '
        f'font-family="sans-serif" font-size="12">'
        f'<title id="stats-t{n}">{escape(title)}</title>'
        f'<desc id="stats-d{n}">{escape(desc)}</desc>'
    )
    return head, "</svg>"


def bar_chart(title: str, bars: Sequence[Point], *, metric: str = "") -> SafeString:
    """Horizontal bars, one per ``(label, value)``, each with its label and value as text."""
    row, label_w, bar_w, value_w = 24, 150, 300, 90
    height = row * max(1, len(bars)) + 8
    width = label_w + bar_w + value_w
    top = max((v for _, v in bars if v is not None), default=0) or 1
    summary = "; ".join(f"{label}: {format_value(metric, v)}" for label, v in bars)
    head, tail = _open(width, height, title, summary or _("no data"), "stats-bar-chart")
    parts = [head]
    for i, (label, value) in enumerate(bars):
        y = 4 + i * row
        length = 0 if value is None else max(0.0, value) / top * bar_w
        parts.append(
            f'<g class="stats-bar-row"><text x="{label_w - 6}" y="{y + 16}" '
            f'text-anchor="end" fill="{INK}">{escape(label)}</text>'
            f'<rect class="stats-bar" x="{label_w}" y="{y + 3}" width="{length:.1f}" '
            f'height="{row - 8}" fill="{BAR}"/>'
            f'<text class="stats-value" x="{label_w + length + 6:.1f}" y="{y + 16}" '
            f'fill="{INK}">{escape(format_value(metric, value))}</text></g>'
        )
    if not bars:
        parts.append(f'<text x="8" y="20" fill="{INK}">{escape(_("no data"))}</text>')
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308 - every label and value is escaped above


def line_chart(title: str, points: Sequence[Point], *, metric: str = "") -> SafeString:
    """A line over ``(label, value)`` points; gaps where a value is None.

    Each point is a marker with its label and value as a tooltip title; the axes carry the
    first, middle and last labels and the value scale; ``<desc>`` names the lowest and the
    highest point.
    """
    width, height, left, right, top_pad, bottom = 640, 240, 64, 16, 16, 40
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    known = [(label, v) for label, v in points if v is not None]
    high = max((v for _, v in known), default=0.0)
    scale_top = high if high > 0 else 1.0
    if known:
        lo_label, lo = min(known, key=lambda p: p[1])
        hi_label, hi = max(known, key=lambda p: p[1])
        desc = _(
            "%(first)s to %(last)s; lowest %(lo)s (%(lo_at)s), highest %(hi)s (%(hi_at)s)."
        ) % {
            "first": points[0][0],
            "last": points[-1][0],
            "lo": format_value(metric, lo),
            "lo_at": lo_label,
            "hi": format_value(metric, hi),
            "hi_at": hi_label,
        }
    else:
        desc = _("no data")
    head, tail = _open(width, height, title, desc, "stats-line-chart")
    parts = [head]
    step = plot_w / max(1, len(points) - 1)

    def x_of(i: int) -> float:
        return left + (i * step if len(points) > 1 else plot_w / 2)

    def y_of(v: float) -> float:
        return top_pad + plot_h - (v / scale_top) * plot_h

    for fraction in (0.0, 0.5, 1.0):
        y = top_pad + plot_h - fraction * plot_h
        parts.append(
            f'<line class="stats-grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" '
            f'y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">'
            f"{escape(format_value(metric, scale_top * fraction))}</text>"
        )
    segment: list[str] = []
    for i, (_label, value) in enumerate([*points, ("", None)]):
        if value is None:
            if len(segment) > 1:
                parts.append(
                    f'<polyline class="stats-line" points="{" ".join(segment)}" fill="none" '
                    f'stroke="{BAR}" stroke-width="2"/>'
                )
            segment = []
            continue
        segment.append(f"{x_of(i):.1f},{y_of(value):.1f}")
    for i, (label, value) in enumerate(points):
        if value is None:
            continue
        parts.append(
            f'<circle class="stats-point" cx="{x_of(i):.1f}" cy="{y_of(value):.1f}" r="3" '
            f'fill="{BAR}"><title>{escape(label)}: {escape(format_value(metric, value))}'
            "</title></circle>"
        )
    if points:
        picks = sorted({0, (len(points) - 1) // 2, len(points) - 1})
        for i in picks:
            anchor = "start" if i == 0 and len(points) > 1 else "end" if i else "middle"
            if 0 < i < len(points) - 1:
                anchor = "middle"
            parts.append(
                f'<text x="{x_of(i):.1f}" y="{height - 14}" text-anchor="{anchor}" '
                f'fill="{INK}">{escape(points[i][0])}</text>'
            )
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308 - every label and value is escaped above


def heat_map(
    title: str,
    cells: Mapping[tuple[int, int], int],
    *,
    rows: Sequence[tuple[int, str]],
    columns: Sequence[tuple[int, str]],
) -> SafeString:
    """A grid of counts (rows × columns), each cell shaded by its count and printing it."""
    cell_w, cell_h, label_w, head_h = 26, 22, 44, 20
    width = label_w + cell_w * len(columns)
    height = head_h + cell_h * len(rows) + 4
    high = max(cells.values(), default=0) or 1
    busiest = max(cells.items(), key=lambda kv: kv[1], default=None)
    row_names = dict(rows)
    col_names = dict(columns)
    desc = (
        _("Counts per cell; the busiest is %(row)s %(col)s with %(n)s.")
        % {"row": row_names[busiest[0][0]], "col": col_names[busiest[0][1]], "n": busiest[1]}
        if busiest and busiest[1]
        else _("no data")
    )
    head, tail = _open(width, height, title, desc, "stats-heat-map")
    parts = [head]
    for j, (_key, name) in enumerate(columns):
        parts.append(
            f'<text x="{label_w + j * cell_w + cell_w / 2:.1f}" y="14" text-anchor="middle" '
            f'font-size="10" fill="{INK}">{escape(name)}</text>'
        )
    for i, (row_key, row_name) in enumerate(rows):
        y = head_h + i * cell_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" fill="{INK}">'
            f"{escape(row_name)}</text>"
        )
        for j, (col_key, col_name) in enumerate(columns):
            count = cells.get((row_key, col_key), 0)
            shade = count / high
            # Light cells dark text, dark cells white text: readable at every shade.
            lightness = round(96 - 60 * shade)
            text_fill = "#ffffff" if lightness < 60 else INK
            x = label_w + j * cell_w
            parts.append(
                f'<g class="stats-cell"><rect x="{x}" y="{y}" width="{cell_w - 1}" '
                f'height="{cell_h - 1}" fill="hsl(210, 45%, {lightness}%)">'
                f"<title>{escape(row_name)} {escape(col_name)}: {count}</title></rect>"
                f'<text x="{x + cell_w / 2 - 0.5:.1f}" y="{y + 15}" text-anchor="middle" '
                f'font-size="10" fill="{text_fill}">{count}</text></g>'
            )
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308 - every label and value is escaped above


def series_chart(result: Mapping[str, Any], metric: str = "started") -> SafeString:
    """Line chart of ``metric`` over the periods of a ``stats_compute`` result."""
    points = [(row["period"], row.get(metric)) for row in result["series"]]
    return line_chart(metric_label(metric), points, metric=metric)


# Codes of a breakdown shown as words in the reader's language.
_BREAKDOWN_WORDS: dict[str, Callable[[str], str]] = {
    "category": vocabulary.category_label,
    "urgency": vocabulary.urgency_label,
    "language": vocabulary.language_label,
}


# The breakdowns' names in chart titles (existing staff labels of the same columns).
_BREAKDOWN_NAMES: dict[str, Promise] = {
    "category": gettext_lazy("Category"),
    "urgency": gettext_lazy("Urgency"),
    "language": gettext_lazy("Language"),
    "unit": gettext_lazy("Unit"),
    "officer": gettext_lazy("Officer"),
}


def breakdown_chart(result: Mapping[str, Any], by: str, metric: str = "started") -> SafeString:
    """Bar chart of ``metric`` per value of the ``by`` breakdown of a result."""
    rows = result["breakdowns"].get(by, [])
    key = "display_name" if by == "officer" else by
    words = _BREAKDOWN_WORDS.get(by, str)
    bars = [
        (words(str(row[key])) if row.get(key) else _("unknown"), row.get(metric)) for row in rows
    ]
    name = str(_BREAKDOWN_NAMES.get(by, by))
    title = _("%(metric)s by %(by)s") % {"metric": metric_label(metric), "by": name}
    return bar_chart(title, bars, metric=metric)


def heatmap_chart(result: Mapping[str, Any]) -> SafeString:
    """Staffing heat map: conversations started per weekday and hour of the day."""
    cells = {(c["weekday"], c["hour"]): c["started"] for c in result["breakdowns"]["heatmap"]}
    rows = [(d, str(WEEKDAYS_ABBR[d - 1])) for d in range(1, 8)]
    columns = [(h, f"{h:02d}") for h in range(24)]
    return heat_map(
        _("Conversations started by weekday and hour"), cells, rows=rows, columns=columns
    )
