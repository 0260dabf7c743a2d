"""/healthz and /readyz as a load balancer, Docker and an orchestrator see them."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers, get_channel_layer
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import OperationalError

from poradnia import probes
from tests.conftest import require_service
from tests.deploy.conftest import http_get

pytestmark = pytest.mark.django_db(transaction=True)


class FailingLayer:
    async def send(self, channel, message):
        raise ConnectionError("Redis is unreachable")


class StuckLayer:
    async def send(self, channel, message):
        await asyncio.sleep(60)


async def test_healthz_answers_ok_without_login_host_or_version():
    response = await http_get("/healthz", headers={"host": "10.0.0.7:8000"})
    assert response.status == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["cache-control"] == "no-store"
    assert "server" not in response.headers
    assert b"version" not in response.body


async def test_readyz_is_ok_when_database_migrations_and_channel_layer_are():
    response = await http_get("/readyz", headers={"host": "10.0.0.7:8000"})
    assert response.status == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "channel_layer": "ok"},
    }


async def test_readyz_names_the_channel_layer_when_it_fails(monkeypatch):
    monkeypatch.setattr(probes, "get_channel_layer", lambda: FailingLayer())
    response = await http_get("/readyz")
    assert response.status == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "migrations": "ok", "channel_layer": "failed"},
    }
    assert b"Redis" not in response.body


async def test_readyz_fails_when_the_channel_layer_does_not_answer_in_time(monkeypatch):
    monkeypatch.setattr(probes, "get_channel_layer", lambda: StuckLayer())
    monkeypatch.setattr(probes, "CHECK_TIMEOUT", 0.1)
    response = await http_get("/readyz")
    assert response.status == 503
    assert response.json()["checks"]["channel_layer"] == "failed"


async def test_readyz_names_the_database_when_it_fails(monkeypatch):
    def refuse(self, conn_params):
        raise OperationalError("connection refused")

    # The database goes away: open connections are gone and new ones are refused (only
    # while the probe runs: the test's teardown needs the database back).
    await database_sync_to_async(connections.close_all)()
    with monkeypatch.context() as patch:
        patch.setattr(type(connections[DEFAULT_DB_ALIAS]), "get_new_connection", refuse)
        response = await http_get("/readyz")
    assert response.status == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "failed", "migrations": "unknown", "channel_layer": "ok"},
    }
    assert b"refused" not in response.body


async def test_readyz_waits_for_pending_migrations(monkeypatch):
    monkeypatch.setattr(probes, "_migrated", set())
    monkeypatch.setattr(
        MigrationExecutor, "migration_plan", lambda self, targets: [("advice", "0099")]
    )
    response = await http_get("/readyz")
    assert response.status == 503
    assert response.json()["checks"]["migrations"] == "pending"


async def test_readyz_reads_the_migration_plan_only_until_it_is_empty(monkeypatch):
    monkeypatch.setattr(probes, "_migrated", set())
    plans = []
    real_plan = MigrationExecutor.migration_plan

    def counted(self, targets):
        plans.append(targets)
        return real_plan(self, targets)

    monkeypatch.setattr(MigrationExecutor, "migration_plan", counted)
    for _ in range(3):
        assert (await http_get("/readyz")).status == 200
    assert len(plans) == 1


async def test_probes_accept_only_get_and_head():
    assert (await http_get("/healthz", method="POST")).status == 405
    head = await http_get("/healthz", method="HEAD")
    assert head.status == 200
    assert head.body == b""


async def test_other_paths_still_reach_django():
    response = await http_get("/help/", headers={"host": "localhost"})
    assert response.status == 200
    assert b"<html" in response.body.lower()


@pytest.fixture(
    params=[
        "channels_redis.core.RedisChannelLayer",
        "channels_redis.pubsub.RedisPubSubChannelLayer",
    ]
)
async def redis_layer(request, settings):
    require_service("Redis", 6379)
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": request.param,
            "CONFIG": {
                "hosts": [{"address": "redis://127.0.0.1:6379/3", "max_connections": 20}],
                "prefix": f"test-{uuid.uuid4().hex[:8]}",
                **({"capacity": 1} if request.param.endswith("core.RedisChannelLayer") else {}),
            },
        }
    }
    channel_layers.backends.clear()
    layer = get_channel_layer()
    yield layer
    await layer.flush()
    if hasattr(layer, "close_pools"):
        await layer.close_pools()


async def test_readyz_is_ok_on_both_redis_layers_even_when_the_probe_channel_is_full(
    redis_layer,
):
    # With a capacity of one, the core layer's second send finds the channel full: the
    # layer answered, so the service is ready.
    for _ in range(3):
        response = await http_get("/readyz")
        assert response.status == 200
        assert response.json()["checks"]["channel_layer"] == "ok"
