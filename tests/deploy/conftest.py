"""Helpers for the deployment tests: HTTP requests to the probes through the real ASGI stack."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


async def http_get(
    path: str,
    *,
    client: tuple[str, int] | None = ("127.0.0.1", 40000),
    headers: dict[str, str] | None = None,
    method: str = "GET",
) -> Response:
    """One request to ``poradnia.asgi.application`` as Daphne would pass it on."""
    from poradnia.asgi import application

    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "server": ("127.0.0.1", 8000),
    }
    if client is not None:
        scope["client"] = client
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(10)
    body = await communicator.receive_output(10)
    await communicator.wait(1)
    # The probes used the database thread's connection: close it, so that PostgreSQL can
    # drop the test database at the end.
    await database_sync_to_async(connections.close_all)()
    return Response(
        status=start["status"],
        headers={k.decode(): v.decode() for k, v in start.get("headers", [])},
        body=body["body"],
    )


def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())
