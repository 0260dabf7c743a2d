"""Markdown table of load results: ``python -m bench.load_table result1.json result2.json ...``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.load import markdown_row

HEADER = (
    "| run | conversations | delivered msg/s | p50 ms | p95 ms | p99 ms | max ms | lost | "
    "duplicated | peak RSS MiB | server CPU % | server CPU ms/msg | PostgreSQL+Redis CPU % | "
    "other processes' CPU % |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def main(paths: list[str]) -> int:
    print(HEADER)
    for path in paths:
        print(markdown_row(json.loads(Path(path).read_text())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
