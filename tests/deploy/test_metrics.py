"""/metrics: who may read it, and what the service's own instruments show."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from prometheus_client import REGISTRY

from advice.events import outbox
from advice.services.conversations import conversation_start
from chat import bridge
from core import metrics
from tests.conftest import cid, officer_online, start_citizen
from tests.deploy.conftest import http_get

pytestmark = pytest.mark.django_db(transaction=True)

FOREIGN = ("203.0.113.7", 52000)
METRIC_NAMES = (
    "poradnia_open_sockets",
    "poradnia_messages_stored_total",
    "poradnia_queue_length",
    "poradnia_claim_wait_seconds",
    "poradnia_channel_layer_send_errors_total",
    "poradnia_frame_database_seconds",
)


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = "scrape-token-for-tests"
    return settings.METRICS_TOKEN


async def test_metrics_are_not_found_from_a_foreign_address_without_the_token(token):
    assert (await http_get("/metrics", client=FOREIGN)).status == 404
    wrong = {"authorization": "Bearer not-the-token"}
    assert (await http_get("/metrics", client=FOREIGN, headers=wrong)).status == 404
    assert (await http_get("/metrics", client=None)).status == 404


async def test_metrics_show_every_instrument_with_the_token(token):
    response = await http_get(
        "/metrics", client=FOREIGN, headers={"authorization": f"Bearer {token}"}
    )
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.body.decode()
    for name in METRIC_NAMES:
        assert f"# TYPE {name} " in text, name


async def test_metrics_answer_the_internal_network_without_a_token(settings):
    settings.METRICS_TOKEN = ""
    for address in ("127.0.0.1", "10.4.0.9", "172.18.0.5", "192.168.1.20", "::ffff:10.0.0.5"):
        response = await http_get("/metrics", client=(address, 50000))
        assert response.status == 200, address
    assert (await http_get("/metrics", client=FOREIGN)).status == 404


async def test_an_empty_network_list_leaves_only_the_token(settings, token):
    settings.METRICS_ALLOWED_NETWORKS = []
    assert (await http_get("/metrics", client=("127.0.0.1", 50000))).status == 404
    with_token = {"authorization": f"Bearer {token}"}
    response = await http_get("/metrics", client=("127.0.0.1", 50000), headers=with_token)
    assert response.status == 200


async def test_queue_length_by_urgency_is_read_at_scrape_time():
    for _ in range(2):
        await database_sync_to_async(conversation_start)(language="en")
    text = (await http_get("/metrics")).body.decode()
    levels = {
        line.split('"')[1]: float(line.split()[-1])
        for line in text.splitlines()
        if line.startswith("poradnia_queue_length{")
    }
    assert set(levels) == {"P1", "P2", "P3", "P4"}
    assert sum(levels.values()) == 2


async def test_a_socket_moves_the_open_sockets_gauge(sockets):
    before = sample("poradnia_open_sockets", role="citizen")
    citizen = await sockets("/ws/citizen/")
    assert sample("poradnia_open_sockets", role="citizen") == before + 1
    await citizen.close()
    assert sample("poradnia_open_sockets", role="citizen") == before


async def test_messages_claims_and_database_time_are_counted(sockets, make_officer):
    officer_user = await database_sync_to_async(make_officer)()
    officer = await officer_online(sockets, officer_user)
    assert sample("poradnia_open_sockets", role="officer") >= 1
    stored = sample("poradnia_messages_stored_total", sender="citizen")
    claims = sample("poradnia_claim_wait_seconds_count")
    post_time = sample("poradnia_frame_database_seconds_count", service="message_post")

    citizen, _token = await start_citizen(sockets, language="en")
    entry = await officer.receive_until("queue.entry")
    client_id = cid()
    await citizen.send({"type": "message.send", "client_id": client_id, "text": "Help"})
    await citizen.stored(client_id)
    # A resend is stored once.
    await citizen.send({"type": "message.send", "client_id": client_id, "text": "Help"})
    await citizen.receive_until("ack", duplicate=True)
    await officer.send({"type": "conversation.claim", "conversation_id": entry["entry"]["id"]})
    await citizen.receive_until("conversation.state", reason="officer_joined")

    assert sample("poradnia_messages_stored_total", sender="citizen") == stored + 1
    assert sample("poradnia_claim_wait_seconds_count") == claims + 1
    assert sample("poradnia_frame_database_seconds_count", service="message_post") == (
        post_time + 2
    )


class BrokenLayer:
    async def group_send(self, group, message):
        raise ConnectionError("Redis is unreachable")


async def test_a_failed_channel_layer_send_is_counted(monkeypatch):
    def publishes() -> None:
        outbox.publish("queue.staff", {"type": "queue.changed"})

    monkeypatch.setattr(bridge, "get_channel_layer", lambda: BrokenLayer())
    errors = sample("poradnia_channel_layer_send_errors_total")
    # The database is the store: the caller still gets its result, the failure is counted.
    assert await bridge.call(publishes) is None
    assert sample("poradnia_channel_layer_send_errors_total") == errors + 1


def test_a_socket_is_uncounted_once_however_often_it_closes():
    class CitizenConsumer:
        pass

    consumer = CitizenConsumer()
    before = sample("poradnia_open_sockets", role="citizen")
    metrics.socket_opened(consumer)
    metrics.socket_closed(consumer)
    metrics.socket_closed(consumer)
    assert sample("poradnia_open_sockets", role="citizen") == before
