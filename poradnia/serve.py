"""Daphne, as production runs it: ``python -m poradnia.serve`` takes Daphne's arguments.

The differences from the ``daphne`` command: a websocket that breaks the protocol is
closed with a close frame that says why (1009 message too big, 1007 invalid UTF-8, 1002
protocol error) instead of autobahn's default of dropping the TCP connection, so a client
can tell a refused message from a network failure; the application may close with the
registered codes 1001, 1008 (policy), 1011 and 1013 (try again later), which autobahn's
``sendClose`` refuses (it allows only 1000 and 3000–4999 from an application); and the
process loads triage and the article index before it listens (``poradnia.preload``).
"""

from __future__ import annotations

from typing import Any

from daphne.cli import CommandLineInterface
from daphne.server import Server
from daphne.ws_protocol import WebSocketProtocol

# Registered close codes a server may send that autobahn keeps from applications.
SERVER_CLOSE_CODES = frozenset({1001, 1008, 1011, 1013})


class ClosingProtocol(WebSocketProtocol):
    """Daphne's websocket protocol, letting the application close with ``SERVER_CLOSE_CODES``."""

    def serverClose(self, code: int | None = None) -> None:
        if code in SERVER_CLOSE_CODES:
            self.sendCloseFrame(code=code, isReply=False)
            return
        super().serverClose(code=code)


class ClosingServer(Server):
    """Daphne's server with ``failByDrop`` off on its websocket factory; it loads what every
    conversation needs (:func:`poradnia.preload.preload`) before it listens."""

    def run(self) -> None:
        # Imported here: Daphne sets Django up when it imports the application, after this
        # module.
        from poradnia.preload import preload

        preload()
        super().run()

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
