"""Queue positions for waiting citizens: one reader per process, pushed only when they change.

Each server process has one ticker. It alone subscribes to the ``queue.changed`` events
(citizen sockets do not), so a queue change costs the process one delivery, whatever the
number of waiting citizens. While the queue keeps changing the ticker reads it at most once
per ``INTERVAL`` (``advice.selectors.queue_estimates``: a fixed number of queries) and sends
``queue.position`` only to the sockets whose position, estimate or officer count differs
from what they were last sent. Cost per interval with W citizens waiting on the process:
one read of the queue, W comparisons, and one frame per changed citizen.

A socket is watched from its ``conversation.start`` / ``conversation.resume`` until its
conversation leaves the queue (the first read begun after it was watched no longer lists it)
or it closes. The ticker runs while at least one socket is watched.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Mapping
from typing import Any, Protocol

from channels.layers import get_channel_layer

from advice import selectors
from advice.events import frames
from advice.events.groups import CITIZEN_QUEUE_GROUP
from chat import bridge

INTERVAL = 1.0
LANE = "queue-positions"  # reads run on the database pool (``chat.dbpool``)
log = logging.getLogger(__name__)
Value = tuple[int, int | None, int]


class Watcher(Protocol):
    conversation_id: int | None
    closed: bool

    async def send_frame(self, frame: Mapping[str, Any]) -> None: ...


class PositionTicker:
    def __init__(self, interval: float = INTERVAL) -> None:
        self.interval = interval
        # Socket → number of reads begun before it was watched.
        self.watchers: dict[Watcher, int] = {}
        self.sent: dict[Watcher, Value] = {}
        self.reads_begun = 0
        self.frames_sent = 0
        self.wake = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    def watch(self, socket: Watcher) -> None:
        """Send ``socket`` its position now-ish and whenever it changes."""
        self.watchers[socket] = self.reads_begun
        self.sent.pop(socket, None)
        self.wake.set()
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._run())

    def unwatch(self, socket: Watcher) -> None:
        self.watchers.pop(socket, None)
        self.sent.pop(socket, None)
        if not self.watchers:
            self.wake.set()

    async def tick(self) -> None:
        """One read of the queue; a frame to each watched socket whose values changed."""
        self.reads_begun += 1
        this_read = self.reads_begun
        estimates = await bridge.call(selectors.queue_estimates, lane=LANE)
        for socket, watched_before in list(self.watchers.items()):
            estimate = estimates.get(socket.conversation_id or 0)
            if estimate is None:
                if watched_before < this_read:  # not waiting any more (claimed, ended)
                    self.unwatch(socket)
                continue
            value = (
                estimate.position,
                estimate.estimated_wait_seconds,
                estimate.officers_on_duty,
            )
            if socket.closed or self.sent.get(socket) == value:
                continue
            self.sent[socket] = value
            self.frames_sent += 1
            await socket.send_frame(
                frames.queue_position(
                    position=value[0],
                    estimated_wait_seconds=value[1],
                    officers_on_duty=value[2],
                )
            )

    async def _run(self) -> None:
        layer = get_channel_layer()
        listener: asyncio.Task[None] | None = None
        channel = ""
        try:
            if layer is not None:
                channel = await layer.new_channel()
                await layer.group_add(CITIZEN_QUEUE_GROUP, channel)
                listener = asyncio.get_running_loop().create_task(self._listen(layer, channel))
            while self.watchers:
                await self.wake.wait()
                self.wake.clear()
                if not self.watchers:
                    break
                try:
                    await self.tick()
                except Exception:  # a failed read must not end positions for everyone
                    log.exception("reading queue positions failed")
                # Changes within the interval are answered by the next read.
                await asyncio.sleep(self.interval)
        finally:
            if listener is not None:
                listener.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await listener
            if layer is not None and channel:
                with contextlib.suppress(Exception):
                    await layer.group_discard(CITIZEN_QUEUE_GROUP, channel)
            self.task = None
            if self.watchers:
                self.task = asyncio.get_running_loop().create_task(self._run())

    async def _listen(self, layer: Any, channel: str) -> None:
        while True:
            await layer.receive(channel)
            self.wake.set()


_tickers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, PositionTicker] = (
    weakref.WeakKeyDictionary()
)


def ticker() -> PositionTicker:
    """This process's (this event loop's) ticker."""
    loop = asyncio.get_running_loop()
    if loop not in _tickers:
        _tickers[loop] = PositionTicker()
    return _tickers[loop]
