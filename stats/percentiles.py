"""Percentiles: PostgreSQL's ``percentile_cont`` and the same interpolation in Python."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.db.models import Aggregate, F, FloatField, Func


def percentile_cont(sorted_values: Sequence[float], fraction: float) -> float | None:
    """The ``fraction`` percentile of ascending ``sorted_values``, as PostgreSQL computes it.

    Linear interpolation between the rows at ``floor`` and ``ceil`` of
    ``fraction * (n - 1)``; None for no values.
    """
    if not sorted_values:
        return None
    position = fraction * (len(sorted_values) - 1)
    low = math.floor(position)
    high = math.ceil(position)
    first = sorted_values[low]
    return first + (sorted_values[high] - first) * (position - low)


class PercentileCont(Aggregate):
    """``percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)`` (PostgreSQL only)."""

    function = "percentile_cont"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        # The fraction is a float we choose, formatted into the SQL, never user input.
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


class EpochSeconds(Func):
    """Seconds from ``start`` to ``end`` as a double (PostgreSQL); NULL when either is NULL."""

    # date_part (unlike EXTRACT since PostgreSQL 14) returns a double, not a slow numeric.
    template = "date_part('epoch', %(expressions)s)"
    arg_joiner = " - "
    output_field = FloatField()

    def __init__(self, end: str, start: str) -> None:
        super().__init__(F(end), F(start))
