"""Where a server process's memory goes: ``poradnia.serve`` under ``tracemalloc``.

Runs the production server (same arguments as ``python -m poradnia.serve``) with
``tracemalloc`` tracing ``--frames`` frames per allocation. Each ``SIGUSR1`` writes, under
``--out``, a snapshot (``snap-<k>.tracemalloc``) and the garbage collector's objects counted
by type (``types-<k>.json``; objects frozen at start-up by ``gc.freeze()`` are not counted).
Compare two of them, taken with different numbers of open sockets, with ``--diff``::

    .venv/bin/python -m bench.memprofile --out /tmp/mem -- -b 127.0.0.1 -p 8816 \\
        poradnia.asgi:application &
    # open N sockets (bench.idle), kill -USR1 <pid>; open more, kill -USR1 <pid>
    .venv/bin/python -m bench.memprofile --diff /tmp/mem/snap-1.tracemalloc \\
        /tmp/mem/snap-2.tracemalloc --sockets 2000

Tracing slows the process several times over and adds its own memory: use it to find the
owners of memory, and ``bench.idle`` on an untraced server for the figures.
"""

from __future__ import annotations

import argparse
import collections
import gc
import json
import signal
import sys
import tracemalloc
from pathlib import Path
from types import FrameType


def _types() -> dict[str, int]:
    counts: collections.Counter[str] = collections.Counter()
    for obj in gc.get_objects():
        kind = type(obj)
        counts[f"{kind.__module__}.{kind.__qualname__}"] += 1
    return dict(counts.most_common())


def _serve(out: Path, frames: int, server_args: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    tracemalloc.start(frames)
    taken = 0

    def dump(_signum: int, _frame: FrameType | None) -> None:
        nonlocal taken
        taken += 1
        gc.collect()
        tracemalloc.take_snapshot().dump(str(out / f"snap-{taken}.tracemalloc"))
        (out / f"types-{taken}.json").write_text(json.dumps(_types(), indent=0))
        print(f"memprofile: snapshot {taken} written", file=sys.stderr, flush=True)

    signal.signal(signal.SIGUSR1, dump)
    from poradnia.serve import ServeCommand

    sys.argv = ["poradnia.serve", *server_args]
    ServeCommand.entrypoint()


def _owner(filename: str) -> str:
    """The package a file belongs to: ``site-packages/<pkg>`` or the project's top folder."""
    parts = Path(filename).parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1]
    if any(part.startswith("python3") for part in parts):
        return "stdlib:" + parts[-1]
    return "/".join(parts[-2:])


def _diff(first: Path, second: Path, sockets: int, top: int) -> None:
    old = tracemalloc.Snapshot.load(str(first))
    new = tracemalloc.Snapshot.load(str(second))
    total = sum(s.size_diff for s in new.compare_to(old, "filename"))
    print(f"traced growth: {total / 1024:.0f} KiB, {total / sockets:.0f} B per socket")
    print("\nby file (B per socket, allocations per socket):")
    for stat in new.compare_to(old, "filename")[:top]:
        print(
            f"{stat.size_diff / sockets:8.0f} {stat.count_diff / sockets:6.1f}  "
            f"{stat.traceback[0].filename}"
        )
    print("\nby package of the allocating line:")
    owners: collections.Counter[str] = collections.Counter()
    for stat in new.compare_to(old, "filename"):
        owners[_owner(stat.traceback[0].filename)] += stat.size_diff
    for owner, size in owners.most_common(top):
        print(f"{size / sockets:8.0f}  {owner}")
    print("\nby traceback:")
    for stat in new.compare_to(old, "traceback")[:top]:
        print(f"{stat.size_diff / sockets:8.0f} B {stat.count_diff / sockets:6.1f}")
        for line in stat.traceback.format(limit=8, most_recent_first=True):
            print("      " + line)
    types = [
        p.with_name(p.name.replace("snap-", "types-").replace(".tracemalloc", ".json"))
        for p in (first, second)
    ]
    if all(t.exists() for t in types):
        before, after = (json.loads(t.read_text()) for t in types)
        grown = {k: after.get(k, 0) - before.get(k, 0) for k in after}
        print("\nGC-tracked objects per socket by type:")
        for kind, count in sorted(grown.items(), key=lambda kv: -kv[1])[:top]:
            print(f"{count / sockets:8.2f}  {kind}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the snapshots (server mode)")
    parser.add_argument("--frames", type=int, default=12)
    parser.add_argument("--diff", nargs=2, type=Path, metavar=("FIRST", "SECOND"))
    parser.add_argument("--sockets", type=int, default=1, help="sockets opened between the two")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("server_args", nargs="*")
    args = parser.parse_args()
    if args.diff:
        _diff(args.diff[0], args.diff[1], max(1, args.sockets), args.top)
        return 0
    if args.out is None:
        parser.error("--out is required to run the server")
    _serve(args.out, args.frames, args.server_args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
