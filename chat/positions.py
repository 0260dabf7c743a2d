"""Queue positions for waiting citizens: one reader per process, pushed only when they change.

Each server process has one ticker. It alone subscribes to the ``queue.changed`` events
(citizen sockets do not), so a queue change costs the process one delivery, whatever the
number of waiting citizens. While the queue keeps changing the ticker reads it at most once
per ``INTERVAL`` (``advice.selectors.queue_estimates``: a fixed number of queries, on a
database thread of its own, ``chat.dbpool.run_aside``) and sends ``queue.position`` only to
the sockets whose place *as shown* changed (``advice.queue_shown``: exact near the head,
rounded behind it). Cost per interval with W citizens waiting on the process: one read of
the queue, W comparisons, and one frame per citizen whose shown place changed — after a
claim, the ``QUEUE_EXACT_POSITIONS`` citizens at the head and those whose rounded place
moved, not all W.

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
from advice.queue_shown import ShownPlace, shown_place
from chat import dbpool

INTERVAL = 0.3
log = logging.getLogger(__name__)


class Watcher(Protocol):
    conversation_id: int | None
    closed: bool

    async def send_frame(self, frame: Mapping[str, Any]) -> None: ...


class PositionTicker:
    def __init__(self, interval: float = INTERVAL) -> None:
        self.interval = interval
        # Socket → number of reads begun before it was watched.
        self.watchers: dict[Watcher, int] = {}
        self.sent: dict[Watcher, ShownPlace] = {}
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
        estimates = await dbpool.run_aside(selectors.queue_estimates)
        for socket, watched_before in list(self.watchers.items()):
            estimate = estimates.get(socket.conversation_id or 0)
            if estimate is None:
                if watched_before < this_read:  # not waiting any more (claimed, ended)
                    self.unwatch(socket)
                continue
            value = shown_place(
                position=estimate.position,
                estimated_wait_seconds=estimate.estimated_wait_seconds,
                officers_on_duty=estimate.officers_on_duty,
            )
            if socket.closed or self.sent.get(socket) == value:
                continue
            self.sent[socket] = value
            self.frames_sent += 1
            await socket.send_frame(
                frames.queue_position(
                    position=value.position,
                    estimated_wait_seconds=value.estimated_wait_seconds,
                    officers_on_duty=value.officers_on_duty,
                    approximate=value.approximate,
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
