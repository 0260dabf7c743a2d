"""The load generator against a live Daphne: a few conversations, nothing lost or doubled."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import load_server

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_message_reaches_the_officer_once(
    daphne: load_server.Server, server_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "result.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.load",
            "--port",
            str(daphne.port),
            "--conversations",
            "6",
            "--rate",
            "2",
            "--duration",
            "3",
            "--ramp",
            "1",
            "--reply-every",
            "2",
            "--drain",
            "5",
            "--server-pid",
            str(daphne.pid),
            "--json",
            str(out),
            "--check",
        ],
        cwd=load_server.ROOT,
        env=server_env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(out.read_text())
    assert result["claimed"] == 6
    # One message while waiting plus six on the rate schedule, per conversation.
    assert result["sent"] == result["acked"] == result["delivered"] == 6 * 7
    assert result["lost"] == result["duplicated"] == result["seq_gaps"] == 0
    assert result["replies"]["sent"] == result["replies"]["delivered"] == 6 * 3
    assert result["latency_ms"]["p99"] is not None
    assert result["server"]["rss_peak_mib"] > 0
