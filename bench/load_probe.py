"""Daphne with a garbage-collection probe: how long each collection stops the server.

Run instead of the ``daphne`` script, with the same arguments after ``--``::

    .venv/bin/python -m bench.load_probe --out /tmp/gc.json [--freeze-after 5] -- \
        -b 127.0.0.1 -p 8765 poradnia.asgi:application

Every collection is timed through ``gc.callbacks``; the counts, total and longest pause per
generation and every pause over 10 ms are written to ``--out`` every two seconds and at exit.
``--freeze-after S`` calls ``gc.freeze()`` S seconds after start-up (an experiment: it moves
every object alive then out of the collector's reach, so later full collections walk only
what the load creates).
"""

from __future__ import annotations

import argparse
import atexit
import gc
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

SLOW_MS = 10.0


class GcProbe:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.started: float | None = None
        self.stats: dict[int, dict[str, float]] = {
            g: {"count": 0, "total_ms": 0.0, "max_ms": 0.0} for g in range(3)
        }
        self.slow: list[dict[str, Any]] = []
        self.frozen: int | None = None
        self.tracked: int | None = None
        self.t0 = time.monotonic()

    def callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
            return
        if self.started is None:
            return
        ms = (time.perf_counter() - self.started) * 1000
        self.started = None
        generation = int(info.get("generation", 0))
        entry = self.stats[generation]
        entry["count"] += 1
        entry["total_ms"] += ms
        entry["max_ms"] = max(entry["max_ms"], ms)
        if ms >= SLOW_MS and len(self.slow) < 1000:
            self.slow.append(
                {
                    "at_s": round(time.monotonic() - self.t0, 2),
                    "generation": generation,
                    "ms": round(ms, 1),
                    "collected": info.get("collected"),
                }
            )

    def freeze(self) -> None:
        gc.collect()
        gc.freeze()
        self.frozen = gc.get_freeze_count()

    def dump(self) -> None:
        data = {
            "generations": {str(g): v for g, v in self.stats.items()},
            "slow_pauses": self.slow,
            "frozen_objects": self.frozen,
            "tracked_objects": self.tracked,
            "thresholds": gc.get_threshold(),
        }
        self.out.write_text(json.dumps(data, indent=1))

    def dump_every(self, seconds: float, *, count_every: int = 0) -> None:
        """Write the figures every ``seconds``; every ``count_every``-th time also count the
        objects the collector tracks (that walk holds the GIL for milliseconds, so only on
        request)."""

        def loop() -> None:
            rounds = 0
            while True:
                time.sleep(seconds)
                rounds += 1
                if count_every and rounds % count_every == 0:
                    self.tracked = len(gc.get_objects())
                self.dump()

        threading.Thread(target=loop, daemon=True).start()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--freeze-after", type=float, default=None)
    parser.add_argument(
        "--count-objects", action="store_true", help="count tracked objects every 30 s"
    )
    parser.add_argument("daphne_args", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    daphne_args = args.daphne_args[1:] if args.daphne_args[:1] == ["--"] else args.daphne_args
    probe = GcProbe(args.out)
    gc.callbacks.append(probe.callback)
    atexit.register(probe.dump)
    probe.dump_every(2.0, count_every=15 if args.count_objects else 0)
    if args.freeze_after is not None:
        threading.Timer(args.freeze_after, probe.freeze).start()

    from daphne.cli import CommandLineInterface

    sys.argv = ["daphne", *daphne_args]
    CommandLineInterface.entrypoint()


if __name__ == "__main__":
    main()
