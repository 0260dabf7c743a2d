"""The real server for end-to-end tests: ``python -m poradnia.serve`` with the production
websocket limits, on an embedded database of its own, in a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "e2e-demo-password"
# The websocket limits production runs with (Dockerfile CMD, Makefile run target).
MAX_MESSAGE_BYTES = 65536
DAPHNE_LIMITS = [
    "--websocket-max-message-size",
    str(MAX_MESSAGE_BYTES),
    "--websocket-max-frame-size",
    str(MAX_MESSAGE_BYTES),
    "--websocket_connect_timeout",
    "10",
]
START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def embedded_server(
    tmp: Path, *, env: Mapping[str, str] | None = None, demo_data: bool = False
) -> Iterator[str]:
    """Migrate a fresh SQLite database under ``tmp`` (with the demo staff when asked), serve it
    on a free port and yield ``"127.0.0.1:<port>"``. ``env`` adds or overrides variables;
    the test run's own ``DATABASE_URL``, ``REDIS_URL`` and ``TEST_DB_SUFFIX`` are dropped
    unless ``env`` sets them. Plain HTTP with ``DJANGO_DEBUG=1``: with DEBUG off the CSRF
    cookie is Secure, and urllib (unlike a browser on 127.0.0.1) does not send it back."""
    full = dict(os.environ)
    for name in ("DATABASE_URL", "REDIS_URL", "TEST_DB_SUFFIX"):
        full.pop(name, None)
    full |= {
        "SQLITE_PATH": str(tmp / "e2e.sqlite3"),
        "PORADNIA_VAR_DIR": str(tmp),
        "DEMO_PASSWORD": PASSWORD,
        "DJANGO_DEBUG": "1",
        **(env or {}),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=full, check=True, cwd=ROOT)
    if demo_data:
        subprocess.run([*manage, "demo_data"], env=full, check=True, cwd=ROOT, capture_output=True)
    port = free_port()
    full["PORT"] = str(port)  # the embedded mode allows the origin it is served on
    log = (tmp / "daphne.log").open("wb")  # a file, not a pipe nobody drains while serving
    daphne = subprocess.Popen(
        [
            *(sys.executable, "-m", "poradnia.serve"),
            *("-b", "127.0.0.1", "-p", str(port)),
            *DAPHNE_LIMITS,
            "poradnia.asgi:application",
        ],
        env=full,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.1)
    else:
        daphne.kill()
        log.close()
        pytest.fail("Daphne did not start: " + (tmp / "daphne.log").read_text()[-2000:])
    try:
        yield f"127.0.0.1:{port}"
    finally:
        daphne.terminate()
        daphne.wait(timeout=10)
        log.close()
