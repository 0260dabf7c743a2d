"""Daphne, as production runs it: ``python -m poradnia.serve`` takes Daphne's arguments.

The one difference from the ``daphne`` command: a websocket that breaks the protocol is
closed with a close frame that says why (1009 message too big, 1007 invalid UTF-8, 1002
protocol error) instead of autobahn's default of dropping the TCP connection, so a client
can tell a refused message from a network failure.
"""

from __future__ import annotations

from typing import Any

from daphne.cli import CommandLineInterface
from daphne.server import Server


class ClosingServer(Server):
    """Daphne's server with ``failByDrop`` off on its websocket factory."""

    @property
    def ws_factory(self) -> Any:
        return self._ws_factory

    @ws_factory.setter
    def ws_factory(self, factory: Any) -> None:
        # Daphne creates the factory in ``run()``; options set later by Daphne leave this one.
        factory.setProtocolOptions(failByDrop=False)
        self._ws_factory = factory


class ServeCommand(CommandLineInterface):
    server_class = ClosingServer


if __name__ == "__main__":
    ServeCommand.entrypoint()
