"""Starting a throw-away server for a load run: a private database, migrations, one Daphne.

Used by the smoke test in ``tests/bench/`` and handy by hand::

    .venv/bin/python -m bench.load_server --port 8765 --sqlite /tmp/bench.sqlite3

prints the Daphne PID and serves until interrupted. The server always listens on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The websocket limits production serves with (the Dockerfile's CMD, the Makefile's
# DAPHNE_LIMITS): the connect timeout decides how long a handshake may wait in a surge.
PRODUCTION_LIMITS = [
    "--websocket-max-message-size",
    "65536",
    "--websocket-max-frame-size",
    "65536",
    "--websocket_connect_timeout",
    "10",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def service_up(port: int) -> bool:
    """Whether something accepts TCP connections on 127.0.0.1:``port``."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def migrate(env: dict[str, str], cwd: Path = ROOT) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=cwd,
        env=env,
        check=True,
        timeout=300,
    )


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start(
    env: dict[str, str],
    port: int,
    *,
    cwd: Path = ROOT,
    log: Path | None = None,
    gc_out: Path | None = None,
    freeze_after: float | None = None,
    wait: float = 30.0,
    daphne_args: list[str] | None = None,
    serve_options: list[str] | None = None,
) -> Server:
    """Start Daphne on 127.0.0.1:``port`` and return once it accepts connections.

    ``serve_options`` go to ``poradnia.serve`` before the application (``PRODUCTION_LIMITS``).
    """
    # Every simulated citizen connects from the one loopback address: the per-address abuse
    # limits (docs/security.md) would refuse all but the first few.
    env = {"LIMIT_OPEN_SOCKETS": "1000000", "LIMIT_STARTS": "1000000", **env}
    # Poradnia as production serves it (``poradnia.serve``: loads triage and the article
    # index before it listens); another application (the bare chat) on plain Daphne.
    server_module = "daphne" if daphne_args is not None else "poradnia.serve"
    if daphne_args is None:
        daphne_args = [
            *("-b", "127.0.0.1", "-p", str(port)),
            *(serve_options or []),
            "poradnia.asgi:application",
        ]
    if gc_out is not None:
        command = [sys.executable, "-m", "bench.load_probe", "--out", str(gc_out)]
        if freeze_after is not None:
            command += ["--freeze-after", str(freeze_after)]
        command += ["--", *daphne_args]
    else:
        command = [sys.executable, "-m", server_module, *daphne_args]
    output = log.open("wb") if log is not None else subprocess.DEVNULL
    # The load clients send this origin; allow it whether the server is embedded or not.
    env = {"WEBSOCKET_ALLOWED_ORIGINS": f"http://127.0.0.1:{port}", **env}
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=output)
    server = Server(process=process, port=port)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited with {process.returncode}")
        if service_up(port):
            return server
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"daphne did not listen on port {port} within {wait} s")


def start_bare(env: dict[str, str], port: int, *, log: Path | None = None) -> Server:
    """The bare room chat (``bench.bare_chat``) on plain Daphne at 127.0.0.1:``port``."""
    daphne_args = ["-b", "127.0.0.1", "-p", str(port), "bench.bare_chat:application"]
    return start(env, port, log=log, daphne_args=daphne_args)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--sqlite", type=Path, default=None, help="SQLite file (else env)")
    parser.add_argument("--gc-out", type=Path, default=None, help="time GC pauses into this")
    parser.add_argument("--freeze-after", type=float, default=None)
    parser.add_argument("--no-migrate", action="store_true")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.sqlite is not None:
        env["SQLITE_PATH"] = str(args.sqlite)
    if not args.no_migrate:
        migrate(env, Path.cwd())
    server = start(
        env, args.port, cwd=Path.cwd(), gc_out=args.gc_out, freeze_after=args.freeze_after
    )
    print(server.pid, flush=True)
    try:
        server.process.wait()
    except KeyboardInterrupt:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
