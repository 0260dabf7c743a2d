"""One watch per server process over every open staff socket's login.

Every ``STAFF_SESSION_CHECK_SECONDS`` one batch read (``advice.staff_sessions``) checks all
staff sockets of the event loop; a socket whose login no longer holds is told why and
closed with 4401. Sockets are registered on connect and removed on disconnect; the loop's
task runs only while some socket is registered.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable
from contextlib import suppress

from channels.db import database_sync_to_async
from django.conf import settings

from advice.staff_sessions import SessionBinding, revoked_sessions
from core.vocabulary import SessionEndReason

logger = logging.getLogger(__name__)

OnRevoked = Callable[[SessionEndReason], Awaitable[None]]


class SessionWatch:
    def __init__(self) -> None:
        self.sockets: dict[str, tuple[SessionBinding, OnRevoked]] = {}
        self.task: asyncio.Task[None] | None = None

    def add(self, channel_name: str, binding: SessionBinding, on_revoked: OnRevoked) -> None:
        self.sockets[channel_name] = (binding, on_revoked)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run())

    def discard(self, channel_name: str) -> None:
        self.sockets.pop(channel_name, None)

    async def _run(self) -> None:
        while self.sockets:
            await asyncio.sleep(settings.STAFF_SESSION_CHECK_SECONDS)
            try:
                await self.check()
            except Exception:  # a failed read (database away) retries on the next tick
                logger.exception("Checking staff sessions failed")

    async def check(self) -> None:
        watched = dict(self.sockets)
        bindings = list({binding for binding, _ in watched.values()})
        revoked = await database_sync_to_async(revoked_sessions)(bindings)
        for channel_name, (binding, on_revoked) in watched.items():
            reason = revoked.get(binding)
            if reason is not None and self.sockets.pop(channel_name, None) is not None:
                with suppress(Exception):  # the socket may be closing already
                    await on_revoked(reason)


_watches: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, SessionWatch] = (
    weakref.WeakKeyDictionary()
)


def session_watch() -> SessionWatch:
    """The watch of the running event loop (one per server process)."""
    loop = asyncio.get_running_loop()
    found = _watches.get(loop)
    if found is None:
        found = _watches[loop] = SessionWatch()
    return found
