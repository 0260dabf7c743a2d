"""Time of ``triage.engine.assess`` per call over the evaluation sets (average and p99).

Run from the repository root:  .venv/bin/python bench/triage_speed.py [--rounds N]

Three figures: loading the data files (once per process), "cold" calls (the per-word caches
emptied before every call: the worst case, a message of words never seen before) and "warm"
calls (repeated texts, caches filled, as for a conversation re-triaged on each new message).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poradnia.settings")

import django  # noqa: E402

django.setup()  # reasons are worded through Django's translations

from triage import engine, language  # noqa: E402
from triage.normalize import fold  # noqa: E402

SETS = [
    ROOT / "tests/triage" / name
    for name in ("eval_set.jsonl", "holdout_set.jsonl", "fresh_set.jsonl")
]


def rows() -> list[dict[str, Any]]:
    found = []
    for path in SETS:
        with path.open(encoding="utf-8") as handle:
            found.extend(json.loads(line) for line in handle if line.strip())
    return found


def call(row: dict[str, Any]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call (CPU time ignores waiting for a busy core)."""
    texts = row.get("texts") or [row["text"]]
    started, started_cpu = time.perf_counter(), time.thread_time()
    engine.assess(
        texts=texts, browser_language=row.get("browser_language") or "", prechat=row.get("prechat")
    )
    return time.perf_counter() - started, time.thread_time() - started_cpu


def empty_word_caches() -> None:
    language._word_ngram_score.cache_clear()
    engine.matcher()._token_ids.cache_clear()  # type: ignore[attr-defined]
    fold.cache_clear()


def summary(name: str, timings: list[tuple[float, float]]) -> str:
    parts = []
    for label, seconds in (("wall", [t[0] for t in timings]), ("cpu", [t[1] for t in timings])):
        ordered = sorted(seconds)
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        parts.append(
            f"  {label}: average {1000 * statistics.fmean(seconds):.3f} ms, "
            f"p99 {1000 * p99:.3f} ms, max {1000 * ordered[-1]:.3f} ms"
        )
    return f"{name}, {len(timings)} calls\n" + "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    data = rows()
    started = time.perf_counter()
    engine.assess(texts=["warm-up"])  # loads profiles and data files, compiles the cues
    load = time.perf_counter() - started

    cold: list[tuple[float, float]] = []
    for row in data:
        empty_word_caches()
        cold.append(call(row))
    warm = [call(row) for _ in range(rounds) for row in data]
    sizes = [sum(len(text) for text in (row.get("texts") or [row["text"]])) for row in data]

    print(f"{len(data)} conversations, {statistics.fmean(sizes):.0f} characters on average")
    print(f"load average: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    print(f"loading data files and profiles: {1000 * load:.0f} ms (once per process)")
    print(summary("cold (word caches emptied before each call)", cold))
    print(summary(f"warm ({rounds} rounds)", warm))


if __name__ == "__main__":
    main()
