"""This server process's heartbeat and due-time sweeper, and the sockets it holds leases for.

One asyncio task per event loop, started by the first socket that needs a lease (Daphne's
Channels router has no lifespan hook). Every ``PRESENCE_HEARTBEAT_SECONDS`` it renews the
process's heartbeat; every ``PRESENCE_SWEEP_SECONDS`` it runs ``sweep_due``. If a renewal
finds the heartbeat gone — the process stalled past ``PRESENCE_TTL_SECONDS`` and another
process swept its leases — the process takes a new id and closes the sockets leased under
the old one (close code 1012, "service restart"); their clients reconnect and lease again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from typing import Any, Protocol

from django.conf import settings
from django.utils import timezone

from advice.services import leases, sweeper
from chat import bridge
from poradnia.process import process_id, renew

log = logging.getLogger(__name__)
RESTART_CLOSE_CODE = 1012


class LeasedSocket(Protocol):
    channel_name: str
    lease: leases.SocketRef | None

    async def close(self, code: int | None = None, reason: str | None = None) -> None: ...


class _LoopState:
    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.registered = False
        self.task: asyncio.Task[None] | None = None
        self.sockets: weakref.WeakSet[Any] = weakref.WeakSet()


_loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopState] = (
    weakref.WeakKeyDictionary()
)


def _state() -> _LoopState:
    loop = asyncio.get_running_loop()
    if loop not in _loops:
        _loops[loop] = _LoopState()
    return _loops[loop]


async def socket_lease(consumer: LeasedSocket) -> leases.SocketRef:
    """The lease key of ``consumer``'s socket, with this process's heartbeat in place.

    Starts the heartbeat and sweeper on the first call in this event loop.
    """
    state = _state()
    if not state.registered:
        async with state.lock:
            if not state.registered:
                # The heartbeat row exists before the first lease, so no lease is an orphan.
                await bridge.call(leases.process_beat, process_id=process_id())
                state.registered = True
                if settings.PRESENCE_BACKGROUND:
                    state.task = asyncio.get_running_loop().create_task(_run(state))
    consumer.lease = leases.SocketRef(process_id=process_id(), channel_name=consumer.channel_name)
    state.sockets.add(consumer)
    return consumer.lease


async def _run(state: _LoopState) -> None:
    tick = min(settings.PRESENCE_SWEEP_SECONDS, settings.PRESENCE_HEARTBEAT_SECONDS)
    next_beat = time.monotonic() + settings.PRESENCE_HEARTBEAT_SECONDS
    next_sweep = time.monotonic()
    while True:
        await asyncio.sleep(tick)
        try:
            if time.monotonic() >= next_beat:
                next_beat = time.monotonic() + settings.PRESENCE_HEARTBEAT_SECONDS
                if not await bridge.call(leases.process_beat, process_id=process_id()):
                    await _declared_dead(state)
            if time.monotonic() >= next_sweep:
                next_sweep = time.monotonic() + settings.PRESENCE_SWEEP_SECONDS
                await bridge.call(sweeper.sweep_due, now=timezone.now())
        except asyncio.CancelledError:
            raise
        except Exception:
            # A database or channel-layer outage must not end presence for good: try again.
            log.exception("presence heartbeat or sweep failed")


async def _declared_dead(state: _LoopState) -> None:
    """Our heartbeat was swept: take a new id and close the sockets of the old one."""
    old = process_id()
    new = renew()
    log.warning("process %s was declared dead; now %s, closing its sockets", old, new)
    await bridge.call(leases.process_beat, process_id=new)
    for consumer in list(state.sockets):
        if consumer.lease is not None and consumer.lease.process_id != new:
            with contextlib.suppress(Exception):
                await consumer.close(code=RESTART_CLOSE_CODE)
