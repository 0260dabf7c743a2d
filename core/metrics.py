"""Prometheus instruments of one server process; the code that observes calls them in one line.

Every Daphne process keeps its own values and serves them at its own ``/metrics``
(``poradnia.probes``): scrape each process, the proxy does not balance Prometheus. This
module imports nothing of the project, so any layer may use it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from prometheus_client import Counter, Gauge, Histogram, disable_created_metrics
from prometheus_client.context_managers import Timer
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

# No ``*_created`` series: Prometheus derives resets itself, and they double the output.
disable_created_metrics()

OPEN_SOCKETS = Gauge(
    "poradnia_open_sockets",
    "Websockets accepted by this process and not yet closed, by role.",
    ["role"],
)
MESSAGES_STORED = Counter(
    "poradnia_messages_stored",
    "Chat messages committed to the database by this process, by sender.",
    ["sender"],
)
CLAIM_WAIT = Histogram(
    "poradnia_claim_wait_seconds",
    "Time from entering the queue to being claimed by an officer (claims on this process).",
    buckets=(5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200),
)
LAYER_SEND_ERRORS = Counter(
    "poradnia_channel_layer_send_errors",
    "Group sends to the channel layer that raised.",
)
FRAMES_REFUSED = Counter(
    "poradnia_frames_refused",
    "Frames this process refused for load or rate, to be retried by the client, by error code"
    " (busy, rate_limited, temporarily_unavailable).",
    ["code"],
)
FRAMES_TO_GONE_CLIENTS = Counter(
    "poradnia_frames_to_gone_clients",
    "Frames dropped because their client had closed the socket before they were sent.",
)
FRAME_DATABASE_SECONDS = Histogram(
    "poradnia_frame_database_seconds",
    "Time a websocket frame's service call spent in the database thread, by service.",
    ["service"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)

logger = logging.getLogger(__name__)

_ROLE_ATTRIBUTE = "_metrics_socket_role"


def _role(consumer: object) -> str:
    # CitizenConsumer → "citizen", OfficerConsumer → "officer", SupervisorConsumer → …
    return type(consumer).__name__.removesuffix("Consumer").lower() or "other"


def socket_opened(consumer: object) -> None:
    """Count an accepted websocket; pair with :func:`socket_closed` (which may run twice)."""
    role = _role(consumer)
    setattr(consumer, _ROLE_ATTRIBUTE, role)
    OPEN_SOCKETS.labels(role=role).inc()


def socket_closed(consumer: object) -> None:
    """Uncount a websocket counted by :func:`socket_opened`; a no-op for any other."""
    role = getattr(consumer, _ROLE_ATTRIBUTE, None)
    if role is None:
        return
    setattr(consumer, _ROLE_ATTRIBUTE, None)
    OPEN_SOCKETS.labels(role=role).dec()


def database_time(service: Callable[..., Any]) -> Timer:
    """Time a service call in the database thread (a context manager)."""
    return FRAME_DATABASE_SECONDS.labels(service=getattr(service, "__name__", "other")).time()


class QueueLengthCollector(Collector):
    """``poradnia_queue_length{urgency}``: read at scrape time through ``read``.

    ``read`` returns the waiting conversations per urgency level (one aggregated query) and
    runs in the scraping thread, so it may use the ORM. The figure is the whole service's:
    every process reports the same value. When ``read`` fails the family has no samples.
    """

    NAME = "poradnia_queue_length"
    HELP = "Conversations waiting in the queue, by urgency (the whole service)."

    def __init__(self, read: Callable[[], dict[str, int]]) -> None:
        self.read = read

    def describe(self) -> Iterable[Metric]:
        # Registering a collector without ``describe`` would run the query at import time.
        return [GaugeMetricFamily(self.NAME, self.HELP, labels=["urgency"])]

    def collect(self) -> Iterable[Metric]:
        family = GaugeMetricFamily(self.NAME, self.HELP, labels=["urgency"])
        try:
            counts = self.read()
        except Exception:
            # The process's own metrics matter most when the database is down: scrape them.
            logger.warning("metrics: the queue length could not be read", exc_info=True)
            counts = {}
        for urgency, count in sorted(counts.items()):
            family.add_metric([urgency], count)
        return [family]
