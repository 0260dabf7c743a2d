"""Scale-out: 1, 2, 4 server processes on one database and one channel layer.

For each process count it starts that many ``poradnia.serve`` processes (with the production
websocket limits) on 127.0.0.1, runs ``bench.load --ports`` against them for each number of
conversations in ``--conversations`` (citizens and officers spread over the processes, every
conversation's officer on another process than its citizen where one has room, both parties
sending), and stops at the first step that is not sustained (p99 ≥ ``--p99-ms``, or anything
lost, duplicated, unacknowledged or left unclaimed; frames that arrive out of ``seq`` order
are reported, not failed). CPU is summed over the processes.

Beside them it starts as many bare-chat Daphne processes (``bench.bare_chat``) on the same
Redis layer, and each step first runs ``bench.bare_load --ports`` over those (each room's
citizen on one process, its officer on the next, so every message crosses processes; same
rate and duration, the ramp ``bench.load`` takes by default), then Poradnia: rows with run
``bare`` and ``poradnia``, and on each Poradnia row its CPU ms per delivered message ÷ the
bare chat's of the same step. The stop rule looks at Poradnia's rows only.

Run it with the servers' environment (``DATABASE_URL``, ``REDIS_URL``, …) from the project
root; the database needs migrating and ``collectstatic`` once, as for ``bench.load``::

    .venv/bin/python -m bench.scale --processes 1,2,4 --conversations 40,80,120,160 \
        --duration 20 --json /tmp/scale.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.bare_load import cpu_ratio, run_bare
from bench.load import passed
from bench.load_clients import MAX_PORTS
from bench.load_proc import machine_load
from bench.load_server import PRODUCTION_LIMITS, Server, free_port, start, start_bare

ROOT = Path(__file__).resolve().parent.parent


def _int_list(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def load_run(
    servers: list[Server], conversations: int, args: argparse.Namespace, out: Path
) -> dict[str, Any]:
    """One ``bench.load`` run over every server's port; its JSON result."""
    command = [
        *(sys.executable, "-m", "bench.load"),
        *("--ports", ",".join(str(s.port) for s in servers)),
        *("-n", str(conversations), "--rate", str(args.rate)),
        *("--duration", str(args.duration), "--reply-every", str(args.reply_every)),
        *("--max-chats", str(args.max_chats), "--login", "direct", "--drain", "10"),
        *("--label", f"{len(servers)} processes", "--json", str(out)),
    ]
    for server in servers:
        command += ["--server-pid", str(server.pid)]
    bound = args.duration + conversations / 10 + 600
    subprocess.run(command, cwd=ROOT, check=True, timeout=bound, stdout=subprocess.DEVNULL)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def bare_run(
    servers: list[Server], conversations: int, args: argparse.Namespace, out: Path
) -> dict[str, Any]:
    """``bench.bare_load`` over every bare-chat server's port; its result (also to ``out``)."""
    result = asyncio.run(
        run_bare(
            ports=[s.port for s in servers],
            rooms=conversations,
            rate=args.rate,
            duration=args.duration,
            server_pids=[s.pid for s in servers],
            ramp=conversations / 10,  # bench.load's default ramp
        )
    )
    out.write_text(json.dumps(result, indent=2))
    return result


def start_servers(processes: int, tmp: Path, *, bare: bool) -> list[Server]:
    """``processes`` Poradnia (or bare-chat) servers; those started are stopped on failure."""
    servers: list[Server] = []
    try:
        for k in range(processes):
            port = free_port()
            if bare:
                log = tmp / f"bare-{processes}-{k}.log"
                servers.append(start_bare(dict(os.environ), port, log=log))
            else:
                log = tmp / f"serve-{processes}-{k}.log"
                servers.append(
                    start(dict(os.environ), port, log=log, serve_options=PRODUCTION_LIMITS)
                )
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers


def sustained(result: dict[str, Any], p99_ms: float) -> bool:
    """p99 under the bound and nothing lost, doubled, unacknowledged or unclaimed.

    A frame that reaches a console after a later-numbered one (each party's process
    publishes its own messages) is not a failure; a number skipped and never filled is.
    """
    p99 = result["latency_ms"]["p99"]
    return passed(result) and p99 is not None and p99 < p99_ms


def _shared(run: str, processes: int, result: dict[str, Any]) -> dict[str, Any]:
    """The fields ``bench.load`` and ``bench.bare_load`` results have alike."""
    server = result["server"]
    latency = result["latency_ms"]
    return {
        "run": run,
        "processes": processes,
        "conversations": result["conversations"],
        "offered_per_s": result["offered_msgs_per_s"],
        "delivered_per_s": result["delivered_msgs_per_s"],
        "p50_ms": latency["p50"],
        "p99_ms": latency["p99"],
        "cpu_percent": server.get("cpu_percent"),
        "cpu_percent_by_pid": server.get("cpu_percent_by_pid"),
        "cpu_ms_per_message": server.get("cpu_ms_per_message"),
        "client_cpu_percent": result["client"]["cpu_percent"],
        "load_average": result["load_average_at_start"],
    }


def row(processes: int, result: dict[str, Any], p99_ms: float) -> dict[str, Any]:
    replies = result["replies"]
    return {
        **_shared("poradnia", processes, result),
        "reply_p99_ms": replies["p99_ms"],
        "lost": result["lost"] + replies["lost"],
        "duplicated": result["duplicated"],
        "unacked": result["unacked"],
        "busy": result.get("busy", 0),
        # Frames that reached a console after a later-numbered one (published by the other
        # party's process); all arrived, the page places them by seq.
        "reordered": result["seq_backwards"],
        "cross_process": f"{result['cross_process_claims']}/{result['claimed']}",
        "sustained": sustained(result, p99_ms),
    }


def bare_row(processes: int, result: dict[str, Any], p99_ms: float) -> dict[str, Any]:
    """A ``bench.bare_load`` result in ``row``'s shape (what it does not observe is None)."""
    p99 = result["latency_ms"]["p99"]
    lost = result["lost"] + result["replies"]["lost"]
    return {
        **_shared("bare", processes, result),
        "reply_p99_ms": None,
        "lost": lost,
        "duplicated": None,
        "unacked": None,
        "busy": None,
        "reordered": None,
        "cross_process": f"{result['cross_process_rooms']}/{result['conversations']}",
        "sustained": lost == 0 and not result["rooms_failed"] and p99 is not None and p99 < p99_ms,
    }


def _cell(value: Any) -> str:
    return "–" if value is None else str(value)


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| run | processes | conversations | delivered msg/s | p50 / p99 ms | reply p99 ms | "
        "lost | dup | busy | reordered | across processes | server CPU (by process) | "
        "CPU ms/msg | ÷ bare | client CPU | load average | sustained |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        by_pid = " + ".join(f"{v}" for v in (r["cpu_percent_by_pid"] or {}).values())
        cells = [
            r["run"],
            r["processes"],
            r["conversations"],
            r["delivered_per_s"],
            f"{_cell(r['p50_ms'])} / {_cell(r['p99_ms'])}",
            *(r[k] for k in ("reply_p99_ms", "lost", "duplicated", "busy", "reordered")),
            r["cross_process"],
            f"{_cell(r['cpu_percent'])} % ({by_pid})",
            r["cpu_ms_per_message"],
            r.get("cpu_ratio_to_bare"),
            f"{_cell(r['client_cpu_percent'])} %",
            r["load_average"],
            "yes" if r["sustained"] else "no",
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=_int_list, default=[1, 2, 4])
    parser.add_argument("--conversations", type=_int_list, default=[40, 80, 120, 160])
    parser.add_argument("--rate", type=float, default=1.0)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--reply-every", type=int, default=1)
    parser.add_argument("--max-chats", type=int, default=10)
    parser.add_argument("--p99-ms", type=float, default=100.0)
    parser.add_argument(
        "--all-steps", action="store_true", help="run every step, not only up to the first miss"
    )
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--keep", type=Path, default=None, help="keep each run's JSON and server logs here"
    )
    args = parser.parse_args(argv)
    if not all(1 <= k <= MAX_PORTS for k in args.processes):
        parser.error(f"--processes takes 1..{MAX_PORTS} each")

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="poradnia-scale-") as scratch:
        tmp = args.keep or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        for processes in args.processes:
            bare = start_servers(processes, tmp, bare=True)
            servers: list[Server] = []
            try:
                servers = start_servers(processes, tmp, bare=False)
                for conversations in args.conversations:
                    print(
                        f"{processes} processes, {conversations} conversations "
                        f"(load average {machine_load()})",
                        file=sys.stderr,
                    )
                    out = tmp / f"bare-{processes}-{conversations}.json"
                    floor = bare_row(
                        processes, bare_run(bare, conversations, args, out), args.p99_ms
                    )
                    rows.append(floor)
                    print(markdown([floor]).splitlines()[-1], file=sys.stderr)
                    out = tmp / f"load-{processes}-{conversations}.json"
                    found = row(processes, load_run(servers, conversations, args, out), args.p99_ms)
                    found["cpu_ratio_to_bare"] = cpu_ratio(
                        found["cpu_ms_per_message"], floor["cpu_ms_per_message"]
                    )
                    rows.append(found)
                    print(markdown([found]).splitlines()[-1], file=sys.stderr)
                    if not found["sustained"] and not args.all_steps:
                        break
            finally:
                for server in [*bare, *servers]:
                    server.stop()
    print(markdown(rows))
    for processes in args.processes:
        best = max(
            (
                r["delivered_per_s"]
                for r in rows
                if r["run"] == "poradnia" and r["processes"] == processes and r["sustained"]
            ),
            default=None,
        )
        ratios = [
            r["cpu_ratio_to_bare"]
            for r in rows
            if r["run"] == "poradnia" and r["processes"] == processes and r["cpu_ratio_to_bare"]
        ]
        print(
            f"{processes} processes: highest sustained delivery {best} msg/s citizen→officer; "
            f"CPU per message ÷ bare chat by step {ratios}"
        )
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
