"""A socket over its frame rate gets ``rate_limited`` naming the frame and the pause to wait;
a client paced like the pages is never refused, old refusals are forgiven, and the rate is
measured by when frames arrived, not by when the consumer read them."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from chat import limits
from chat.consumers.citizen import CitizenConsumer
from chat.receipt import RECEIVED_AT
from core import metrics
from poradnia.serve import _stamp_receipt
from tests.conftest import Socket, start_citizen


def refused_count(code: str) -> float:
    return metrics.FRAMES_REFUSED.labels(code=code)._value.get()


@pytest.mark.django_db(transaction=True)
async def test_a_message_over_the_rate_is_refused_with_its_client_id_and_a_pause(sockets):
    citizen, _ = await start_citizen(sockets, language="en")
    before = refused_count("rate_limited")
    # The burst goes on pings (answered without the database), then three messages follow.
    ping = json.dumps({"type": "ping"})
    for _ in range(int(limits.CITIZEN_FRAME_RATE.burst)):
        await citizen.communicator.send_to(text_data=ping)
    for n in range(3):
        frame = {"type": "message.send", "client_id": f"fast-{n}", "text": f"message {n}"}
        await citizen.communicator.send_to(text_data=json.dumps(frame))
    refusals = [f for f in await citizen.collect(timeout=0.5) if f["type"] == "error"]
    assert [r["ref"] for r in refusals if "ref" in r] == ["fast-0", "fast-1", "fast-2"]
    for refusal in refusals:
        assert refusal["code"] == "rate_limited"
        assert 0 < refusal["retry_after"] <= 1 / limits.CITIZEN_FRAME_RATE.per_second + 0.01
    assert refused_count("rate_limited") - before == len(refusals)

    # Waiting the pause it names, the refused message is accepted.
    await asyncio.sleep(refusals[-1]["retry_after"])
    await citizen.send({"type": "message.send", "client_id": "fast-0", "text": "again"})
    assert (await citizen.stored("fast-0", timeout=10))["text"] == "again"


@pytest.mark.django_db(transaction=True)
async def test_a_client_paced_like_the_pages_is_never_refused(sockets):
    """The pages' pacer (``common/pacer.js``): the socket's numbers with a small margin."""
    citizen, _ = await start_citizen(sockets, language="en")
    await citizen.collect(timeout=0.3)
    rate = limits.CITIZEN_FRAME_RATE
    per_second, burst = rate.per_second * 0.9, rate.burst - 2
    loop = asyncio.get_running_loop()
    tokens, at = burst - 2, loop.time()  # the start and its code request took two
    answers: list[dict[str, object]] = []
    for _ in range(int(rate.burst) + 15):
        now = loop.time()
        tokens = min(burst, tokens + (now - at) * per_second)
        at = now
        if tokens < 1:
            await asyncio.sleep((1 - tokens) / per_second)
            tokens, at = 1.0, loop.time()
        tokens -= 1
        await citizen.send({"type": "ping"})
    answers = await citizen.collect(timeout=0.5)
    assert [a for a in answers if a["type"] == "error"] == []
    assert sum(1 for a in answers if a["type"] == "pong") == int(rate.burst) + 15


def test_refusals_older_than_the_window_are_forgiven(settings):
    clock = 1000.0
    consumer = CitizenConsumer()
    strikes = settings.LIMIT_RATE_STRIKES
    for _ in range(3):
        assert not any(consumer._strike(clock) for _ in range(strikes - 1))
        clock += settings.LIMIT_RATE_STRIKES_WINDOW_SECONDS + 1
    assert not any(consumer._strike(clock) for _ in range(strikes - 1))
    assert consumer._strike(clock)  # the LIMIT_RATE_STRIKES-th within one window


async def send_pings_that_arrived(citizen: Socket, count: int, *, every: float) -> None:
    """Hand the consumer ``count`` pings at once, stamped as if they had arrived ``every``
    seconds apart a minute ago (as ``poradnia.serve`` stamps them)."""
    arrived = time.monotonic() - 60
    for n in range(count):
        await citizen.communicator.send_input(
            {
                "type": "websocket.receive",
                "text": json.dumps({"type": "ping"}),
                RECEIVED_AT: arrived + n * every,
            }
        )


@pytest.mark.django_db(transaction=True)
async def test_frames_that_queued_behind_a_slow_one_are_measured_by_their_arrival(sockets):
    """A socket that sent a frame every 0.2 s while the server was busy is read in one go
    afterwards; by arrival it kept to the rate, so nothing is refused."""
    citizen = await sockets("/ws/citizen/")
    rate = limits.CITIZEN_FRAME_RATE
    frames = int(rate.burst) * 2
    await send_pings_that_arrived(citizen, frames, every=2 / rate.per_second)
    answers = await citizen.collect(timeout=0.5)
    assert [a for a in answers if a["type"] == "error"] == []
    assert sum(1 for a in answers if a["type"] == "pong") == frames


@pytest.mark.django_db(transaction=True)
async def test_a_real_flood_is_refused_by_its_arrival_too(sockets):
    citizen = await sockets("/ws/citizen/")
    rate = limits.CITIZEN_FRAME_RATE
    await send_pings_that_arrived(citizen, int(rate.burst) + 5, every=0.001)
    answers = await citizen.collect(timeout=0.5)
    assert sum(1 for a in answers if a.get("code") == "rate_limited") == 5


def test_the_server_stamps_each_frame_with_its_arrival():
    before = time.monotonic()
    stamped = _stamp_receipt({"type": "websocket.receive", "text": "{}"})
    assert before <= stamped[RECEIVED_AT] <= time.monotonic()
    assert RECEIVED_AT not in _stamp_receipt({"type": "websocket.connect"})
