"""Load generator: N concurrent citizen↔officer conversations against a running server.

Usage (the server already running on 127.0.0.1, this command with the same database
environment as the server, from the project root)::

    .venv/bin/python -m bench.load --port 8765 --conversations 200 --rate 1 --duration 60 \
        --server-pid "$(pgrep -n -f 'daphne.*8765')"

With ``--ports 8765,8766`` the sockets are spread over several server processes on one
database and one channel layer: citizen *i* and officer *j* connect to the ports in turn,
each conversation goes to an officer on another process than its citizen where one has room
(so its messages cross the channel layer), and ``--server-pid`` is given once per process:
memory and CPU are summed over them.

It creates bench officers through ``bench.load_setup`` (a Django process on the server's
database), logs them in over HTTP, puts them on duty, starts the conversations over a ramp,
lets the officers claim them, and has every citizen write ``rate`` messages per second for
``duration`` seconds. It reports delivered messages per second, citizen→officer latency
percentiles (send time in the text, measured at the officer's receive), lost and duplicated
messages, sequence violations, error frames, and the server's peak memory and CPU per message
(from ``/proc/<pid>``). Only 127.0.0.1 is ever contacted; the run is bounded in count and time
and stops by itself. ``--check`` makes the exit status 1 unless nothing was lost, duplicated
or left unclaimed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import math
import os
import resource
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.load_clients import MAX_PORTS, PORT_CATEGORIES, Citizen, Dispatcher, Observed, Officer
from bench.load_proc import (
    LoginFailed,
    ProcWatcher,
    http_login,
    machine_load,
    wait_for_quiet,
)

ROOT = Path(__file__).resolve().parent.parent
MAX_CONVERSATIONS = 2000
MAX_DURATION = 900.0


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (``q`` in 0..100) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


async def _drain(observed: Observed, patience: float) -> None:
    """Wait for messages still in flight while they keep arriving (at most two minutes)."""
    hard_deadline = time.monotonic() + 120
    last = observed.outstanding()
    last_progress = time.monotonic()
    while last and time.monotonic() < hard_deadline:
        await asyncio.sleep(0.1)
        now = observed.outstanding()
        if now < last:
            last, last_progress = now, time.monotonic()
        elif time.monotonic() - last_progress > patience:
            return


def run_setup(officers: int, max_chats: int, *, direct_sessions: bool) -> dict[str, Any]:
    """Create the bench officers in the server's database (same environment as this process)."""
    command = [
        sys.executable,
        "-m",
        "bench.load_setup",
        "--officers",
        str(officers),
        "--max-chats",
        str(max_chats),
    ]
    if direct_sessions:
        command.append("--direct-sessions")
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"bench setup failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


class LoopLag:
    """How late this process's own event loop wakes up (to tell client stalls from server ones)."""

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.max_ms = 0.0
        self.over_20ms = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(self.interval)
            late = (loop.time() - before - self.interval) * 1000
            self.max_ms = max(self.max_ms, late)
            if late > 20:
                self.over_20ms += 1

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


async def _gather_limited(coroutines: list[Any], limit: int) -> None:
    gate = asyncio.Semaphore(limit)

    async def one(coroutine: Any) -> None:
        async with gate:
            with contextlib.suppress(Exception):
                await coroutine

    await asyncio.gather(*(one(c) for c in coroutines))


async def run_load(args: argparse.Namespace) -> dict[str, Any]:
    """Run one bounded load test and return its measurements."""
    run = secrets.token_hex(3)
    observed = Observed()
    per_officer = args.max_chats
    ports: tuple[int, ...] = args.ports
    officer_count = args.officers or max(1, math.ceil(args.conversations / (per_officer * 0.8)))
    # As many officers on every process (at least one each).
    officer_count = len(ports) * math.ceil(officer_count / len(ports))
    setup = await asyncio.to_thread(
        run_setup, officer_count, per_officer, direct_sessions=args.login == "direct"
    )
    if args.login == "direct":
        sessions = [setup["sessions"][name] for name in setup["officers"]]
    else:
        sessions = list(
            await asyncio.gather(
                *(
                    asyncio.to_thread(
                        http_login,
                        ports[0],
                        name,
                        setup["password"],
                        setup.get("otp_keys", {}).get(name),
                    )
                    for name in setup["officers"]
                )
            )
        )
    officers = [
        Officer(i, ports[i % len(ports)], session, observed, run, args.reply_every)
        for i, session in enumerate(sessions)
    ]
    await asyncio.gather(*(officer.connect() for officer in officers))
    Dispatcher(officers, per_officer, ports)

    # Long-lived bookkeeping objects would otherwise be rescanned by every full collection.
    gc.collect()
    gc.freeze()
    pids: list[int] = args.server_pid
    watcher = ProcWatcher(pids[0], others=tuple(pids[1:])) if pids else None
    if watcher is not None:
        watcher.start()
    lag = LoopLag()
    lag.start()
    usage_before = resource.getrusage(resource.RUSAGE_SELF)
    load_start = time.monotonic()
    load_average = machine_load()

    messages = max(1, round(args.duration * args.rate))
    citizens = [
        Citizen(
            i,
            ports[i % len(ports)],
            observed,
            run,
            waiting_messages=args.waiting_messages,
            messages=messages,
            rate=args.rate,
            text_size=args.text_size,
            category=PORT_CATEGORIES[i % len(ports)],
        )
        for i in range(args.conversations)
    ]
    ramp = args.ramp if args.ramp is not None else max(2.0, args.conversations / 10)

    async def flow(citizen: Citizen, delay: float) -> None:
        await asyncio.sleep(delay)
        try:
            await citizen.start()
            await citizen.talk(args.claim_timeout)
        except Exception as error:  # a refused or dropped socket is a result, not a crash
            observed.errors[f"client:{type(error).__name__}"] += 1

    flows = [
        flow(citizen, ramp * i / max(1, args.conversations)) for i, citizen in enumerate(citizens)
    ]
    await asyncio.gather(*flows)
    await _drain(observed, args.drain)
    load_end = time.monotonic()
    usage_after = resource.getrusage(resource.RUSAGE_SELF)
    await lag.stop()
    if watcher is not None:
        await watcher.stop()

    await _gather_limited([citizen.end() for citizen in citizens], 50)
    await asyncio.gather(*(officer.close() for officer in officers), return_exceptions=True)
    gc.unfreeze()

    return summarise(
        args,
        observed,
        watcher=watcher,
        lag=lag,
        officers=officer_count,
        load_start=load_start,
        load_end=load_end,
        load_average=load_average,
        client_cpu=(usage_after.ru_utime + usage_after.ru_stime)
        - (usage_before.ru_utime + usage_before.ru_stime),
    )


def summarise(
    args: argparse.Namespace,
    observed: Observed,
    *,
    watcher: ProcWatcher | None,
    lag: LoopLag,
    officers: int,
    load_start: float,
    load_end: float,
    load_average: float,
    client_cpu: float,
) -> dict[str, Any]:
    claimed_prefixes = _claimed_conversations(observed)
    stored = [cid for cid in observed.acked if _conversation_of(cid) in claimed_prefixes]
    lost = sorted(cid for cid in stored if cid not in observed.delivered)
    unacked = [
        cid
        for cid in observed.sent
        if cid not in observed.acked and _conversation_of(cid) in claimed_prefixes
    ]
    reply_lost = [cid for cid in observed.reply_acked if cid not in observed.reply_delivered]

    # Steady state: every conversation is talking (after the last one's first live message,
    # before the first one's last).
    window_start = max(observed.first_live_send, default=0)
    window_end = min(observed.last_live_send, default=0)
    steady = window_end - window_start > 2e9
    if not steady:
        window_start = min(observed.first_live_send, default=0)
        window_end = max(observed.last_live_send, default=0)
    window_s = max(1e-9, (window_end - window_start) / 1e9)
    in_window = sum(1 for t in observed.delivered.values() if window_start <= t <= window_end)
    steady_latency = [ms for t, ms in observed.latency_ms if window_start <= t <= window_end]
    all_latency = [ms for _, ms in observed.latency_ms]

    # Per second of the run: the worst latency, to spot stalls such as collection pauses.
    seconds: dict[int, float] = {}
    first = min((t for t, _ in observed.latency_ms), default=0)
    for t, ms in observed.latency_ms:
        bucket = int((t - first) // 1_000_000_000)
        seconds[bucket] = max(seconds.get(bucket, 0.0), ms)
    worst = sorted(seconds.items(), key=lambda item: -item[1])[:5]

    server: dict[str, Any] = {}
    if watcher is not None and watcher.samples:
        samples = watcher.samples
        # Server CPU over the steady window, per message delivered in it (both directions).
        lo, hi = (window_start / 1e9, window_end / 1e9) if steady else (load_start, load_end)
        cpu = watcher.cpu_between(lo, hi)
        wall = watcher.wall_between(lo, hi)
        delivered_in_cpu_window = sum(
            1 for t in observed.delivered.values() if lo * 1e9 <= t <= hi * 1e9
        ) + sum(1 for t in observed.reply_delivered.values() if lo * 1e9 <= t <= hi * 1e9)
        server = {
            "pid": watcher.pid,
            "pids": [watcher.pid, *watcher.others],
            # Each process's share of the CPU over the window (to see that all carried load).
            "cpu_percent_by_pid": {
                str(pid): round(100 * seconds / wall, 1) if wall else None
                for pid, seconds in watcher.cpu_by_pid_between(lo, hi).items()
            },
            "rss_start_mib": round(samples[0].rss_kib / 1024, 1),
            "rss_peak_mib": round(max(s.rss_kib for s in samples) / 1024, 1),
            "rss_end_mib": round(samples[-1].rss_kib / 1024, 1),
            "vm_hwm_mib": round(samples[-1].hwm_kib / 1024, 1),
            "cpu_percent": round(100 * cpu / wall, 1) if cpu is not None and wall else None,
            "cpu_ms_per_message": (
                round(1000 * cpu / delivered_in_cpu_window, 2)
                if cpu is not None and delivered_in_cpu_window
                else None
            ),
        }
        # Whatever else ran on the machine meanwhile (other jobs skew every figure above).
        machine = watcher.machine_between(load_start, load_end)
        server_all = watcher.cpu_between(load_start, load_end)
        span = watcher.wall_between(load_start, load_end)
        services = watcher.services_between(load_start, load_end) or 0.0
        if machine is not None and server_all is not None and span:
            server["services_cpu_percent"] = round(100 * max(0.0, services) / span, 1)
            server["others_cpu_percent"] = round(
                100 * max(0.0, machine - server_all - client_cpu - services) / span, 1
            )

    def rounded(value: float | None) -> float | None:
        return round(value, 1) if value is not None else None

    return {
        "label": args.label,
        "conversations": args.conversations,
        "officers": officers,
        "rate_per_conversation": args.rate,
        "duration_s": args.duration,
        "offered_msgs_per_s": round(args.conversations * args.rate, 1),
        "ports": list(getattr(args, "ports", ())),
        "sockets_by_port": {str(port): n for port, n in sorted(observed.sockets_by_port.items())},
        "cross_process_claims": observed.cross_process_claims,
        "started": observed.conversations_started,
        "claimed": observed.conversations_claimed,
        "unclaimed": observed.unclaimed,
        "sent": len(observed.sent),
        "acked": len(observed.acked),
        "delivered": len(observed.delivered),
        "delivered_msgs_per_s": round(in_window / window_s, 1),
        "steady_window_s": round(window_s, 1) if steady else None,
        "latency_ms": {
            "p50": rounded(percentile(steady_latency or all_latency, 50)),
            "p95": rounded(percentile(steady_latency or all_latency, 95)),
            "p99": rounded(percentile(steady_latency or all_latency, 99)),
            "max": rounded(max(all_latency, default=None)),
            "samples": len(steady_latency or all_latency),
            "all_p99": rounded(percentile(all_latency, 99)),
        },
        "ack_latency_ms": {
            "p50": rounded(percentile(observed.ack_latency_ms, 50)),
            "p99": rounded(percentile(observed.ack_latency_ms, 99)),
        },
        "replies": {
            "sent": len(observed.reply_sent),
            "acked": len(observed.reply_acked),
            "delivered": len(observed.reply_delivered),
            "lost": len(reply_lost),
            "duplicated": observed.reply_duplicated,
            "p50_ms": rounded(percentile(observed.reply_latency_ms, 50)),
            "p99_ms": rounded(percentile(observed.reply_latency_ms, 99)),
        },
        "lost": len(lost),
        "lost_examples": lost[:5],
        "unacked": len(unacked),
        "duplicated": observed.duplicated + observed.echo_duplicated + observed.reply_duplicated,
        "seq_gaps": observed.seq_gaps,
        "seq_backwards": observed.seq_backwards,
        "errors": dict(observed.errors),
        "busy": observed.busy,
        "refused": dict(observed.refused),
        "busy_given_up": observed.busy_given_up,
        "foreign_frames": observed.foreign_frames,
        "sockets_dropped": observed.sockets_dropped,
        "seconds_over_100ms": sum(1 for ms in seconds.values() if ms > 100),
        "worst_seconds": [{"second": s, "max_ms": round(ms, 1)} for s, ms in worst],
        "server": server,
        "client": {
            "cpu_percent": round(100 * client_cpu / max(1e-9, load_end - load_start), 1),
            "loop_lag_max_ms": round(lag.max_ms, 1),
            "loop_lag_over_20ms": lag.over_20ms,
        },
        "wall_s": round(load_end - load_start, 1),
        "load_average_at_start": load_average,
    }


def _conversation_of(client_id: str) -> str:
    return client_id.rsplit(".", 1)[0]


def _claimed_conversations(observed: Observed) -> set[str]:
    """Conversations (``run.index``) that got past the claim: they sent a live message."""
    return {_conversation_of(cid) for cid in observed.live}


def format_report(result: dict[str, Any]) -> str:
    latency = result["latency_ms"]
    server = result["server"]
    replies = result["replies"]
    lines = [
        f"== {result['label'] or 'load'}: {result['conversations']} conversations × "
        f"{result['rate_per_conversation']} msg/s for {result['duration_s']} s, "
        f"{result['officers']} officers",
        f"conversations started {result['started']}, claimed {result['claimed']}, "
        f"unclaimed {result['unclaimed']}",
        f"ports {result['ports']}: sockets {result['sockets_by_port']}, claims across "
        f"processes {result['cross_process_claims']}",
        f"messages sent {result['sent']}, acked {result['acked']}, delivered "
        f"{result['delivered']}; lost {result['lost']}, unacked {result['unacked']}, "
        f"duplicated {result['duplicated']}, seq gaps {result['seq_gaps']}, "
        f"seq backwards {result['seq_backwards']}",
        f"delivered {result['delivered_msgs_per_s']} msg/s (offered "
        f"{result['offered_msgs_per_s']}; steady window {result['steady_window_s']} s)",
        f"citizen→officer latency ms: p50 {latency['p50']}  p95 {latency['p95']}  "
        f"p99 {latency['p99']}  max {latency['max']}  (n={latency['samples']}); "
        f"seconds with max > 100 ms: {result['seconds_over_100ms']}",
        f"ack latency ms: p50 {result['ack_latency_ms']['p50']}  "
        f"p99 {result['ack_latency_ms']['p99']}",
    ]
    if replies["sent"]:
        lines.append(
            f"officer replies: sent {replies['sent']}, delivered {replies['delivered']}, "
            f"lost {replies['lost']}, dup {replies['duplicated']}; latency ms p50 "
            f"{replies['p50_ms']} p99 {replies['p99_ms']}"
        )
    if server:
        lines.append(
            f"server pid {server['pid']}: RSS {server['rss_start_mib']} → peak "
            f"{server['rss_peak_mib']} MiB (VmHWM {server['vm_hwm_mib']}); CPU "
            f"{server['cpu_percent']} % = {server['cpu_ms_per_message']} ms per delivered message"
        )
        if len(server.get("pids", [])) > 1:
            lines.append(f"CPU % by server process: {server['cpu_percent_by_pid']}")
        lines.append(
            f"PostgreSQL and Redis processes used {server.get('services_cpu_percent')} % of a "
            f"core, other processes {server.get('others_cpu_percent')} % (load average at "
            f"start {result['load_average_at_start']})"
        )
    client = result["client"]
    lines.append(
        f"client CPU {client['cpu_percent']} %, client loop lag max {client['loop_lag_max_ms']} ms"
        f" ({client['loop_lag_over_20ms']} stalls > 20 ms)"
    )
    if result["errors"]:
        lines.append(f"error frames: {result['errors']}")
    if result.get("busy"):
        lines.append(
            f"retry refusals {result['busy']} {result.get('refused', {})} (each resent with "
            "the same client_id; "
            f"given up {result['busy_given_up']})"
        )
    if result["foreign_frames"] or result["sockets_dropped"]:
        lines.append(
            f"foreign frames {result['foreign_frames']}, sockets dropped "
            f"{result['sockets_dropped']}"
        )
    lines.append(
        "worst seconds (max ms): "
        + ", ".join(f"{w['second']}s:{w['max_ms']}" for w in result["worst_seconds"])
    )
    return "\n".join(lines)


def markdown_row(result: dict[str, Any]) -> str:
    latency = result["latency_ms"]
    server = result["server"]
    return (
        f"| {result['label']} | {result['conversations']} | {result['delivered_msgs_per_s']} | "
        f"{latency['p50']} | {latency['p95']} | {latency['p99']} | {latency['max']} | "
        f"{result['lost']} | {result['duplicated']} | {server.get('rss_peak_mib', '–')} | "
        f"{server.get('cpu_percent', '–')} | {server.get('cpu_ms_per_message', '–')} | "
        f"{server.get('services_cpu_percent', '–')} | {server.get('others_cpu_percent', '–')} |"
    )


def unfilled_gaps(result: dict[str, Any]) -> int:
    """Message numbers a console skipped and never received later."""
    return max(0, result["seq_gaps"] - result["seq_backwards"])


def passed(result: dict[str, Any]) -> bool:
    """Nothing lost, doubled, unacknowledged or unclaimed, and every number arrived.

    On one process a conversation's frames leave in ``seq`` order, so any frame arriving
    after a later-numbered one fails the run. Over several processes (``ports``) each
    party's process publishes its own messages and they may cross; only a number that
    never arrives fails.
    """
    crossing = len(result.get("ports", [])) > 1
    return not (
        result["lost"]
        or result["unacked"]
        or result["duplicated"]
        or result["unclaimed"]
        or (not crossing and result["seq_backwards"])
        or (unfilled_gaps(result) if crossing else result["seq_gaps"])
        or result["replies"]["lost"]
        or result["started"] < result["conversations"]
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Poradnia message-path load generator (127.0.0.1 only)."
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--ports",
        default="",
        help="comma-separated ports of several server processes (instead of --port)",
    )
    parser.add_argument("--conversations", "-n", type=int, default=200)
    parser.add_argument("--rate", type=float, default=1.0, help="messages/s per conversation")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of talking")
    parser.add_argument(
        "--ramp", type=float, default=None, help="seconds to start them all (default n/10)"
    )
    parser.add_argument("--waiting-messages", type=int, default=1)
    parser.add_argument("--text-size", type=int, default=80)
    parser.add_argument("--reply-every", type=int, default=0, help="officer replies every k")
    parser.add_argument("--officers", type=int, default=0, help="0: enough for the load")
    parser.add_argument("--max-chats", type=int, default=50)
    parser.add_argument("--claim-timeout", type=float, default=60.0)
    parser.add_argument(
        "--drain", type=float, default=10.0, help="give up on stragglers after this long idle"
    )
    parser.add_argument("--login", choices=["http", "direct"], default="http")
    parser.add_argument(
        "--server-pid",
        type=int,
        action="append",
        default=[],
        help="the server's process id; once per process with --ports",
    )
    parser.add_argument("--label", default="")
    parser.add_argument("--json", type=Path, default=None, help="write the result here")
    parser.add_argument("--check", action="store_true", help="exit 1 on loss/duplicates")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        help="first wait up to this many seconds for the machine to be idle",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.conversations <= MAX_CONVERSATIONS:
        parser.error(f"--conversations must be 1..{MAX_CONVERSATIONS}")
    if not 0.01 <= args.rate <= 20:
        parser.error("--rate must be 0.01..20")
    if not 0 < args.duration <= MAX_DURATION:
        parser.error(f"--duration must be at most {MAX_DURATION:.0f} s")
    if args.claim_timeout > 300 or args.drain > 120:
        parser.error("--claim-timeout ≤ 300 and --drain ≤ 120")
    try:
        args.ports = tuple(int(p) for p in args.ports.split(",") if p.strip()) or (args.port,)
    except ValueError:
        parser.error("--ports must be comma-separated port numbers")
    if not 1 <= len(args.ports) <= MAX_PORTS or len(set(args.ports)) != len(args.ports):
        parser.error(f"--ports takes 1..{MAX_PORTS} different ports")
    args.server_pid = [pid for pid in args.server_pid if pid]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if args.wait_quiet:
        busy = wait_for_quiet(limit=args.wait_quiet)
        print(f"machine busy before the run: {busy:.2f} cores", file=sys.stderr)
    ramp = args.ramp if args.ramp is not None else max(2.0, args.conversations / 10)
    bound = 120 + ramp + args.claim_timeout + args.duration + 120 + 60
    try:
        result = asyncio.run(asyncio.wait_for(run_load(args), bound))
    except LoginFailed as error:
        print(
            f"{error}. Does /console/login/ work on this server (with DJANGO_DEBUG=0 run "
            "collectstatic first)? --login direct skips the HTTP login.",
            file=sys.stderr,
        )
        return 2
    print(format_report(result))
    print(markdown_row(result))
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2))
    if args.check and not passed(result):
        print("CHECK FAILED: lost, duplicated, out-of-order or unclaimed messages", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    raise SystemExit(main())
