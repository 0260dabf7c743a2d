"""Calling services from async code: one database thread hop, then the committed events."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Hashable
from typing import Any, TypeVar

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from redis.exceptions import RedisError

from advice.events import outbox
from chat import dbpool
from chat.admission import gate, queue_for
from chat.layers import group_send_all
from core import metrics

T = TypeVar("T")
_background: set[asyncio.Task[Any]] = set()
_lanes = dbpool.Lanes()
log = logging.getLogger(__name__)

# What a channel layer (or the Redis cache) raises while Redis is unreachable: redis-py's
# own errors, and the socket errors (``ConnectionError``, ``TimeoutError``) underneath them.
LAYER_ERRORS: tuple[type[BaseException], ...] = (OSError, RedisError)


class LayerFailures:
    """How many channel-layer operations of this process failed (Redis unreachable)."""

    count = 0

    @classmethod
    def record(cls, what: str, error: BaseException) -> None:
        cls.count += 1
        log.warning("channel layer unavailable (%s): %r", what, error)


class LayerWatch:
    """Whether a channel-layer operation of this process failed since this was made: a
    message whose events may not have gone out is acknowledged to its sender directly."""

    __slots__ = ("before",)

    def __init__(self) -> None:
        self.before = LayerFailures.count

    @property
    def failed(self) -> bool:
        return LayerFailures.count != self.before


async def call(
    service: Callable[..., T],
    /,
    *,
    before_events: Callable[[T], Awaitable[None]] | None = None,
    lane: Hashable | None = None,
    refusable: bool = False,
    first: Callable[[], Awaitable[T | None]] | None = None,
    **kwargs: Any,
) -> T:
    """Run ``service(**kwargs)`` in the database thread; send its committed events here.

    Events are sent on the event loop after the service returns (so after its commit),
    saving the thread round trip that sending from inside the service would cost.
    ``before_events`` runs first with the result: a socket that must receive events about
    an object the service just created joins that object's group there.
    With a ``lane`` (e.g. a conversation id) the call runs on the database pool
    (``chat.dbpool``), one call per lane at a time, events included. ``refusable`` calls
    raise ``busy`` while their queue (message writes, or the shared database thread) is at
    the process's bound of calls in flight (``chat.admission``). ``first``, when given, runs
    before the service within the same bound and lane; when it returns a result (having
    done the work and sent its events itself, e.g. ``chat.message_writes``) the service
    does not run.

    The database is the store: an event that cannot be sent (Redis unreachable) is logged,
    counted in :class:`LayerFailures` and dropped, and the result is still returned, so the
    sender gets its acknowledgement; recipients catch up by sequence when they resume.
    """

    def run() -> tuple[T, list[outbox.Event]]:
        with outbox.collecting() as box, metrics.database_time(service):
            result = service(**kwargs)
        return result, list(box)

    async def run_and_send() -> T:
        if lane is None:
            result, events = await database_sync_to_async(run)()
        else:
            result, events = await dbpool.run(run)
        if before_events is not None:
            await before_events(result)
        await send_events(events)
        return result

    async def attempt() -> T:
        if first is not None:
            done = await first()
            if done is not None:
                return done
        return await run_and_send()

    with gate.held(refusable=refusable, queue=queue_for(laned=lane is not None)):
        if lane is None:
            return await attempt()
        return await _lanes(lane, attempt)


async def send_events(events: list[outbox.Event]) -> None:
    """Send committed events to their groups in one round trip (see :func:`call`)."""
    if not events:
        return
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        await group_send_all(layer, events)
    except LAYER_ERRORS as error:
        # Redis is unreachable: every event of the call is lost (the pipeline fails as a
        # whole; one by one the next would wait for the same outage).
        metrics.LAYER_SEND_ERRORS.inc(len(events))
        for group, _event in events:
            LayerFailures.record(f"group_send {group}", error)
    except Exception:
        metrics.LAYER_SEND_ERRORS.inc()
        raise


def later(delay: float, coroutine_factory: Callable[[], Coroutine[Any, Any, Any]]) -> None:
    """Run a coroutine after ``delay`` seconds, independently of the consumer that asked."""

    async def run() -> None:
        await asyncio.sleep(delay)
        await coroutine_factory()

    task = asyncio.get_running_loop().create_task(run())
    _background.add(task)
    task.add_done_callback(_background.discard)
