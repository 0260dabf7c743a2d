"""Far back in the queue a citizen sees a rounded place; near the head, the exact one."""

from __future__ import annotations

import pytest

from advice.queue_shown import shown_place


@pytest.mark.parametrize(
    ("position", "shown", "approximate"),
    [
        (1, 1, False),
        (50, 50, False),
        (51, 50, True),
        (57, 60, True),
        (123, 120, True),
        (201, 200, True),
        (476, 500, True),
        (1049, 1000, True),
        (1051, 1100, True),
    ],
)
def test_positions_past_the_exact_ones_are_rounded(settings, position, shown, approximate):
    settings.QUEUE_EXACT_POSITIONS = 50
    place = shown_place(position=position, estimated_wait_seconds=61, officers_on_duty=3)
    assert (place.position, place.approximate) == (shown, approximate)
    assert place.officers_on_duty == 3


def test_the_wait_is_rounded_to_five_minutes_only_far_back(settings):
    settings.QUEUE_EXACT_POSITIONS = 50
    near = shown_place(position=10, estimated_wait_seconds=61, officers_on_duty=1)
    far = shown_place(position=300, estimated_wait_seconds=1_000, officers_on_duty=1)
    unknown = shown_place(position=300, estimated_wait_seconds=None, officers_on_duty=0)
    assert (near.estimated_wait_seconds, far.estimated_wait_seconds) == (61, 900)
    assert unknown.estimated_wait_seconds is None


def test_one_claim_far_back_changes_nothing_shown(settings):
    """What keeps a claim from costing a frame to every one of thousands waiting."""
    settings.QUEUE_EXACT_POSITIONS = 50
    before = [
        shown_place(position=p, estimated_wait_seconds=600, officers_on_duty=2)
        for p in range(52, 2000)
    ]
    after = [
        shown_place(position=p - 1, estimated_wait_seconds=600, officers_on_duty=2)
        for p in range(52, 2000)
    ]
    changed = sum(1 for a, b in zip(before, after, strict=True) if a != b)
    assert changed < len(before) / 10
