"""Duration histograms: bucket edges, encoding, merging and percentile accuracy."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from stats import histogram
from stats.percentiles import percentile_cont


@pytest.mark.parametrize(
    ("seconds", "width"),
    [
        (-3.0, math.inf),
        (0.0, 1),
        (0.999, 1),
        (119.999, 1),
        (120.0, 10),
        (1799.0, 10),
        (1800.0, 60),
        (21599.0, 60),
        (21600.0, 900),
        (172799.0, 900),
        (172800.0, math.inf),
    ],
)
def test_bucket_widths_grow_with_the_duration(seconds, width):
    lane = histogram.lane_of(seconds)
    low, high = histogram.lane_bounds(lane)
    assert low <= seconds < high
    assert histogram.lane_width(lane) == width


def test_every_duration_falls_inside_its_bucket():
    rng = random.Random(3)
    for _ in range(5000):
        seconds = rng.choice((rng.uniform(-10, 200), rng.uniform(0, 3e5), rng.expovariate(1 / 300)))
        low, high = histogram.lane_bounds(histogram.lane_of(seconds))
        assert low <= seconds < high


@pytest.mark.parametrize(
    "counts",
    [{}, {5: 1}, {1: 3, 700: 2}, {lane: lane % 7 + 1 for lane in range(100, 400)}],
)
def test_encoding_round_trips(counts):
    data = histogram.encode(counts)
    assert histogram.unpack(histogram.decode(data)) == tuple(
        counts.get(lane, 0) for lane in range(histogram.LANES)
    )


@pytest.mark.parametrize(
    "counts", [{5: 1}, {0: 2, 787: 1}, {lane: lane % 3 for lane in range(100, 400)}]
)
def test_merged_histograms_are_encoded_like_built_ones(counts):
    assert histogram.encode_packed(histogram.pack(counts)) == histogram.encode(counts)


def test_sparse_histograms_take_a_few_bytes_and_dense_ones_four_per_bucket():
    assert len(histogram.encode({3: 1, 600: 1})) == 13
    dense = dict.fromkeys(range(200, 300), 1000)
    assert len(histogram.encode(dense)) == 3 + 4 * 100


def test_merging_is_adding():
    a, b = Counter({3: 2, 40: 1}), Counter({40: 5, 787: 1})
    merged = histogram.decode(histogram.encode(a)) + histogram.decode(histogram.encode(b))
    assert merged == histogram.pack(a + b)


def test_one_or_two_values_give_exact_percentiles():
    one = histogram.pack({histogram.lane_of(95.5): 1})
    assert histogram.percentiles(one, 1, 95.5, 95.5, (0.5, 0.9)) == [95.5, 95.5]
    two = histogram.pack(Counter([histogram.lane_of(30.2), histogram.lane_of(4000.0)]))
    assert histogram.percentiles(two, 2, 30.2, 4000.0, (0.5,)) == [pytest.approx(2015.1)]


def test_no_values_give_no_percentiles():
    assert histogram.percentiles(0, 0, None, None, (0.5, 0.9)) == [None, None]


@pytest.mark.parametrize("seed", range(6))
def test_percentiles_are_within_the_buckets_of_the_exact_ones(seed):
    rng = random.Random(seed)
    size = rng.choice((3, 10, 57, 400))
    values = sorted(
        rng.lognormvariate(math.log(rng.choice((40, 300, 5000))), 1.2) for _ in range(size)
    )
    packed = histogram.pack(Counter(histogram.lane_of(v) for v in values))
    for fraction in (0.5, 0.9):
        (estimate,) = histogram.percentiles(packed, size, values[0], values[-1], (fraction,))
        exact = percentile_cont(values, fraction)
        position = fraction * (size - 1)
        pair = (values[math.floor(position)], values[math.ceil(position)])
        allowed = max(histogram.lane_width(histogram.lane_of(v)) for v in pair)
        assert abs(estimate - exact) < allowed


def test_a_count_that_does_not_match_the_buckets_is_refused():
    with pytest.raises(ValueError, match="count"):
        histogram.percentiles(histogram.pack({4: 2}), 3, 3.0, 4.0, (0.5,))
