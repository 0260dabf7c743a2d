"""The browser's outbox (common/outbox.js, common/pacer.js) against a stand-in server with
the consumer's token bucket: paced under the limit, in order, retried, failed with Retry."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.frontend.node import node_or_skip

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "frontend" / "static" / "frontend" / "js"
HARNESS = Path(__file__).resolve().parent / "js" / "outbox_harness.mjs"


def scenario(name: str) -> dict[str, Any]:
    node = node_or_skip()
    out = subprocess.run(
        [node, "--no-warnings", str(HARNESS), JS.as_uri(), name],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def test_forty_messages_at_once_are_stored_in_order_without_a_refusal():
    first = scenario("fast")["first"]
    expected = [f"m{i}" for i in range(1, 41)]
    assert first["refusals"] == []
    assert first["stored"] == expected
    assert first["wire"] == expected  # each went once: nothing was resent
    assert first["left"] == []


def test_a_busy_message_is_sent_again_in_its_place_and_never_shown_as_failed():
    first = scenario("busy")["first"]
    assert first["refusals"].count("busy") == 2
    assert first["wire"][:3] == ["m1", "m2", "m3"]  # several on the wire at once
    assert first["stored"] == ["m1", "m2", "m3"]
    assert not [state for state in first["states"].values() if state.startswith("failed")]


def test_a_refused_message_fails_with_retry_and_the_next_ones_still_go():
    result = scenario("refused")
    first = result["first"]
    assert first["stored"] == ["m1", "m3"]
    assert first["states"]["m2"] == "failed: failed_refused"
    assert first["left"] == ["m2"]
    after = result["afterRetry"]
    assert after["stored"] == ["m1", "m3", "m2"]
    assert after["left"] == []
