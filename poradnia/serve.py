"""Daphne, as production runs it: ``python -m poradnia.serve`` takes Daphne's arguments.

The differences from the ``daphne`` command: a websocket that breaks the protocol is
closed with a close frame that says why (1009 message too big, 1007 invalid UTF-8, 1002
protocol error) instead of autobahn's default of dropping the TCP connection, so a client
can tell a refused message from a network failure; the application may close with the
registered codes 1001, 1008 (policy), 1011 and 1013 (try again later), which autobahn's
``sendClose`` refuses (it allows only 1000 and 3000–4999 from an application); and the
process loads triage and the article index before it listens (``poradnia.preload``).

And a deadline for the request head: a client must send the request line and every header of
a request — the websocket upgrade too — within ``HEADER_DEADLINE_SECONDS`` of its first byte
(or of connecting), else the connection is aborted. Twisted's own timeout is an *idle* one,
reset by every byte, so a client trickling one byte a second would hold a connection forever
(slowloris); Daphne's ``--websocket_connect_timeout`` only starts once the headers are in.
"""

from __future__ import annotations

import asyncio
import time
from functools import partial
from typing import Any

from daphne.cli import CommandLineInterface
from daphne.server import Server
from daphne.ws_protocol import WebSocketProtocol
from twisted.internet.protocol import connectionDone
from twisted.logger import Logger
from twisted.python.failure import Failure
from twisted.web.http import HTTPChannel

from chat.layers import Mailbox
from chat.receipt import RECEIVED_AT

# Registered close codes a server may send that autobahn keeps from applications.
SERVER_CLOSE_CODES = frozenset({1001, 1008, 1011, 1013})
# The request line and headers of a request must arrive within this many seconds.
HEADER_DEADLINE_SECONDS = 10.0

_log = Logger()


class ClosingProtocol(WebSocketProtocol):
    """Daphne's websocket protocol, letting the application close with ``SERVER_CLOSE_CODES``."""

    def serverClose(self, code: int | None = None) -> None:
        if code in SERVER_CLOSE_CODES:
            self.sendCloseFrame(code=code, isReply=False)
            return
        super().serverClose(code=code)


class HeaderDeadlineChannel(HTTPChannel):
    """Twisted's HTTP channel with a deadline for each request's head.

    Armed when the connection is made and when the first byte of a later request on a kept-
    alive connection arrives; cancelled when all headers are in (a body, an upgraded
    websocket and an idle kept-alive connection have their own timeouts).
    """

    # The pending ``callLater`` (an ``IDelayedCall``) while a request head is awaited.
    _head_deadline: Any = None

    def connectionMade(self) -> None:
        super().connectionMade()
        self._arm()

    def dataReceived(self, data: bytes) -> None:
        if self.line_mode and self._head_deadline is None:
            self._arm()
        super().dataReceived(data)

    def allHeadersReceived(self) -> None:
        self._disarm()
        super().allHeadersReceived()

    def connectionLost(self, reason: Failure = connectionDone) -> None:
        self._disarm()
        super().connectionLost(reason)

    def _arm(self) -> None:
        self._head_deadline = self.callLater(HEADER_DEADLINE_SECONDS, self._head_too_slow)

    def _disarm(self) -> None:
        if self._head_deadline is not None and self._head_deadline.active():
            self._head_deadline.cancel()
        self._head_deadline = None

    def _head_too_slow(self) -> None:
        self._head_deadline = None
        transport: Any = self.transport
        if transport is None:
            return
        _log.info("Request head not complete in time: dropping {peer}", peer=transport.getPeer())
        transport.abortConnection()


def _stamp_receipt(message: dict[str, Any]) -> dict[str, Any]:
    """A websocket frame, with the moment it arrived (``chat.receipt``)."""
    if message.get("type") == "websocket.receive":
        message[RECEIVED_AT] = time.monotonic()
    return message


class ClosingServer(Server):
    """Daphne's server with ``failByDrop`` off on its websocket factory and a deadline for
    request heads on its HTTP factory; it loads what every conversation needs
    (:func:`poradnia.preload.preload`) before it listens."""

    def run(self) -> None:
        # Imported here: Daphne sets Django up when it imports the application, after this
        # module.
        from poradnia.preload import preload

        preload()
        super().run()

    def create_application(self, protocol: Any, scope: dict[str, Any]) -> Mailbox | None:
        """Daphne's ``create_application`` with a :class:`~chat.layers.Mailbox` as the
        connection's input instead of an ``asyncio.Queue``: about 3 KiB less per open
        socket, and the consumer's wait for its next frame is a future, not a task. Each
        frame carries the moment it arrived (``chat.receipt``)."""
        assert "application_instance" not in self.connections[protocol]  # noqa: S101
        input_queue = Mailbox(_stamp_receipt)
        scope.setdefault("asgi", {"version": "3.0"})
        application_instance = self.application(
            scope=scope,
            receive=input_queue.get,
            send=partial(self.handle_reply, protocol),
        )
        if protocol not in self.connections:
            return None
        self.connections[protocol]["application_instance"] = asyncio.ensure_future(
            application_instance, loop=asyncio.get_event_loop()
        )
        return input_queue

    @property
    def http_factory(self) -> Any:
        return self._http_factory

    @http_factory.setter
    def http_factory(self, factory: Any) -> None:
        # Plain HTTP/1.1 channels (Daphne serves behind the TLS proxy: no HTTP/2 to negotiate).
        factory.protocol = HeaderDeadlineChannel
        self._http_factory = factory

    @property
    def ws_factory(self) -> Any:
        return self._ws_factory

    @ws_factory.setter
    def ws_factory(self, factory: Any) -> None:
        # Daphne creates the factory in ``run()``; options set later by Daphne leave this one.
        factory.setProtocolOptions(failByDrop=False)
        factory.protocol = ClosingProtocol
        self._ws_factory = factory


class ServeCommand(CommandLineInterface):
    server_class = ClosingServer


if __name__ == "__main__":
    ServeCommand.entrypoint()
