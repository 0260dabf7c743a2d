"""Overload: the message path offered its sustainable rate, then twice that, in one run.

For each code under test (this checkout and, with ``--before-root``, an export of an older
commit, each served and loaded by its own code) one Daphne process is started on the
environment's ``DATABASE_URL``/``REDIS_URL``, then ``bench.load`` runs at ``--sustainable``
conversations (1 msg/s each, officers answer every message) and at twice that, alternating
the codes round by round so that both see the same machine. Each round first runs the bare
Channels room chat (``bench.bare_chat`` on plain Daphne, the same channel layer) under
``bench.bare_load`` at the same rooms, 1× and 2×, with the same duration and ramp (officers
answer every message); its rows have code ``bare`` (``--no-bare`` leaves it out). Prints one
JSON row per run and the ratios that decide whether throughput levels off: delivered at 2× ÷
delivered at 1×, and delivered at 2× ÷ the sustainable rate; and, per code and factor, its
CPU ms per delivered message ÷ the bare chat's in the same round (median over rounds).

    .venv/bin/python -m bench.overload --sustainable 40 --duration 30 --rounds 1 \
        --before-root /tmp/base --json /tmp/overload.json
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

from bench.bare_load import cpu_ratio, run_bare
from bench.load_proc import machine_load
from bench.load_server import free_port, start, start_bare

ROOT = Path(__file__).resolve().parent.parent


def load_run(
    root: Path, port: int, pid: int, conversations: int, args: argparse.Namespace, out: Path
) -> dict[str, Any]:
    """``bench.load`` from ``root`` (its own client code) against the server on ``port``."""
    command = [
        sys.executable, "-m", "bench.load", "--port", str(port), "-n", str(conversations),
        "--rate", "1", "--duration", str(args.duration), "--reply-every", "1",
        "--max-chats", str(args.max_chats), "--ramp", str(args.ramp), "--login", "direct",
        "--drain", "10", "--server-pid", str(pid), "--json", str(out),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(root)}
    bound = args.duration + args.ramp + 400
    subprocess.run(command, cwd=root, env=env, check=True, timeout=bound, stdout=subprocess.DEVNULL)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def bare_rows(n: int, args: argparse.Namespace, logs: Path) -> list[dict[str, Any]]:
    """Round ``n`` of the bare chat: its own Daphne, ``bench.bare_load`` at 1× then 2×."""
    port = free_port()
    server = start_bare(dict(os.environ), port, log=logs / f"bare-{n}.log")
    rows: list[dict[str, Any]] = []
    try:
        for factor in (1, 2):
            load = machine_load()
            result = asyncio.run(
                run_bare(
                    ports=(port,),
                    rooms=args.sustainable * factor,
                    rate=1.0,
                    duration=args.duration,
                    server_pids=(server.pid,),
                    ramp=args.ramp,
                )
            )
            (logs / f"bare-{n}-{factor}x.json").write_text(json.dumps(result, indent=2))
            rows.append(row("bare", factor, result, load, n))
            print(json.dumps(rows[-1]), flush=True)
    finally:
        server.stop()
    return rows


def cpu_ratios(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per code and factor: CPU ms per message ÷ the bare chat's of the same round and factor,
    the median over the rounds that have both."""
    bare = {(r["round"], r["factor"]): r["cpu_ms_per_msg"] for r in rows if r["code"] == "bare"}
    found: dict[str, dict[str, list[float]]] = {}
    for r in rows:
        if r["code"] == "bare":
            continue
        ratio = cpu_ratio(r["cpu_ms_per_msg"], bare.get((r["round"], r["factor"])))
        if ratio is not None:
            found.setdefault(r["code"], {}).setdefault(f"{r['factor']}x", []).append(ratio)
    return {
        code: {factor: round(statistics.median(v), 2) for factor, v in by_factor.items()}
        for code, by_factor in found.items()
    }


def row(code: str, factor: int, result: dict[str, Any], load: float, n: int) -> dict[str, Any]:
    latency = result["latency_ms"]
    delivered = result["delivered_msgs_per_s"]
    sent = max(1, result["sent"] + result["replies"]["sent"])
    return {
        "code": code,
        "round": n,
        "factor": factor,
        "offered": result["offered_msgs_per_s"],
        "delivered_per_s": delivered,
        "p50_ms": latency.get("p50"),
        "p99_ms": latency.get("p99"),
        "lost": result["lost"] + result["replies"]["lost"],
        "retry_refusals": result.get("busy", 0),
        "refusals_per_message": round(result.get("busy", 0) / sent, 2),
        "given_up": result.get("busy_given_up", 0),
        "cpu_ms_per_msg": result["server"].get("cpu_ms_per_message"),
        "load_average": round(load, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sustainable", type=int, required=True, help="conversations at 1×")
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--ramp", type=float, default=5.0)
    parser.add_argument("--max-chats", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--before-root", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--no-bare", dest="bare", action="store_false", help="skip the bare chat")
    args = parser.parse_args()
    if not 1 <= args.rounds <= 3 or args.duration > 120 or args.sustainable > 500:
        parser.error("rounds 1..3, duration ≤ 120 s, sustainable ≤ 500 conversations")
    codes = [("after", ROOT)]
    if args.before_root is not None:
        codes.insert(0, ("before", args.before_root.resolve()))
    logs = Path(tempfile.mkdtemp(prefix="overload-"))
    rows: list[dict[str, Any]] = []
    for n in range(args.rounds):
        if args.bare:
            rows += bare_rows(n, args, logs)
        for code, root in codes:
            port = free_port()
            env = {**os.environ, "PYTHONPATH": str(root)}
            server = start(env, port, cwd=root, log=logs / f"{code}-{n}.log")
            try:
                for factor in (1, 2):
                    load = machine_load()
                    out = logs / f"{code}-{n}-{factor}x.json"
                    result = load_run(root, port, server.pid, args.sustainable * factor, args, out)
                    rows.append(row(code, factor, result, load, n))
                    print(json.dumps(rows[-1]), flush=True)
            finally:
                server.stop()
    summary: dict[str, Any] = {"rows": rows, "logs": str(logs), "ratios": {}}
    for code in [*(["bare"] if args.bare else []), *(c for c, _root in codes)]:
        ones = [r["delivered_per_s"] for r in rows if r["code"] == code and r["factor"] == 1]
        twos = [r["delivered_per_s"] for r in rows if r["code"] == code and r["factor"] == 2]
        if ones and twos:
            summary["ratios"][code] = {
                "delivered_2x_over_1x": round(sum(twos) / sum(ones), 2),
                "delivered_2x_over_sustainable": round(
                    sum(twos) / (len(twos) * args.sustainable), 2
                ),
            }
    summary["cpu_ratio_to_bare"] = cpu_ratios(rows)
    print(json.dumps({k: summary[k] for k in ("ratios", "cpu_ratio_to_bare")}))
    if args.json is not None:
        args.json.write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
