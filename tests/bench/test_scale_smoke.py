"""The load generator over two live server processes on one database and one Redis: both
processes carry sockets, conversations cross between them, nothing is lost or doubled."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import pytest

from bench import load_server

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_servers(server_env: dict[str, str], tmp_path: Path) -> Iterator[list[load_server.Server]]:
    # Two processes share a conversation only through PostgreSQL and the Redis channel
    # layer; on SQLite each would have its own in-memory layer.
    # ``make test`` runs it in its PostgreSQL + Redis pass; the embedded pass has neither.
    if not server_env.get("DATABASE_URL"):
        pytest.skip("runs in the PostgreSQL + Redis pass (DATABASE_URL is not set)")
    if not server_env.get("REDIS_URL"):
        pytest.fail("DATABASE_URL is set without REDIS_URL: the processes cannot share a layer")
    with ThreadPoolExecutor(2) as pool:
        starting = [
            pool.submit(
                load_server.start,
                server_env,
                load_server.free_port(),
                log=tmp_path / f"serve-{k}.log",
            )
            for k in range(2)
        ]
        wait(starting)
    servers = [s.result() for s in starting if s.exception() is None]
    try:
        if len(servers) < 2:
            pytest.fail(f"a server did not start: {[s.exception() for s in starting]}")
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_messages_cross_between_processes_once_each(
    two_servers: list[load_server.Server], server_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "result.json"
    command = [
        *(sys.executable, "-m", "bench.load"),
        *("--ports", ",".join(str(s.port) for s in two_servers)),
        *("--conversations", "6", "--rate", "2", "--duration", "3", "--ramp", "1"),
        *("--reply-every", "2", "--max-chats", "5", "--drain", "5", "--login", "direct"),
        *("--json", str(out), "--check"),
    ]
    for server in two_servers:
        command += ["--server-pid", str(server.pid)]
    done = subprocess.run(
        command,
        cwd=load_server.ROOT,
        env=server_env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(out.read_text())
    assert result["claimed"] == 6
    # Three citizens and one officer on each process; every officer took conversations
    # whose citizen is on the other process.
    ports = [str(s.port) for s in two_servers]
    assert result["sockets_by_port"] == {ports[0]: 4, ports[1]: 4}
    assert result["cross_process_claims"] == 6
    # One message while waiting plus six on the rate schedule, per conversation.
    assert result["sent"] == result["acked"] == result["delivered"] == 6 * 7
    assert result["lost"] == result["duplicated"] == 0
    # Frames of the two parties' processes may cross; every number still arrives.
    assert result["seq_gaps"] == result["seq_backwards"]
    assert result["replies"]["sent"] == result["replies"]["delivered"] == 6 * 3
    assert result["replies"]["lost"] == 0
    # Both processes did work while the conversations talked.
    by_pid = result["server"]["cpu_percent_by_pid"]
    assert sorted(by_pid) == sorted(str(s.pid) for s in two_servers)
    assert all(share > 0 for share in by_pid.values())
