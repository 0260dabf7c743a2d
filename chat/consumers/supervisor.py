"""Supervisor websocket: live queue and staffing figures pushed to supervisors and admins,
and conversations watched read-only (``chat.consumers.watch``).

On connect the socket gets a ``supervisor.live`` snapshot. Every ``queue.changed`` event
published to the supervisors' group schedules a new snapshot, coalesced: changes that
arrive close together produce one frame, and a socket gets at most one frame per
``update_interval`` seconds. The figures are read through ``database_sync_to_async`` only,
and sockets of the same scope in one process share a computation.
"""

from __future__ import annotations

import asyncio
import math
import weakref
from typing import Any, ClassVar

from channels.db import database_sync_to_async

from advice.events import frames
from advice.events.groups import SUPERVISOR_GROUP
from advice.staff_sessions import SocketRole
from chat import inbound
from chat.consumers.base import FrameHandler, refuse_without_second_factor
from chat.consumers.watch import WatchingConsumer
from core.errors import ErrorCode
from stats.access import StatsScope, stats_scope_for
from stats.live import live_snapshot

Frame = dict[str, Any]


class _SharedSnapshots:
    """Per event loop: the newest snapshot of each scope and when its computation began.

    A snapshot whose computation began after a socket heard of its latest change already
    includes that change (events are published after commit), so the socket may reuse it.
    """

    def __init__(self) -> None:
        self.frames: dict[str, tuple[float, Frame]] = {}
        self.locks: dict[str, asyncio.Lock] = {}

    async def get(self, scope: StatsScope, *, not_before: float) -> Frame:
        key = scope.key()
        lock = self.locks.setdefault(key, asyncio.Lock())
        async with lock:
            cached = self.frames.get(key)
            if cached is not None and cached[0] >= not_before:
                return cached[1]
            began = asyncio.get_running_loop().time()
            frame = await database_sync_to_async(live_snapshot)(scope=scope)
            self.frames[key] = (began, frame)
            return frame


_shared: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _SharedSnapshots] = (
    weakref.WeakKeyDictionary()
)


def _snapshots() -> _SharedSnapshots:
    loop = asyncio.get_running_loop()
    found = _shared.get(loop)
    if found is None:
        found = _shared[loop] = _SharedSnapshots()
    return found


class SupervisorConsumer(WatchingConsumer):
    socket_role = SocketRole.SUPERVISOR
    # At most one live frame per this many seconds per socket.
    update_interval: ClassVar[float] = 1.0
    # Changes arriving within this window after the first one are merged into one frame.
    settle_delay: ClassVar[float] = 0.1

    stats_scope: StatsScope | None = None
    frame_table = inbound.SUPERVISOR_FRAMES

    def frame_handlers(self) -> dict[str, FrameHandler]:
        return {
            "conversation.open": self.on_watch_open,
            "whisper.send": self.on_whisper,
            "ping": self.on_ping,
        }

    async def connect(self) -> None:
        self._pending: asyncio.Task[None] | None = None
        self._last_sent = -math.inf
        self._changed_at = 0.0
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.send_error(ErrorCode.NOT_ALLOWED, "Log in as a supervisor first.")
            await self.close(code=4401)
            return
        if await refuse_without_second_factor(self):
            return
        stats_scope = await database_sync_to_async(stats_scope_for)(user)
        if stats_scope is None:
            await self.send_error(ErrorCode.NOT_ALLOWED, "Supervisors only.")
            await self.close(code=4403)
            return
        self.stats_scope = stats_scope
        await self.channel_layer.group_add(SUPERVISOR_GROUP, self.channel_name)
        self.groups.append(SUPERVISOR_GROUP)
        if not await self.bind_session():
            return
        self._changed_at = asyncio.get_running_loop().time()
        await self._send_live()

    async def disconnect(self, code: int) -> None:
        self.unbind_session()
        pending = getattr(self, "_pending", None)
        if pending is not None:
            pending.cancel()
            self._pending = None
        if self.stats_scope is not None:
            await self.watch_ended()

    async def on_ping(self, frame: inbound.Ping) -> None:
        await self.send_frame(frames.pong())

    async def chat_frame(self, event: dict[str, Any]) -> None:
        """Group events: ``queue.changed`` schedules an update; other frames pass through."""
        frame = event["frame"]
        if await self.session_frame(frame) or self.stats_scope is None:
            return
        kind = frame.get("type")
        if kind != "queue.changed" and self.watch_frame_is_new(frame):
            await self.send_frame(frame)
        if kind in ("queue.changed", "alert.p1"):
            self._schedule()

    def _schedule(self) -> None:
        loop = asyncio.get_running_loop()
        self._changed_at = loop.time()
        if self._pending is not None:
            return  # the update already planned will read the newest figures
        delay = max(self.settle_delay, self._last_sent + self.update_interval - loop.time())
        self._pending = loop.create_task(self._update_after(delay))

    async def _update_after(self, delay: float) -> None:
        await asyncio.sleep(delay)
        # Cleared before reading, so a change during the read plans one more update.
        self._pending = None
        await self._send_live()

    async def _send_live(self) -> None:
        assert self.stats_scope is not None  # noqa: S101 - only called once authorised
        self._last_sent = asyncio.get_running_loop().time()
        frame = await _snapshots().get(self.stats_scope, not_before=self._changed_at)
        await self.send_frame(frame)
