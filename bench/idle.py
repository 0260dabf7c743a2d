"""Idle capacity: N waiting citizens, each with a started conversation, on one server process.

Opens ``N`` citizen sockets at ``--rate`` per second in all (spread over ``--clients``
client processes, each holding its share; at most ``--starting`` of them between handshake
and first position, so a slow server is not sent more handshakes than it can answer), each
sends ``conversation.start`` and waits for its first ``queue.position``. Once every socket
has one (or ``--ready-timeout`` passed) and ``--settle`` seconds went by, it samples the
server's resident memory (``VmRSS`` in ``/proc/<pid>/status``) and CPU every second for
``--idle`` seconds while nothing happens, then closes every socket. Reports memory per
socket — (RSS when idle − RSS before) / N, where "before" is taken with ``--warmup`` sockets
already open and started, so the process's one-time loads are not counted — and the
server's CPU while idle.

127.0.0.1 only; bounded in count and time, and it stops by itself::

    .venv/bin/python -m bench.idle --port 8791 -n 10000 --rate 100 --clients 4 \
        --server-pid "$(pgrep -n -f 'serve.*8791')" --json /tmp/idle-10000.json

Run it on a database with no other waiting conversations: every conversation that leaves
the head of the queue moves every waiting citizen's position, and the server then tells all
of them (``chat.positions``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from bench.bare_load import percentile
from bench.load_clients import open_socket
from bench.load_proc import machine_load, read_proc

ROOT = Path(__file__).resolve().parent.parent
MAX_SOCKETS = 10000
MAX_SECONDS = 600.0


@dataclass
class Held:
    """The sockets one client process holds, and what they saw."""

    sockets: list[ClientConnection] = field(default_factory=list)
    readers: list[asyncio.Task[None]] = field(default_factory=list)
    first_position_ms: list[float] = field(default_factory=list)
    failed: dict[str, int] = field(default_factory=dict)
    positioned: int = 0
    closed_by_server: int = 0

    def fail(self, what: str) -> None:
        self.failed[what] = self.failed.get(what, 0) + 1


async def _citizen(
    port: int, delay: float, held: Held, patience: float, starting: asyncio.Semaphore
) -> None:
    """One waiting citizen: start a conversation, note the first position, keep reading.

    ``starting`` bounds the citizens between opening their socket and their first position,
    so a server slower than the arrival rate is not sent handshakes it cannot answer in time.
    """
    await asyncio.sleep(delay)
    async with starting:
        try:
            ws = await open_socket(port, "/ws/citizen/")
        except Exception as error:  # a refused handshake is a result
            held.fail(type(error).__name__)
            return
        held.sockets.append(ws)
        if not await _first_position(ws, held, patience):
            return
    try:
        # Keep reading (later positions, pings) so the server never waits on this socket.
        async for _raw in ws:
            pass
    except ConnectionClosed:
        pass
    held.closed_by_server += 1


async def _first_position(ws: ClientConnection, held: Held, patience: float) -> bool:
    sent = time.monotonic()
    try:
        await ws.send(json.dumps({"type": "conversation.start", "browser_language": "pl"}))
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), patience))
            if frame.get("type") == "queue.position":
                held.first_position_ms.append((time.monotonic() - sent) * 1000)
                held.positioned += 1
                return True
            if frame.get("type") == "error":
                held.fail(f"error:{frame.get('code')}")
                return False
    except TimeoutError:
        held.fail("no_position")
    except ConnectionClosed:
        held.closed_by_server += 1
    return False


async def _hold(port: int, count: int, rate: float, patience: float, starting: int) -> None:
    """Client process: open ``count`` citizens, report when positioned, close on request."""
    held = Held()
    loop = asyncio.get_running_loop()
    bound = asyncio.Semaphore(starting)
    held.readers = [
        loop.create_task(_citizen(port, i / rate, held, patience, bound)) for i in range(count)
    ]
    # Opening may take longer than ``count / rate`` when ``starting`` holds citizens back.
    deadline = time.monotonic() + count / rate + patience + MAX_SECONDS
    while time.monotonic() < deadline:
        settled = held.positioned + sum(held.failed.values()) + held.closed_by_server
        if settled >= count:
            break
        await asyncio.sleep(0.2)
    print(
        json.dumps(
            {
                "positioned": held.positioned,
                "failed": held.failed,
                "closed_by_server": held.closed_by_server,
                "first_position_ms": held.first_position_ms,
            }
        ),
        flush=True,
    )
    # The parent writes a line (or closes stdin) when it has measured.
    await loop.run_in_executor(None, sys.stdin.readline)
    for ws in held.sockets:
        with contextlib.suppress(Exception):
            await ws.close()
    for task in held.readers:
        task.cancel()
    await asyncio.gather(*held.readers, return_exceptions=True)


def _raise_open_files() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _spawn(
    port: int, count: int, rate: float, timeout: float, starting: int
) -> subprocess.Popen[str]:
    command = [
        sys.executable,
        "-m",
        "bench.idle",
        "--child",
        "--port",
        str(port),
        "-n",
        str(count),
        "--rate",
        str(rate),
        "--ready-timeout",
        str(timeout),
        "--starting",
        str(starting),
    ]
    return subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )


def _collect(children: list[subprocess.Popen[str]], bound: float) -> list[dict[str, Any]]:
    reports = []
    deadline = time.monotonic() + bound
    for child in children:
        assert child.stdout is not None  # noqa: S101 - spawned with a pipe
        line = ""
        while not line and time.monotonic() < deadline and child.poll() is None:
            line = child.stdout.readline()
        reports.append(json.loads(line) if line else {"positioned": 0, "failed": {"lost": 1}})
    return reports


def _release(children: list[subprocess.Popen[str]]) -> None:
    for child in children:
        with contextlib.suppress(OSError, ValueError):
            assert child.stdin is not None  # noqa: S101 - spawned with a pipe
            child.stdin.write("close\n")
            child.stdin.close()
    for child in children:
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(timeout=10)


def _rss_kib(pid: int) -> int:
    sample = read_proc(pid)
    if sample is None:
        raise SystemExit(f"server process {pid} is gone")
    return sample.rss_kib


def run(args: argparse.Namespace) -> dict[str, Any]:
    pid = args.server_pid
    warm: list[subprocess.Popen[str]] = []
    if args.warmup:
        warm.append(
            _spawn(
                args.port, args.warmup, max(1.0, args.warmup / 2), args.ready_timeout, args.warmup
            )
        )
    warm_reports = _collect(warm, args.warmup + args.ready_timeout + 30)
    time.sleep(args.settle)
    before = _rss_kib(pid)
    load_before = machine_load()
    per_client = [
        args.sockets // args.clients + (1 if i < args.sockets % args.clients else 0)
        for i in range(args.clients)
    ]
    started = time.monotonic()
    children = [
        _spawn(
            args.port,
            count,
            args.rate / args.clients,
            args.ready_timeout,
            max(1, args.starting // args.clients),
        )
        for count in per_client
        if count
    ]
    try:
        reports = _collect(
            children, args.sockets / args.rate + args.ready_timeout + MAX_SECONDS + 60
        )
        open_s = time.monotonic() - started
        time.sleep(args.settle)
        first = read_proc(pid)
        samples = []
        end = time.monotonic() + args.idle
        while time.monotonic() < end:
            time.sleep(1.0)
            sample = read_proc(pid)
            if sample is not None:
                samples.append(sample)
        last = samples[-1] if samples else first
    finally:
        _release(children)
        _release(warm)
    if first is None or last is None:
        raise SystemExit(f"server process {pid} is gone")
    positioned = sum(r["positioned"] for r in reports)
    failed: dict[str, int] = {}
    for report in [*reports, *warm_reports]:
        for what, count in report.get("failed", {}).items():
            failed[what] = failed.get(what, 0) + count
    delays = [ms for r in reports for ms in r.get("first_position_ms", [])]
    idle_rss = int(statistics.median(s.rss_kib for s in samples)) if samples else first.rss_kib
    idle_cpu = last.cpu_seconds - first.cpu_seconds
    idle_wall = last.at - first.at

    def ms(q: float) -> float | None:
        found = percentile(delays, q)
        return round(found, 1) if found is not None else None

    return {
        "sockets": args.sockets,
        "positioned": positioned,
        "warmup": {
            "sockets": args.warmup,
            "positioned": sum(r["positioned"] for r in warm_reports),
        },
        "failed": failed,
        "closed_by_server": sum(r.get("closed_by_server", 0) for r in reports),
        "open_seconds": round(open_s, 1),
        "first_position_ms": {"p50": ms(50), "p99": ms(99), "max": ms(100)},
        "server": {
            "rss_before_kib": before,
            "rss_idle_kib": idle_rss,
            "kib_per_socket": round((idle_rss - before) / max(1, positioned), 1),
            "idle_seconds": round(idle_wall, 1),
            "idle_cpu_percent": round(100 * idle_cpu / idle_wall, 2) if idle_wall else None,
        },
        "load_average": {"before": load_before, "idle": machine_load()},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("-n", "--sockets", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=100.0, help="sockets opened per second")
    parser.add_argument("--clients", type=int, default=1, help="client processes")
    parser.add_argument("--warmup", type=int, default=20, help="sockets open before 'before'")
    parser.add_argument("--settle", type=float, default=5.0)
    parser.add_argument("--idle", type=float, default=30.0)
    parser.add_argument("--ready-timeout", type=float, default=120.0)
    parser.add_argument(
        "--starting",
        type=int,
        default=40,
        help="at most this many citizens between handshake and first position, in all",
    )
    parser.add_argument("--server-pid", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 1 <= args.sockets <= MAX_SOCKETS or not 1 <= args.clients <= 16:
        parser.error(f"sockets 1..{MAX_SOCKETS}, clients 1..16")
    if args.idle > MAX_SECONDS or args.ready_timeout > MAX_SECONDS or args.rate <= 0:
        parser.error(f"idle and ready timeout ≤ {MAX_SECONDS:.0f} s, rate > 0")
    _raise_open_files()
    if args.child:
        asyncio.run(
            _hold(args.port, args.sockets, args.rate, args.ready_timeout, max(1, args.starting))
        )
        return 0
    if not args.server_pid:
        parser.error("--server-pid is required")
    result = run(args)
    print(json.dumps(result, indent=1))
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
