"""The idle-capacity benchmark against a live Daphne: a few waiting citizens, a figure each."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import load_server

pytestmark = pytest.mark.django_db(transaction=True)


def test_idle_benchmark_reports_memory_per_waiting_socket(
    daphne: load_server.Server, server_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "idle.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.idle",
            "--port",
            str(daphne.port),
            "-n",
            "20",
            "--rate",
            "20",
            "--clients",
            "2",
            "--warmup",
            "2",
            "--settle",
            "1",
            "--idle",
            "2",
            "--ready-timeout",
            "60",
            "--server-pid",
            str(daphne.pid),
            "--json",
            str(out),
        ],
        cwd=load_server.ROOT,
        env=server_env,
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(out.read_text())
    # Every citizen started a conversation and was told its place in the queue.
    assert result["positioned"] == 20
    assert result["warmup"]["positioned"] == 2
    assert result["failed"] == {}
    assert result["first_position_ms"]["p99"] is not None
    server = result["server"]
    assert server["rss_idle_kib"] > 0
    assert server["rss_before_kib"] > 0
    assert server["kib_per_socket"] == pytest.approx(
        (server["rss_idle_kib"] - server["rss_before_kib"]) / 20, abs=0.1
    )
    assert server["idle_cpu_percent"] is not None
    assert server["idle_seconds"] >= 1
