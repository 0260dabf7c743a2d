"""Fixed-bucket duration histograms: bucketing, a compact encoding, merging and percentiles.

A histogram has ``LANES`` buckets ("lanes"): lane 0 holds negative durations, then 1-second
buckets up to 2 minutes, 10-second buckets up to 30 minutes, 1-minute buckets up to 6 hours,
15-minute buckets up to 2 days, and one last lane for anything longer. Together with the
exact number of values, minimum and maximum, it gives medians and 90th percentiles whose
error is below the width of the bucket(s) holding the values the percentile lies between.

In memory a histogram is one Python integer with lane ``i`` in bits ``32·i … 32·i+31``,
so merging histograms is integer addition (one C-level operation for all lanes). A lane
would carry into the next only past 2³² − 1 values in one bucket, far beyond any service.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping, Sequence

# (from, to, width) in seconds: consecutive, each range an exact multiple of its width.
SEGMENTS: tuple[tuple[int, int, int], ...] = (
    (0, 120, 1),
    (120, 1800, 10),
    (1800, 21600, 60),
    (21600, 172800, 900),
)
LANE_BITS = 32
_FIRST_LANE: list[int] = []
_lane = 1
for _start, _stop, _width in SEGMENTS:
    _FIRST_LANE.append(_lane)
    _lane += (_stop - _start) // _width
OVERFLOW_LANE = _lane
LANES = OVERFLOW_LANE + 1
_UNPACK = struct.Struct(f"<{LANES}I")
_DENSE = b"D"
_SPARSE = b"S"
_PAIR = struct.Struct("<HI")
_HEADER = struct.Struct("<H")


def lane_of(seconds: float) -> int:
    """The lane holding a duration of ``seconds`` (same arithmetic as ``lane_sql``)."""
    if seconds < 0:
        return 0
    for (start, stop, width), first in zip(SEGMENTS, _FIRST_LANE, strict=True):
        if seconds < stop:
            return first + math.floor((seconds - start) / width)
    return OVERFLOW_LANE


def lane_sql(expression: str) -> str:
    """A PostgreSQL expression computing ``lane_of`` of the double ``expression``.

    ``expression`` is SQL built by this app (never user input); NULL stays NULL.
    """
    parts = [f"WHEN {expression} < 0 THEN 0"]
    for (start, stop, width), first in zip(SEGMENTS, _FIRST_LANE, strict=True):
        parts.append(
            f"WHEN {expression} < {stop}.0 THEN "
            f"{first} + floor(({expression} - {start}.0) / {width}.0)"
        )
    return f"(CASE {' '.join(parts)} WHEN {expression} IS NOT NULL THEN {OVERFLOW_LANE} END)::int"


def lane_bounds(lane: int) -> tuple[float, float]:
    """Lower (included) and upper (excluded) edge of ``lane`` in seconds."""
    if lane == 0:
        return -math.inf, 0.0
    if lane == OVERFLOW_LANE:
        return float(SEGMENTS[-1][1]), math.inf
    for (start, stop, width), first in zip(SEGMENTS, _FIRST_LANE, strict=True):
        count = (stop - start) // width
        if lane < first + count:
            low = start + (lane - first) * width
            return float(low), float(low + width)
    raise ValueError(lane)


def lane_width(lane: int) -> float:
    low, high = lane_bounds(lane)
    return high - low


def pack(counts: Mapping[int, int]) -> int:
    """The in-memory histogram (one integer) of ``{lane: count}``."""
    total = 0
    for lane, count in counts.items():
        total += count << (LANE_BITS * lane)
    return total


def encode(counts: Mapping[int, int]) -> bytes:
    """Compact bytes of ``{lane: count}``: whichever is shorter of two layouts.

    Dense: ``b"D"``, the first used lane (uint16) and every lane from there to the last
    used one (uint32, little-endian). Sparse: ``b"S"`` and (lane uint16, count uint32)
    pairs. No values: empty bytes.
    """
    used = sorted(lane for lane, count in counts.items() if count)
    if not used:
        return b""
    first, last = used[0], used[-1]
    if 6 * len(used) < 4 * (last - first + 1) + 2:
        return _SPARSE + b"".join(_PAIR.pack(lane, counts[lane]) for lane in used)
    lanes = sum(counts[lane] << (LANE_BITS * (lane - first)) for lane in used)
    return _DENSE + _HEADER.pack(first) + lanes.to_bytes(4 * (last - first + 1), "little")


def decode(data: bytes | memoryview | None) -> int:
    """The in-memory histogram of ``encode``'s bytes (0 for none)."""
    if not data:
        return 0
    raw = bytes(data)
    if raw[:1] == _DENSE:
        (first,) = _HEADER.unpack_from(raw, 1)
        return int.from_bytes(raw[3:], "little") << (LANE_BITS * first)
    total = 0
    for lane, count in _PAIR.iter_unpack(raw[1:]):
        total |= count << (LANE_BITS * lane)
    return total


def unpack(histogram: int) -> tuple[int, ...]:
    """Every lane's count of an in-memory histogram (raises if a lane overflowed)."""
    return _UNPACK.unpack(histogram.to_bytes(4 * LANES, "little"))


def _order_statistics(
    lanes: Sequence[int], ranks: Sequence[int], low: float, high: float
) -> dict[int, float]:
    """Estimates of the values at 0-based ``ranks`` (ascending) of the sorted values.

    The first and last values are the exact minimum ``low`` and maximum ``high``; any other
    is spread evenly inside its lane (whose edges are narrowed to ``low`` … ``high``), so
    it is off by less than the lane's width.
    """
    last = sum(lanes) - 1
    found: dict[int, float] = {}
    wanted = iter(ranks)
    rank = next(wanted, None)
    seen = 0
    for lane, count in enumerate(lanes):
        if not count:
            continue
        while rank is not None and rank < seen + count:
            if rank == 0:
                found[rank] = low
            elif rank == last:
                found[rank] = high
            else:
                edge_low, edge_high = lane_bounds(lane)
                a, b = max(edge_low, low), min(edge_high, high)
                found[rank] = a + (b - a) * (rank - seen + 0.5) / count
            rank = next(wanted, None)
        if rank is None:
            break
        seen += count
    return found


def percentiles(
    histogram: int, n: int, low: float | None, high: float | None, fractions: Sequence[float]
) -> list[float | None]:
    """``percentile_cont`` estimates of ``fractions`` from a merged histogram.

    ``n``, ``low`` and ``high`` are the exact count, minimum and maximum of the values.
    Interpolates like PostgreSQL between the values at ``floor`` and ``ceil`` of
    ``fraction·(n−1)``; with one or two values the result is exact.
    """
    if n == 0 or low is None or high is None:
        return [None for _ in fractions]
    lanes = unpack(histogram)
    if sum(lanes) != n:
        raise ValueError("histogram does not match its count")
    positions = [f * (n - 1) for f in fractions]
    ranks = sorted({r for p in positions for r in (math.floor(p), math.ceil(p))})
    values = _order_statistics(lanes, ranks, low, high)
    result: list[float | None] = []
    for position in positions:
        below = values[math.floor(position)]
        above = values[math.ceil(position)]
        result.append(below + (above - below) * (position - math.floor(position)))
    return result


def encode_packed(histogram: int) -> bytes:
    """``encode`` of an in-memory histogram, without visiting its empty lanes one by one."""
    if not histogram:
        return b""
    first = ((histogram & -histogram).bit_length() - 1) // LANE_BITS
    last = (histogram.bit_length() - 1) // LANE_BITS
    dense = (histogram >> (LANE_BITS * first)).to_bytes(4 * (last - first + 1), "little")
    lanes = struct.unpack(f"<{last - first + 1}I", dense)
    used = len(lanes) - lanes.count(0)
    if 6 * used < len(dense) + 2:
        return _SPARSE + b"".join(
            _PAIR.pack(first + i, count) for i, count in enumerate(lanes) if count
        )
    return _DENSE + _HEADER.pack(first) + dense
