"""The identity of this server process in the cluster (``host:pid:random``).

Socket leases are keyed by it (``advice.models.SocketLease``). A process that learns it has
been declared dead (its heartbeat was swept) takes a new identity with :func:`renew`, so
leases of its old one can never be mistaken for fresh ones.
"""

from __future__ import annotations

import os
import secrets
import socket

_current: tuple[int, str] | None = None


def _new() -> str:
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(4)}"


def process_id() -> str:
    """This process's id; a forked child gets its own."""
    global _current  # one identity per process, by design
    pid = os.getpid()
    if _current is None or _current[0] != pid:
        _current = (pid, _new())
    return _current[1]


def renew() -> str:
    """Take a new identity (after this process was declared dead) and return it."""
    global _current  # one identity per process, by design
    _current = (os.getpid(), _new())
    return _current[1]
