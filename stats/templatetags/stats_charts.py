"""Template tags that draw statistics charts: ``{% load stats_charts %}``.

``{% stats_series_chart result "started" %}``, ``{% stats_breakdown_chart result "language"
"abandonment_rate" %}`` and ``{% stats_heatmap_chart result %}``, where ``result`` is what
``stats.metrics.stats_compute`` returns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.safestring import SafeString

from stats import charts

register = template.Library()


@register.simple_tag
def stats_series_chart(result: Mapping[str, Any], metric: str = "started") -> SafeString:
    return charts.series_chart(result, metric)


@register.simple_tag
def stats_breakdown_chart(
    result: Mapping[str, Any], by: str, metric: str = "started"
) -> SafeString:
    return charts.breakdown_chart(result, by, metric)


@register.simple_tag
def stats_heatmap_chart(result: Mapping[str, Any]) -> SafeString:
    return charts.heatmap_chart(result)
