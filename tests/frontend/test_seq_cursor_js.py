"""After a reconnect a page resumes from the last message number up to which it has every
message (common/seq_cursor.js): a message that arrived after a later-numbered one (two server
processes publish a conversation's messages) is not skipped by the replay."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.frontend.node import node_or_skip

MODULE = Path(__file__).resolve().parents[2] / "frontend/static/frontend/js/common/seq_cursor.js"


def resume_points(arrivals: list[list[int]]) -> list[int]:
    """The resume point after each batch of arrivals."""
    script = (
        f"import {{ SeqCursor }} from {json.dumps(MODULE.as_uri())};"
        "const cursor = new SeqCursor(); const points = [];"
        f"for (const batch of {json.dumps(arrivals)}) {{"
        " for (const seq of batch) cursor.add(seq); points.push(cursor.upTo); }"
        "process.stdout.write(JSON.stringify(points));"
    )
    out = subprocess.run(
        [node_or_skip(), "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    points: list[int] = json.loads(out.stdout)
    return points


@pytest.mark.parametrize(
    ("arrivals", "expected"),
    [
        ([[1, 2, 3]], [3]),
        # 5 came before 4: a reconnect now must replay from 3, or 4 is never shown.
        ([[1, 2, 3, 5], [4]], [3, 5]),
        ([[2], [1], [1, 2]], [0, 2, 2]),
        ([[3, 2], [1], [4]], [0, 3, 4]),
    ],
)
def test_the_resume_point_never_passes_a_message_not_yet_shown(arrivals, expected):
    assert resume_points(arrivals) == expected
