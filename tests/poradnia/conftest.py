"""Sockets opened here without the ``sockets`` fixture: close the consumers' connection too."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from channels.db import database_sync_to_async
from django.db import connections


@pytest.fixture(autouse=True)
async def _close_consumer_connections() -> AsyncIterator[None]:
    yield
    # The audit of a refusal ran in asgiref's thread: PostgreSQL must be able to drop the
    # test database at the end.
    await database_sync_to_async(connections.close_all)()
