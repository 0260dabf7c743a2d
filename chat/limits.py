"""Abuse limits per client address, counted in Django's cache (``docs/security.md``).

The address is the socket's peer (the ASGI scope's ``client``), or the address the reverse
proxy appended to ``X-Forwarded-For`` when ``BEHIND_TLS_PROXY`` is set. It is never stored:
counters are keyed by an HMAC of it whose salt (derived from ``SECRET_KEY``) changes every
UTC day, and nothing here is written next to a conversation. With ``REDIS_URL`` the cache
is Redis, so the limits hold across server processes; otherwise they are per process.

- open citizen sockets per address: ``LIMIT_OPEN_SOCKETS`` (20);
- conversation starts per address: ``LIMIT_STARTS`` (5) per ``LIMIT_STARTS_WINDOW_SECONDS``
  (600), then ``rate_limited``.

The frame rate of one socket (:data:`CITIZEN_FRAME_RATE`, :data:`OFFICER_FRAME_RATE`) is kept
by the consumer itself (``chat.consumers.base``); the pages hand the same numbers to the
browser, which paces its frames under them (``common/pacer.js``).

The functions here are blocking (a cache round trip); consumers call them through
:func:`run`, off the database thread.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

T = TypeVar("T")


@dataclass(frozen=True)
class FrameRate:
    """A token bucket: ``burst`` frames at once, ``per_second`` on average."""

    per_second: float
    burst: float

    def as_config(self) -> dict[str, float]:
        """The numbers as a page's configuration hands them to ``common/pacer.js``."""
        return asdict(self)


CITIZEN_FRAME_RATE = FrameRate(per_second=10.0, burst=30.0)
# Officer consoles carry many conversations on one socket.
OFFICER_FRAME_RATE = FrameRate(per_second=100.0, burst=200.0)
# An open-socket count outlives a crashed process by at most this long.
SOCKET_COUNT_TTL = 3600


async def run(function: Callable[..., T], /, **kwargs: Any) -> T:
    """Run a limit check in a worker thread (never the database thread).

    The check runs in the worker thread's own context, not a copy of the caller's:
    Django keeps its cache clients per context (``asgiref.local.Local``), and through
    ``sync_to_async`` each socket's task would get, and keep for as long as the socket is
    open, a cache client with a Redis connection pool of its own (about 10 KiB per waiting
    citizen). This way each worker thread has one.
    """
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(function, **kwargs))


def client_address(scope: dict[str, Any]) -> str:
    """The client's address: the peer, or behind our TLS proxy the address it forwarded."""
    if settings.BEHIND_TLS_PROXY:
        for name, value in scope.get("headers", []):
            if name.lower() == b"x-forwarded-for":
                # The proxy appends the peer it saw: the last entry is the one we trust.
                forwarded = value.decode("latin-1").split(",")[-1].strip()
                if forwarded:
                    return forwarded
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def address_key(address: str) -> str:
    """The address as the counters know it: an HMAC with a salt that changes every day."""
    day = timezone.now().date().isoformat()
    digest = salted_hmac(f"poradnia.limits.{day}", address, algorithm="sha256").hexdigest()
    return f"limits:{settings.LIMITS_NAMESPACE}:{digest[:32]}"


def _incr(key: str, ttl: int) -> int:
    cache.add(key, 0, timeout=ttl)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=ttl)
        return 1


def socket_open(*, key: str) -> bool:
    """Count one more open socket of ``key``; False (and not counted) over the limit."""
    count_key = f"{key}:sockets"
    if _incr(count_key, SOCKET_COUNT_TTL) > settings.LIMIT_OPEN_SOCKETS:
        socket_closed(key=key)
        return False
    cache.touch(count_key, SOCKET_COUNT_TTL)
    return True


def socket_closed(*, key: str) -> None:
    with suppress(ValueError):  # the count expired meanwhile
        cache.decr(f"{key}:sockets")


def start_allowed(*, key: str) -> bool:
    """Count a conversation start of ``key``; False once the window's starts are used up."""
    window = settings.LIMIT_STARTS_WINDOW_SECONDS
    slot = int(time.time() // window)
    return _incr(f"{key}:starts:{slot}", window) <= settings.LIMIT_STARTS
