"""Poradnia's message path against a bare Channels room chat, in one run, interleaved.

Starts one bare-chat Daphne (``bench.bare_chat``) and one Poradnia Daphne on the same
channel layer (the environment's ``REDIS_URL``; Poradnia on the environment's
``DATABASE_URL``), both on 127.0.0.1, then runs ``--rounds`` rounds of: the bare chat under
``bench.bare_load``, then Poradnia under ``bench.load`` (both parties send: officers answer
every citizen message); with ``--before-root`` an older checkout too, between the two.
Prints one row per run and the ratio of CPU per delivered message.

    .venv/bin/python -m bench.compare --conversations 200 --duration 20 --rounds 2 \
        --json /tmp/compare.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.bare_load import run_bare
from bench.load_proc import machine_busy_seconds
from bench.load_server import free_port, start, start_bare

ROOT = Path(__file__).resolve().parent.parent


def poradnia_run(port: int, pid: int, args: argparse.Namespace, out: Path) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "bench.load",
        "--port",
        str(port),
        "-n",
        str(args.conversations),
        "--rate",
        str(args.rate),
        "--duration",
        str(args.duration),
        "--reply-every",
        "1",
        "--max-chats",
        str(args.max_chats),
        "--ramp",
        str(args.ramp),
        "--login",
        "direct",
        "--drain",
        "10",
        "--server-pid",
        str(pid),
        "--label",
        "poradnia",
        "--json",
        str(out),
    ]
    bound = args.duration + args.ramp + 400
    subprocess.run(command, cwd=ROOT, check=True, timeout=bound, stdout=subprocess.DEVNULL)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def row(kind: str, result: dict[str, Any], busy_cores: float) -> dict[str, Any]:
    latency = result["latency_ms"]
    return {
        "run": kind,
        "offered": result["offered_msgs_per_s"],
        "delivered_per_s": result["delivered_msgs_per_s"],
        "p50_ms": latency.get("p50"),
        "p99_ms": latency.get("p99"),
        "lost": result["lost"],
        "busy": result.get("busy", 0),
        "cpu_percent": result["server"].get("cpu_percent"),
        "cpu_ms_per_msg": result["server"].get("cpu_ms_per_message"),
        "machine_busy_cores": round(busy_cores, 2),
        "load_average": result.get("load_average_at_start"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--rate", type=float, default=1.0)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--ramp", type=float, default=5.0)
    parser.add_argument("--max-chats", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--poradnia-root",
        type=Path,
        default=ROOT,
        help="serve Poradnia from this checkout (e.g. an export of an older commit)",
    )
    parser.add_argument(
        "--before-root",
        type=Path,
        default=None,
        help="also serve this checkout and run it in every round, after the bare chat",
    )
    args = parser.parse_args()
    if not 1 <= args.rounds <= 5 or args.duration > 120 or args.conversations > 2000:
        parser.error("rounds 1..5, duration ≤ 120 s, conversations ≤ 2000")
    env = dict(os.environ)
    logs = Path(tempfile.mkdtemp(prefix="compare-"))
    bare_port, full_port = free_port(), free_port()
    bare = start_bare(env, bare_port, log=logs / "bare.log")
    full = start(env, full_port, cwd=args.poradnia_root, log=logs / "poradnia.log")
    servers = [("poradnia", full)]
    if args.before_root is not None:
        before_port = free_port()
        servers.insert(
            0,
            (
                "poradnia-before",
                start(env, before_port, cwd=args.before_root, log=logs / "poradnia-before.log"),
            ),
        )
    rows: list[dict[str, Any]] = []
    try:
        for n in range(args.rounds):
            before = machine_busy_seconds()
            result = asyncio.run(
                run_bare(
                    ports=(bare_port,),
                    rooms=args.conversations,
                    rate=args.rate,
                    duration=args.duration,
                    server_pids=(bare.pid,),
                    ramp=args.ramp,
                )
            )
            span = args.duration + args.ramp + 3
            rows.append(row("bare", result, (machine_busy_seconds() - before) / span))
            print(json.dumps(rows[-1]), flush=True)
            for kind, server in servers:
                before = machine_busy_seconds()
                result = poradnia_run(server.port, server.pid, args, logs / f"{kind}-{n}.json")
                busy = (machine_busy_seconds() - before) / result["wall_s"]
                rows.append(row(kind, result, busy))
                print(json.dumps(rows[-1]), flush=True)
    finally:
        bare.stop()
        for _kind, server in servers:
            server.stop()

    def cpu(kind: str) -> list[float]:
        return [r["cpu_ms_per_msg"] for r in rows if r["run"] == kind and r["cpu_ms_per_msg"]]

    summary: dict[str, Any] = {"rows": rows, "logs": str(logs)}
    bare_cpu = cpu("bare")
    for kind, prefix in (("poradnia", ""), ("poradnia-before", "before_")):
        full_cpu = cpu(kind)
        if bare_cpu and full_cpu:
            summary["bare_cpu_ms_per_msg"] = statistics.median(bare_cpu)
            summary[f"{prefix}poradnia_cpu_ms_per_msg"] = statistics.median(full_cpu)
            ratio = statistics.median(full_cpu) / statistics.median(bare_cpu)
            summary[f"{prefix}ratio"] = round(ratio, 2)
    print(json.dumps({k: v for k, v in summary.items() if k != "rows"}))
    if args.json is not None:
        args.json.write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
