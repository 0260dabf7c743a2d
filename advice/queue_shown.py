"""What a waiting citizen is shown of their place in the queue.

The first ``QUEUE_EXACT_POSITIONS`` citizens see their exact position and estimated wait;
those behind them see a rounded position ("about number 120") and a wait rounded to five
minutes. Near the head every claim matters to the citizen and is shown at once; far back
a change of one place is noise, and a process with thousands waiting would otherwise send
every one of them a frame after every claim (``chat.positions``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

# (from this position on, round to this step)
POSITION_STEPS = ((1000, 100), (200, 50), (0, 10))
WAIT_STEP_SECONDS = 300


@dataclass(frozen=True)
class ShownPlace:
    position: int
    estimated_wait_seconds: int | None
    officers_on_duty: int
    approximate: bool


def _rounded(value: int, step: int) -> int:
    return max(step, (value + step // 2) // step * step)


def shown_place(
    *, position: int, estimated_wait_seconds: int | None, officers_on_duty: int
) -> ShownPlace:
    """The place as the citizen sees it (see the module docstring)."""
    exact = settings.QUEUE_EXACT_POSITIONS
    if position <= exact:
        return ShownPlace(position, estimated_wait_seconds, officers_on_duty, approximate=False)
    step = next(step for start, step in POSITION_STEPS if position > start)
    wait = (
        None
        if estimated_wait_seconds is None
        else _rounded(estimated_wait_seconds, WAIT_STEP_SECONDS)
    )
    return ShownPlace(
        position=_rounded(position, step),
        estimated_wait_seconds=wait,
        officers_on_duty=officers_on_duty,
        approximate=True,
    )
