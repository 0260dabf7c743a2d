"""The websocket security stack's outer layer: exact origins, and audit of refused handshakes.

:class:`ExactOriginValidator` replaces Channels' ``AllowedHostsOriginValidator``: it admits a
handshake only if its ``Origin`` is exactly (scheme, host, port) on
``settings.WEBSOCKET_ALLOWED_ORIGINS`` (see :mod:`poradnia.origins`), read on every handshake.
It also watches what the application sends back: a consumer that closes with 4401 (no
session) or 4403 (wrong role) before it has sent anything but error frames has refused the
handshake, and that refusal is audited like a foreign origin (rate-limited, see
:mod:`advice.refusals`). Closes after a socket went live (e.g. a session ending) are not
handshake refusals and are left to the consumers.
"""

from __future__ import annotations

import json
from typing import Any

from channels.db import database_sync_to_async
from channels.security.websocket import OriginValidator, WebsocketDenier
from django.conf import settings

from advice.refusals import RefusalReason, handshake_refusal_record
from poradnia.origins import origin_allowed

Scope = dict[str, Any]
Message = dict[str, Any]

REFUSAL_CLOSE_CODES = {4401: RefusalReason.NO_SESSION, 4403: RefusalReason.WRONG_ROLE}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin1")
    return None


def _client_address(scope: Scope) -> str | None:
    client = scope.get("client")
    return str(client[0]) if client else None


async def _record(scope: Scope, reason: RefusalReason, origin: str = "") -> None:
    await database_sync_to_async(handshake_refusal_record)(
        reason=reason,
        path=str(scope.get("path", "")),
        client_address=_client_address(scope),
        origin=origin,
    )


def _is_error_frame(text: object) -> bool:
    if not isinstance(text, str):
        return False
    try:
        frame = json.loads(text)
    except ValueError:
        return False
    return isinstance(frame, dict) and frame.get("type") == "error"


class _RefusalWatch:
    """Wraps ``send``: audits a 4401/4403 close sent while the socket is not yet live."""

    def __init__(self, scope: Scope, send: Any) -> None:
        self.scope = scope
        self.send = send
        self.live = False

    async def __call__(self, message: Message) -> None:
        if not self.live:
            kind = message.get("type")
            if kind == "websocket.send" and not _is_error_frame(message.get("text")):
                self.live = True
            elif kind == "websocket.close" and message.get("code") in REFUSAL_CLOSE_CODES:
                self.live = True  # one event per connection
                await _record(self.scope, REFUSAL_CLOSE_CODES[message["code"]])
        await self.send(message)


class ExactOriginValidator(OriginValidator):
    """Channels' origin validator with exact matching against the one allow-list."""

    def __init__(self, application: Any) -> None:
        super().__init__(application, allowed_origins=())

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> Any:
        if scope["type"] != "websocket":
            raise ValueError("ExactOriginValidator only guards websocket connections.")
        origin = _header(scope, b"origin")
        if not origin_allowed(origin, settings.WEBSOCKET_ALLOWED_ORIGINS):
            await _record(scope, RefusalReason.ORIGIN, origin or "(none)")
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, _RefusalWatch(scope, send))
