"""Endpoints for machines — ``/healthz``, ``/readyz``, ``/metrics`` — answered in front of Django.

:class:`ProbeRouter` wraps the ASGI application and answers these paths itself, before
Django's middleware: no login, second factor, locale or ``ALLOWED_HOSTS`` check applies (the
container's health check calls them by IP), and liveness never waits for the database
thread. None of them reveals a version.

- ``/healthz`` (liveness): 200 whenever the event loop answers.
- ``/readyz`` (readiness): 200 when the database answers, every migration is applied and the
  channel layer accepts a send; otherwise 503. Both carry ``{"status", "checks"}``, each
  check ``ok``, ``failed``, ``pending`` (migrations) or ``unknown``.
- ``/metrics``: this process's Prometheus metrics, for a bearer ``METRICS_TOKEN`` or a
  client in ``METRICS_ALLOWED_NETWORKS``; 404 for anyone else.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from channels.db import database_sync_to_async
from channels.exceptions import ChannelFull
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from prometheus_client import REGISTRY
from prometheus_client.exposition import choose_encoder

from advice.selectors import queue_length_by_urgency
from core import metrics

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Answer = tuple[int, bytes, str]

logger = logging.getLogger(__name__)

JSON = "application/json"
CHECK_TIMEOUT = 3.0
# A throwaway channel nobody reads: a send proves the layer answers. Layers that store
# messages bound it (capacity, expiry); a full channel also proves the layer answered.
PROBE_CHANNEL = "poradnia.readyz"

REGISTRY.register(metrics.QueueLengthCollector(queue_length_by_urgency))

# Database aliases seen fully migrated: migrations are not unapplied under a running process,
# so the (comparatively costly) migration plan is computed until it is first found empty.
_migrated: set[str] = set()


def _json(status: int, payload: dict[str, Any]) -> Answer:
    return status, json.dumps(payload, separators=(",", ":")).encode(), JSON


async def healthz(scope: Scope) -> Answer:
    return _json(200, {"status": "ok"})


def _migrations_applied(alias: str) -> bool:
    if alias in _migrated:
        return True
    executor = MigrationExecutor(connections[alias])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    _migrated.add(alias)
    return True


def _check_database() -> bool:
    """Runs in the database thread: ``SELECT 1``, then whether every migration is applied."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return _migrations_applied(DEFAULT_DB_ALIAS)


async def _database() -> dict[str, str]:
    try:
        applied = await asyncio.wait_for(
            database_sync_to_async(_check_database)(), timeout=CHECK_TIMEOUT
        )
    except Exception:
        logger.warning("readyz: the database does not answer", exc_info=True)
        return {"database": "failed", "migrations": "unknown"}
    return {"database": "ok", "migrations": "ok" if applied else "pending"}


async def _channel_layer() -> dict[str, str]:
    layer = get_channel_layer()
    try:
        if layer is None:
            raise LookupError("no channel layer is configured")
        await asyncio.wait_for(layer.send(PROBE_CHANNEL, {"type": "readyz"}), CHECK_TIMEOUT)
    except ChannelFull:
        pass
    except Exception:
        logger.warning("readyz: the channel layer does not answer", exc_info=True)
        return {"channel_layer": "failed"}
    return {"channel_layer": "ok"}


async def readyz(scope: Scope) -> Answer:
    database, layer = await asyncio.gather(_database(), _channel_layer())
    checks = {**database, **layer}
    ready = all(state == "ok" for state in checks.values())
    return _json(
        200 if ready else 503, {"status": "ok" if ready else "unavailable", "checks": checks}
    )


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


def metrics_allowed(scope: Scope) -> bool:
    """A bearer ``METRICS_TOKEN``, or a client address in ``METRICS_ALLOWED_NETWORKS``.

    The client address is Daphne's: behind the proxy, the one it reports (``X-Real-IP``).
    """
    token: str = settings.METRICS_TOKEN
    if token and hmac.compare_digest(
        _header(scope, b"authorization").encode(), f"Bearer {token}".encode()
    ):
        return True
    client = scope.get("client")
    if not client:
        return False
    try:
        address = ipaddress.ip_address(client[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


async def metrics_view(scope: Scope) -> Answer:
    if not metrics_allowed(scope):
        return 404, b"Not Found", "text/plain; charset=utf-8"
    encode, content_type = choose_encoder(_header(scope, b"accept"))
    # The queue collector reads the database: generate in the database thread.
    body = await database_sync_to_async(encode)(REGISTRY)
    return 200, body, content_type


PROBES: dict[str, Callable[[Scope], Awaitable[Answer]]] = {
    "/healthz": healthz,
    "/readyz": readyz,
    "/metrics": metrics_view,
}


class ProbeRouter:
    """ASGI wrapper: answers :data:`PROBES` itself and passes everything else on."""

    def __init__(self, application: ASGIApp) -> None:
        self.application = application

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        probe = PROBES.get(scope["path"]) if scope["type"] == "http" else None
        if probe is None:
            await self.application(scope, receive, send)
            return
        if scope["method"] in ("GET", "HEAD"):
            status, body, content_type = await probe(scope)
        else:
            status, body, content_type = 405, b"Method Not Allowed", "text/plain; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", content_type.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                    (b"x-content-type-options", b"nosniff"),
                ],
            }
        )
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )
