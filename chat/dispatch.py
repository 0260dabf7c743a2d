"""Channels' consumer loop (``AsyncConsumer.__call__`` and ``await_many_dispatch``), keeping
less for every waiting socket.

Channels' loop keeps the last message it dispatched (and the finished task holding it)
while it waits for the next one: an idle citizen socket held the last event its group
sent, often the largest of its conversation so far (kilobytes each). Here nothing of a
dispatched message outlives its dispatch, and the wait for the next message is one future
with a callback on each receiver instead of ``asyncio.wait``'s coroutines and sets.
Receivers that return futures (:class:`chat.layers.Mailbox`) need no task of their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Awaitable, Callable
from typing import Any

from channels.consumer import AsyncConsumer
from channels.exceptions import StopConsumer
from channels.layers import get_channel_layer

Receiver = Callable[[], Awaitable[Any]]


async def run_consumer(consumer: AsyncConsumer, scope: Any, receive: Any, send: Any) -> None:
    """What ``AsyncConsumer.__call__`` does: the socket's channel, then the dispatch loop."""
    consumer.scope = scope
    layer = get_channel_layer(consumer.channel_layer_alias)
    consumer.channel_layer = layer
    receivers: list[Receiver] = [receive]
    if layer is not None:
        consumer.channel_name = await layer.new_channel()
        consumer.channel_receive = functools.partial(layer.receive, consumer.channel_name)
        receivers.append(consumer.channel_receive)
    consumer.base_send = send
    with contextlib.suppress(StopConsumer):
        await dispatch_loop(receivers, consumer.dispatch)


async def dispatch_loop(
    receivers: list[Receiver], dispatch: Callable[[Any], Awaitable[None]]
) -> None:
    """Dispatch each receiver's messages, one at a time, until ``dispatch`` raises.

    A receiver is asked for its next message only after its last one was dispatched.
    """
    pending = [asyncio.ensure_future(receiver()) for receiver in receivers]
    waiter: asyncio.Future[None] | None = None

    def wake(_done: object) -> None:
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    try:
        while True:
            if not any(future.done() for future in pending):
                waiter = asyncio.get_running_loop().create_future()
                for future in pending:
                    future.add_done_callback(wake)
                try:
                    await waiter
                finally:
                    waiter = None
                    for future in pending:
                        future.remove_done_callback(wake)
            for index, receiver in enumerate(receivers):
                if pending[index].done():
                    message = pending[index].result()
                    await dispatch(message)
                    del message
                    pending[index] = asyncio.ensure_future(receiver())
    finally:
        for future in pending:
            future.cancel()
        for future in pending:
            with contextlib.suppress(asyncio.CancelledError):
                await future
