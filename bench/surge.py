"""Surge: many citizens arrive within a minute while officers claim from the queue.

``N`` citizens connect over ``--arrive`` seconds (evenly spread), each sends
``conversation.start`` and then waits, listening for ``queue.position``; meanwhile
``--officers`` on-duty officers claim the oldest waiting conversations at ``--claims`` per
second in total (taking turns), for the arrival time plus ``--after`` seconds. Reports
handshakes that failed; the time of a handshake, from ``conversation.start`` to
``conversation.started`` and to the first ``queue.position`` (p50/p99/max); the delay of
queue updates to citizens shown their exact place (from the first claim a citizen had not
yet been told about to the ``queue.position`` that tells it); the server's CPU per queue
change (claims) once every citizen has arrived; and the load generator's own CPU and loop
lag. With ``--ports`` (several server processes on one database and one channel layer)
citizens and officers are spread over the processes in turn, and ``--server-pid`` is given
once per process (CPU and memory summed). 127.0.0.1 only; bounded in count and time.

    .venv/bin/python -m bench.surge --port 8791 -n 2000 --arrive 60 --after 20 \
        --officers 20 --claims 5 --server-pid PID
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import json
import resource
import time
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from bench.bare_load import percentile
from bench.load import run_setup
from bench.load_clients import open_socket
from bench.load_proc import ProcWatcher, machine_load

MAX_CITIZENS = 10000


@dataclass
class Surge:
    handshake_failed: int = 0
    started: int = 0
    handshake_ms: list[float] = field(default_factory=list)
    started_ms: list[float] = field(default_factory=list)
    first_position_ms: list[float] = field(default_factory=list)
    update_ms: list[float] = field(default_factory=list)
    update_at: list[float] = field(default_factory=list)  # when each update_ms arrived
    positions: int = 0
    claims: list[float] = field(default_factory=list)  # claim acknowledged (monotonic s)
    waiting: list[int] = field(default_factory=list)  # conversation ids, oldest first
    errors: dict[str, int] = field(default_factory=dict)
    sockets: list[ClientConnection] = field(default_factory=list)


async def citizen(port: int, delay: float, surge: Surge, hold: float) -> None:
    await asyncio.sleep(delay)
    opened = time.monotonic()
    try:
        ws = await open_socket(port, "/ws/citizen/")
    except Exception as error:  # a refused handshake is a result
        surge.handshake_failed += 1
        name = type(error).__name__
        surge.errors[name] = surge.errors.get(name, 0) + 1
        return
    surge.sockets.append(ws)
    sent = time.monotonic()
    surge.handshake_ms.append((sent - opened) * 1000)
    await ws.send(json.dumps({"type": "conversation.start", "browser_language": "pl"}))
    told_until = sent
    first = True
    was_exact = False
    deadline = sent + hold
    with contextlib.suppress(ConnectionClosed, TimeoutError):
        while time.monotonic() < deadline:
            raw = await asyncio.wait_for(ws.recv(), deadline - time.monotonic())
            frame = json.loads(raw)
            kind = frame.get("type")
            now = time.monotonic()
            if kind == "conversation.started":
                surge.started += 1
                surge.started_ms.append((now - sent) * 1000)
            elif kind == "queue.position":
                surge.positions += 1
                exact = not frame.get("approximate")
                if first:
                    surge.first_position_ms.append((now - sent) * 1000)
                    first = False
                elif exact and was_exact:
                    # The first claim after the last update this citizen got: every claim
                    # moves an exact place (a rounded one moves only now and then, so it is
                    # not timed this way).
                    i = bisect.bisect_right(surge.claims, told_until)
                    if i < len(surge.claims) and surge.claims[i] <= now:
                        surge.update_ms.append((now - surge.claims[i]) * 1000)
                        surge.update_at.append(now)
                told_until = now
                was_exact = exact
            elif kind == "conversation.state" and frame.get("reason") == "officer_joined":
                return


async def officer(
    port: int, session: str, surge: Surge, interval: float, until: float, offset: float
) -> None:
    """An on-duty console claiming the oldest waiting conversation every ``interval``
    seconds, the first after ``offset`` (the consoles take turns, so claims are spread
    evenly rather than coming in one burst per interval)."""
    ws = await open_socket(port, "/ws/officer/", session)
    surge.sockets.append(ws)
    await ws.send(json.dumps({"type": "duty.set", "on_duty": True}))
    pending: dict[int, float] = {}

    async def read() -> None:
        async for raw in ws:
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind == "queue.entry" and frame["entry"].get("status") == "waiting":
                cid = frame["entry"]["id"]
                if cid not in surge.waiting:
                    surge.waiting.append(cid)
            elif kind == "conversation.state" and frame.get("reason") == "opened":
                if frame["conversation"]["id"] in pending:
                    pending.pop(frame["conversation"]["id"])
                    surge.claims.append(time.monotonic())
            elif kind == "error":
                code = f"officer:{frame.get('code')}"
                surge.errors[code] = surge.errors.get(code, 0) + 1

    reader = asyncio.get_running_loop().create_task(read())
    with contextlib.suppress(ConnectionClosed):
        await asyncio.sleep(offset)
        while time.monotonic() < until:
            await asyncio.sleep(interval)
            if surge.waiting:
                cid = surge.waiting.pop(0)
                pending[cid] = time.monotonic()
                await ws.send(json.dumps({"type": "conversation.claim", "conversation_id": cid}))
    reader.cancel()
    with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
        await reader


def by_window(
    values: list[float], times: list[float], start: float, width: float
) -> dict[str, float | None]:
    """p99 of ``values`` per ``width`` seconds of the run (keyed by the window's start), to
    tell the arrivals from the steady queue after them."""
    windows: dict[int, list[float]] = {}
    for value, at in zip(values, times, strict=True):
        windows.setdefault(int((at - start) // width), []).append(value)
    return {
        str(int(k * width)): round(p, 1) if (p := percentile(v, 99)) is not None else None
        for k, v in sorted(windows.items())
    }


async def loop_lag(samples: list[float], until: float) -> None:
    """How late the load generator's own event loop wakes (a busy generator delays every
    figure it measures)."""
    while time.monotonic() < until:
        before = time.monotonic()
        await asyncio.sleep(0.1)
        samples.append((time.monotonic() - before - 0.1) * 1000)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    setup = await asyncio.to_thread(run_setup, args.officers, args.max_chats, direct_sessions=True)
    surge = Surge()
    pids: list[int] = [pid for pid in args.server_pid if pid]
    watcher = ProcWatcher(pids[0], others=tuple(pids[1:])) if pids else None
    ports: list[int] = args.ports
    start = time.monotonic()
    if watcher is not None:
        watcher.start()
    load_average = machine_load()
    until = start + args.arrive + args.after
    interval = args.officers / args.claims if args.claims else 1e9
    officers = [
        officer(
            ports[i % len(ports)],
            setup["sessions"][name],
            surge,
            interval,
            until,
            interval * i / len(setup["officers"]),
        )
        for i, name in enumerate(setup["officers"])
    ]
    lag: list[float] = []
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    citizens = [
        citizen(ports[i % len(ports)], args.arrive * i / args.citizens, surge, until - start + 5)
        for i in range(args.citizens)
    ]
    await asyncio.wait_for(
        asyncio.gather(*officers, *citizens, loop_lag(lag, until), return_exceptions=True),
        args.arrive + args.after + 120,
    )
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (
        cpu_before.ru_utime + cpu_before.ru_stime
    )
    arrived = start + args.arrive + 5
    server: dict[str, Any] = {}
    if watcher is not None:
        await watcher.stop()
        cpu = watcher.cpu_between(arrived, until)
        wall = watcher.wall_between(arrived, until)
        changes = sum(1 for t in surge.claims if arrived <= t <= until)
        server = {
            "pids": pids,
            "cpu_percent_by_pid_after_arrivals": {
                str(pid): round(100 * seconds / wall, 1) if wall else None
                for pid, seconds in watcher.cpu_by_pid_between(arrived, until).items()
            },
            "rss_peak_mib": round(max(s.rss_kib for s in watcher.samples) / 1024, 1),
            "cpu_percent_after_arrivals": round(100 * cpu / wall, 1) if cpu and wall else None,
            "claims_after_arrivals": changes,
            "cpu_ms_per_change": round(1000 * cpu / changes, 1) if cpu and changes else None,
        }
    for ws in surge.sockets:
        with contextlib.suppress(Exception):
            await ws.close()

    def ms(values: list[float], q: float) -> float | None:
        found = percentile(values, q)
        return round(found, 1) if found is not None else None

    return {
        "citizens": args.citizens,
        "ports": ports,
        "arrive_s": args.arrive,
        "officers": args.officers,
        "handshake_failed": surge.handshake_failed,
        "started": surge.started,
        "handshake_ms": {
            "n": len(surge.handshake_ms),
            "p50": ms(surge.handshake_ms, 50),
            "p99": ms(surge.handshake_ms, 99),
        },
        "started_ms": {
            "n": len(surge.started_ms),
            "p50": ms(surge.started_ms, 50),
            "p99": ms(surge.started_ms, 99),
        },
        "first_position_ms": {
            "n": len(surge.first_position_ms),
            "p50": ms(surge.first_position_ms, 50),
            "p99": ms(surge.first_position_ms, 99),
            "max": ms(surge.first_position_ms, 100),
        },
        "update_ms": {
            "n": len(surge.update_ms),
            "p50": ms(surge.update_ms, 50),
            "p99": ms(surge.update_ms, 99),
            "max": ms(surge.update_ms, 100),
            # by 10 s of the run, to tell the arrivals from the steady queue after them
            "p99_by_10s": by_window(surge.update_ms, surge.update_at, start, 10.0),
        },
        "positions_received": surge.positions,
        "claims": len(surge.claims),
        "errors": surge.errors,
        "server": server,
        "load_generator": {
            "cpu_percent": round(100 * client_cpu / (until - start), 1),
            "loop_lag_ms": {"p50": ms(lag, 50), "p99": ms(lag, 99), "max": ms(lag, 100)},
        },
        "load_average_at_start": load_average,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--ports", default="", help="comma-separated ports of several server processes"
    )
    parser.add_argument("-n", "--citizens", type=int, default=2000)
    parser.add_argument("--arrive", type=float, default=60.0)
    parser.add_argument("--after", type=float, default=20.0)
    parser.add_argument("--officers", type=int, default=20)
    parser.add_argument("--max-chats", type=int, default=50)
    parser.add_argument("--claims", type=float, default=5.0, help="claims per second, in all")
    parser.add_argument(
        "--server-pid", type=int, action="append", default=[], help="once per server process"
    )
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    if not 1 <= args.citizens <= MAX_CITIZENS or args.arrive > 300 or args.after > 300:
        parser.error(f"citizens 1..{MAX_CITIZENS}, arrive and after ≤ 300 s")
    args.ports = [int(p) for p in args.ports.split(",") if p.strip()] or [args.port]
    if not all(args.ports):
        parser.error("--port or --ports is required")
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    result = asyncio.run(run(args))
    print(json.dumps(result, indent=1))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(result, out, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
