"""Load for the bare room chat (``bench.bare_chat``), shaped like ``bench.load``'s.

N rooms, two sockets each (a "citizen" and an "officer"); every citizen writes ``rate``
messages per second on an open-loop schedule and the officer answers each one, so both
parties send. Reports delivered citizen messages per second, citizen→officer latency, lost
messages and the server's CPU per delivered message (both directions), over the window in
which every room is talking. 127.0.0.1 only; bounded in count and time.

With ``--ports`` (several bare-chat processes on one Redis layer, one ``--server-pid`` each)
room *i*'s citizen connects to the *i*-th port in turn and its officer to the next one, so
every message crosses processes through the layer; CPU is summed over the processes.

    .venv/bin/python -m bench.bare_load --port 8792 -n 200 --duration 20 --server-pid PID
    .venv/bin/python -m bench.bare_load --ports 8792,8793 -n 100 --server-pid P1 --server-pid P2
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bench.load_proc import ProcWatcher, machine_load

MAX_ROOMS = 2000
MAX_PORTS = 8


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


@dataclass
class Seen:
    sent: dict[str, int] = field(default_factory=dict)
    delivered: dict[str, int] = field(default_factory=dict)
    latency: list[tuple[int, float]] = field(default_factory=list)
    replies_sent: int = 0
    replies_delivered: dict[str, int] = field(default_factory=dict)
    first_send: list[float] = field(default_factory=list)  # per room (monotonic s)
    last_send: list[float] = field(default_factory=list)


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def room_ports(index: int, ports: Sequence[int]) -> tuple[int, int]:
    """Room ``index``'s citizen and officer ports: the citizen on the ports in turn, the
    officer on the next one (the same port when there is only one)."""
    return ports[index % len(ports)], ports[(index + 1) % len(ports)]


def cpu_ratio(poradnia: float | None, bare: float | None) -> float | None:
    """CPU per delivered message of Poradnia over the bare chat's; None if either is missing."""
    if not poradnia or not bare:
        return None
    return round(poradnia / bare, 2)


def _open(port: int, room: str) -> Any:
    return connect(
        f"ws://127.0.0.1:{port}/ws/room/{room}/",
        compression=None,
        ping_interval=None,
        open_timeout=60,
        max_size=2**20,
    )


async def _room(
    ports: Sequence[int],
    index: int,
    run: str,
    seen: Seen,
    *,
    messages: int,
    rate: float,
    ramp: float,
) -> None:
    await asyncio.sleep(ramp)
    room = f"{run}-{index}"
    citizen_port, officer_port = room_ports(index, ports)
    async with _open(citizen_port, room) as citizen, _open(officer_port, room) as officer:
        reader = asyncio.get_running_loop().create_task(_officer(officer, seen))
        echo = asyncio.get_running_loop().create_task(_drain(citizen, seen))
        loop = asyncio.get_running_loop()
        begin = loop.time() + (index * 0.618034 % 1.0) / rate
        for k in range(messages):
            delay = begin + k / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            cid = f"c.{room}.{k}"
            seen.sent[cid] = time.monotonic_ns()
            frame = {"type": "message", "sender": "citizen", "client_id": cid, "text": "x" * 60}
            with contextlib.suppress(ConnectionClosed):
                await citizen.send(json.dumps(frame))
            if k == 0:
                seen.first_send.append(time.monotonic())
        seen.last_send.append(time.monotonic())
        await asyncio.sleep(3)
        reader.cancel()
        echo.cancel()
        for task in (reader, echo):
            with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                await task


async def _officer(ws: ClientConnection, seen: Seen) -> None:
    async for raw in ws:
        now = time.monotonic_ns()
        frame = json.loads(raw)
        cid = frame.get("client_id", "")
        if frame.get("sender") == "citizen" and cid in seen.sent and cid not in seen.delivered:
            seen.delivered[cid] = now
            seen.latency.append((now, (now - seen.sent[cid]) / 1e6))
            seen.replies_sent += 1
            reply = {"type": "message", "sender": "officer", "client_id": "r" + cid, "text": "ok"}
            await ws.send(json.dumps(reply))


async def _drain(ws: ClientConnection, seen: Seen) -> None:
    """The citizen's socket: a reply counts as delivered when it reaches the citizen (the
    officer's own copy may come from its own process)."""
    async for raw in ws:
        frame = json.loads(raw)
        if frame.get("sender") == "officer":
            seen.replies_delivered.setdefault(frame.get("client_id", ""), time.monotonic_ns())


async def run_bare(
    *,
    ports: Sequence[int],
    rooms: int,
    rate: float,
    duration: float,
    server_pids: Sequence[int] = (),
    ramp: float = 5.0,
) -> dict[str, Any]:
    """Drive ``rooms`` rooms over ``ports``; CPU summed over ``server_pids`` (if given)."""
    run = secrets.token_hex(3)
    seen = Seen()
    watcher = ProcWatcher(server_pids[0], others=tuple(server_pids[1:])) if server_pids else None
    if watcher is not None:
        watcher.start()
    load_average = machine_load()
    messages = max(1, round(duration * rate))
    start = time.monotonic()
    client_cpu = time.process_time()
    outcomes = await asyncio.wait_for(
        asyncio.gather(
            *(
                _room(
                    ports, i, run, seen, messages=messages, rate=rate, ramp=ramp * i / max(1, rooms)
                )
                for i in range(rooms)
            ),
            return_exceptions=True,
        ),
        timeout=ramp + duration + 120,
    )
    client_cpu = time.process_time() - client_cpu
    wall = time.monotonic() - start
    if watcher is not None:
        await watcher.stop()
    failures: dict[str, int] = {}
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            name = type(outcome).__name__
            failures[name] = failures.get(name, 0) + 1
    # Steady window: every room talking (after the last first send, before the first last).
    lo = max(seen.first_send, default=start)
    hi = min(seen.last_send, default=start + duration)
    if hi - lo < 2:
        lo, hi = min(seen.first_send, default=start), max(seen.last_send, default=hi)
    in_window = sum(1 for t in seen.delivered.values() if lo * 1e9 <= t <= hi * 1e9)
    replies = sum(1 for t in seen.replies_delivered.values() if lo * 1e9 <= t <= hi * 1e9)
    latency = [ms for t, ms in seen.latency if lo * 1e9 <= t <= hi * 1e9]
    server: dict[str, Any] = {}
    if watcher is not None:
        cpu = watcher.cpu_between(lo, hi)
        window = watcher.wall_between(lo, hi)
        if cpu is not None and window:
            server = {
                "cpu_percent": round(100 * cpu / window, 1),
                "cpu_ms_per_message": round(1000 * cpu / max(1, in_window + replies), 3),
                "rss_peak_mib": round(max(s.rss_kib for s in watcher.samples) / 1024, 1),
                "cpu_percent_by_pid": {
                    str(pid): round(100 * seconds / window, 1)
                    for pid, seconds in watcher.cpu_by_pid_between(lo, hi).items()
                },
            }
    return {
        "label": "bare",
        "conversations": rooms,
        "offered_msgs_per_s": rooms * rate,
        "sent": len(seen.sent),
        "delivered": len(seen.delivered),
        "lost": len(seen.sent) - len(seen.delivered),
        "rooms_failed": failures,
        "ports": list(ports),
        "cross_process_rooms": sum(1 for i in range(rooms) if len(set(room_ports(i, ports))) > 1),
        "replies": {
            "sent": seen.replies_sent,
            "delivered": len(seen.replies_delivered),
            "lost": seen.replies_sent - len(seen.replies_delivered),
        },
        "delivered_msgs_per_s": round(in_window / max(1e-9, hi - lo), 1),
        "latency_ms": {
            "p50": _ms(percentile(latency, 50)),
            "p99": _ms(percentile(latency, 99)),
            "max": _ms(max(latency, default=None)),
        },
        "server": server,
        "client": {"cpu_percent": round(100 * client_cpu / max(1e-9, wall), 1)},
        "load_average_at_start": load_average,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--port", type=int)
    where.add_argument("--ports", help="comma-separated ports of several bare-chat processes")
    parser.add_argument("-n", "--rooms", type=int, default=200)
    parser.add_argument("--rate", type=float, default=1.0)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--ramp", type=float, default=5.0)
    parser.add_argument(
        "--server-pid", type=int, action="append", default=[], help="once per process"
    )
    parser.add_argument("--json", type=Path, default=None, help="write the result here")
    args = parser.parse_args(argv)
    if not 1 <= args.rooms <= MAX_ROOMS or not 0 < args.duration <= 300 or args.rate > 20:
        parser.error(f"rooms 1..{MAX_ROOMS}, duration ≤ 300 s, rate ≤ 20")
    try:
        args.ports = (
            (args.port,) if args.ports is None else tuple(int(p) for p in args.ports.split(","))
        )
    except ValueError:
        parser.error("--ports must be comma-separated port numbers")
    if not 1 <= len(args.ports) <= MAX_PORTS or len(set(args.ports)) != len(args.ports):
        parser.error(f"--ports takes 1..{MAX_PORTS} different ports")
    if not 0 <= args.ramp <= 120:
        parser.error("--ramp must be 0..120 s")
    args.server_pid = [pid for pid in args.server_pid if pid]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = asyncio.run(
        run_bare(
            ports=args.ports,
            rooms=args.rooms,
            rate=args.rate,
            duration=args.duration,
            server_pids=args.server_pid,
            ramp=args.ramp,
        )
    )
    print(json.dumps(result))
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
