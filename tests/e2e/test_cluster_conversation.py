"""One conversation across two real Daphne processes on PostgreSQL + Redis: the citizen on
process A, the officer and the supervisor on process B. The queue entry, the P1 alert, the
supervisor's live figures, typing and forty messages cross between the processes, each
message exactly once; then A is killed, the citizen resumes on B, gets what it
missed and nothing twice, and the chat goes on.

Cross-process delivery needs the Redis channel layer, so this test always runs on the
services: a database of its own on the local PostgreSQL (or the run's ``DATABASE_URL``) and a
channel prefix of its own on Redis (``REDIS_URL``, else a local database of the tests' own).
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import websockets

from tests.conftest import require_service
from tests.e2e.cluster import Database, cluster_database, connect, running_cluster
from tests.e2e.test_daphne_server import login

# Generous for a loaded machine; a frame that does arrive comes in milliseconds.
TIMEOUT = 15.0
EACH_WAY = 20
AWAY = 3
# Refusals a client answers by sending the same frame again (docs/protocol.md).
RETRYABLE = {"busy", "rate_limited", "temporarily_unavailable"}
DANGER = "nie chcę już żyć, mam tabletki"

Frame = dict[str, Any]

# Migrating a fresh PostgreSQL database takes most of the setup; on a loaded machine setup
# and test together can pass the suite's 120 s limit for a hang.
pytestmark = [pytest.mark.services, pytest.mark.timeout(240)]


@pytest.fixture
def cluster(tmp_path) -> Iterator[tuple[list[subprocess.Popen[bytes]], list[str], Database]]:
    """Server processes A and B on a PostgreSQL database and a Redis channel layer."""
    require_service("PostgreSQL", 5432)
    require_service("Redis", 6379)
    with (
        cluster_database(tmp_path, services=True) as (env, database),
        running_cluster(env) as (processes, bases),
    ):
        yield processes, bases, database


class Client:
    """A websocket whose frames a background task records, so the test can wait for one
    frame while others keep arriving and, at the end, check everything the socket got."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.frames: list[Frame] = []
        self.closed = False
        self._changed = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def open(cls, base: str, path: str, cookie: str = "") -> Client:
        return cls(await connect(base, path, cookie))

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                async with self._changed:
                    self.frames.append(json.loads(raw))
                    self._changed.notify_all()
        except websockets.ConnectionClosed:
            pass
        finally:
            async with self._changed:
                self.closed = True
                self._changed.notify_all()

    async def send(self, frame: Frame) -> None:
        await self.ws.send(json.dumps(frame))

    async def wait(
        self, test: Callable[[Frame], bool], *, since: int = 0, timeout: float = TIMEOUT
    ) -> tuple[int, Frame]:
        """The first frame from index ``since`` on that passes ``test``, and its index."""

        def found() -> tuple[int, Frame] | None:
            for index in range(since, len(self.frames)):
                if test(self.frames[index]):
                    return index, self.frames[index]
            return None

        async def arrival() -> tuple[int, Frame]:
            async with self._changed:
                await self._changed.wait_for(lambda: self.closed or found() is not None)
                result = found()
                assert result is not None, f"socket closed; it received {self.frames}"
                return result

        try:
            return await asyncio.wait_for(arrival(), timeout)
        except TimeoutError:
            pytest.fail(f"no such frame within {timeout} s; the socket received {self.frames}")

    async def until(self, kind: str, *, since: int = 0, **match: Any) -> Frame:
        def test(frame: Frame) -> bool:
            return frame["type"] == kind and all(frame.get(k) == v for k, v in match.items())

        return (await self.wait(test, since=since))[1]

    async def post(self, frame: Frame) -> Frame:
        """Send a ``message.send`` and return its acknowledgement (the message's own frame, or
        an ``ack`` for a resend); a refusal that asks for it is answered as the pages do, by
        sending the same frame again after ``retry_after``."""
        client_id = frame["client_id"]
        since = len(self.frames)
        while True:
            await self.send(frame)
            index, reply = await self.wait(
                lambda f: (
                    (f.get("client_id") == client_id and f["type"] in ("ack", "message"))
                    or (f["type"] == "error" and f.get("ref") == client_id)
                ),
                since=since,
            )
            if reply["type"] != "error":
                return reply
            assert reply["code"] in RETRYABLE, reply
            since = index + 1
            await asyncio.sleep(float(reply.get("retry_after") or 0.5))

    async def all_messages(self, upto: int, timeout: float = TIMEOUT) -> None:
        """Returns once messages 1 to ``upto`` have all arrived (in whatever order)."""

        def complete() -> bool:
            return {m["seq"] for m in self.messages()} >= set(range(1, upto + 1))

        async def arrival() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: self.closed or complete())
                assert complete(), f"socket closed; it received {self.frames}"

        try:
            await asyncio.wait_for(arrival(), timeout)
        except TimeoutError:
            pytest.fail(f"not all of 1..{upto} within {timeout} s: {self.messages()}")

    def messages(self) -> list[Frame]:
        return [f for f in self.frames if f["type"] == "message"]

    def live(self) -> list[Frame]:
        return [f for f in self.frames if f["type"] == "supervisor.live"]

    async def closing(self) -> None:
        """Returns once the server side has gone."""
        await self._reader

    async def close(self) -> None:
        await self.ws.close()
        await self._reader


def assert_exactly_once_in_order(messages: list[Frame], first_seq: int) -> None:
    """Every ``seq`` from ``first_seq`` on, none twice (by ``seq`` and by ``client_id``), and
    each sender's messages in the order written. A message stored on one process may
    overtake one stored on the other (``chat/seq_window.py``), so the two senders' messages
    may interleave out of ``seq`` order."""
    seqs = [m["seq"] for m in messages]
    assert sorted(seqs) == list(range(first_seq, first_seq + len(messages)))
    counts = Counter(m["client_id"] for m in messages)
    assert not [c for c, n in counts.items() if n > 1]
    for sender in ("citizen", "officer"):
        own = [m["seq"] for m in messages if m["sender"] == sender]
        assert own == sorted(own), sender


async def test_a_conversation_across_two_processes_survives_the_citizens_process(cluster):
    (process_a, _), (a, b), db = cluster
    anna_cookie, marek_cookie = await asyncio.gather(
        asyncio.to_thread(login, b, "anna"), asyncio.to_thread(login, b, "marek")
    )

    supervisor = await Client.open(b, "/ws/supervisor/", marek_cookie)
    before = (await supervisor.until("supervisor.live"))["waiting"]["total"]
    officer = await Client.open(b, "/ws/officer/", anna_cookie)
    await officer.until("queue.snapshot")
    await officer.send({"type": "duty.set", "on_duty": True})
    await officer.until("duty.state", on_duty=True)

    # The citizen starts on A: B's console gets the queue entry, B's supervisor new figures.
    citizen = await Client.open(a, "/ws/citizen/")
    seen = len(supervisor.frames)
    await citizen.send({"type": "conversation.start", "language": "pl"})
    token = (await citizen.until("conversation.started"))["token"]
    entry = (await officer.until("queue.entry"))["entry"]
    conversation_id = entry["id"]
    assert entry["urgency"] != "P1"
    _, waiting = await supervisor.wait(
        lambda f: f["type"] == "supervisor.live" and f["waiting"]["total"] == before + 1,
        since=seen,
    )
    assert waiting["p1_waiting"] == []

    # While it waits, a message of the citizen's makes it P1: B's console and supervisor
    # are alerted and the figures list it among the waiting P1s.
    danger = await citizen.post({"type": "message.send", "client_id": "c-danger", "text": DANGER})
    assert danger["seq"] == 1
    alert = await officer.until("alert.p1", conversation_id=conversation_id)
    assert alert["reasons"]
    assert (await officer.until("queue.entry"))["entry"]["id"] == conversation_id
    await supervisor.until("alert.p1", conversation_id=conversation_id)
    _, p1_live = await supervisor.wait(
        lambda f: (
            f["type"] == "supervisor.live"
            and [p["conversation_id"] for p in f["p1_waiting"]] == [conversation_id]
        )
    )
    assert p1_live["waiting"]["by_urgency"]["P1"] == 1

    # B's officer claims: the citizen on A is told, the figures on B move it to active.
    seen = len(supervisor.frames)
    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await officer.until("replay.done", conversation_id=conversation_id)
    joined = await citizen.until("conversation.state", reason="officer_joined")
    assert (joined["status"], joined["officer_name"]) == ("active", "Anna (KAT)")
    _, claimed = await supervisor.wait(
        lambda f: (
            f["type"] == "supervisor.live"
            and f["waiting"]["total"] == before
            and f["active"] == p1_live["active"] + 1
        ),
        since=seen,
    )
    assert claimed["p1_waiting"] == []
    anna = [o for o in claimed["officers"]["list"] if o["display_name"] == "Anna (KAT)"]
    assert [(o["online"], o["active_chats"]) for o in anna] == [(True, 1)]

    # Typing, both ways.
    await citizen.send({"type": "typing"})
    await officer.until("typing", sender="citizen", conversation_id=conversation_id)
    await officer.send({"type": "typing", "conversation_id": conversation_id})
    await citizen.until("typing", sender="officer")

    # Twenty messages each way, both sides writing at once (each waits for its ack).
    async def write(client: Client, side: str, count: int, extra: Frame) -> list[Frame]:
        return [
            await client.post(
                {"type": "message.send", "client_id": f"{side}-{n}", "text": f"{side} {n}", **extra}
            )
            for n in range(count)
        ]

    citizen_acks, officer_acks = await asyncio.gather(
        write(citizen, "c", EACH_WAY, {}),
        write(officer, "o", EACH_WAY, {"conversation_id": conversation_id}),
    )
    for acks in (citizen_acks, officer_acks):
        assert not [ack for ack in acks if ack.get("duplicate")]
    acked = sorted(ack["seq"] for ack in [*citizen_acks, *officer_acks])
    assert acked == list(range(2, 2 + 2 * EACH_WAY))
    last = 1 + 2 * EACH_WAY
    await citizen.all_messages(last)
    await officer.all_messages(last)

    # A dies with the citizen's socket; the officer on B writes while the citizen is away.
    citizen_seen = citizen.messages()
    process_a.send_signal(signal.SIGKILL)
    process_a.wait(timeout=5)
    await asyncio.wait_for(citizen.closing(), TIMEOUT)
    away_acks = [
        await officer.post(
            {
                "type": "message.send",
                "conversation_id": conversation_id,
                "client_id": f"o-away-{n}",
                "text": f"are you there? {n}",
            }
        )
        for n in range(AWAY)
    ]
    assert [ack["seq"] for ack in away_acks] == list(range(last + 1, last + 1 + AWAY))

    # The citizen resumes on B from the last seq it saw: the missed messages, in order.
    last_seen = max(m["seq"] for m in citizen_seen)
    again = await Client.open(b, "/ws/citizen/")
    await again.send({"type": "conversation.resume", "token": token, "last_seq": last_seen})
    done = await again.until("replay.done")
    resumed = await again.until("conversation.state", reason="resumed")
    assert resumed["status"] == "active"
    assert done["last_seq"] == last + AWAY
    assert [m["client_id"] for m in again.messages()] == [f"o-away-{n}" for n in range(AWAY)]

    # The chat goes on, one more message each way.
    await again.post({"type": "message.send", "client_id": "c-back", "text": "jestem"})
    await officer.post(
        {
            "type": "message.send",
            "conversation_id": conversation_id,
            "client_id": "o-back",
            "text": "dobrze",
        }
    )
    final = last + AWAY + 2
    await again.until("message", seq=final)
    await officer.all_messages(final)

    # Everything, exactly once: on the officer's socket (history replayed at
    # the claim, the rest live), and on the citizen's two sockets together.
    everyone = {"c-danger", "c-back", "o-back"}
    everyone |= {f"{side}-{n}" for side in "co" for n in range(EACH_WAY)}
    everyone |= {f"o-away-{n}" for n in range(AWAY)}
    on_officer = [m for m in officer.messages() if m["conversation_id"] == conversation_id]
    assert_exactly_once_in_order(on_officer, 1)
    assert {m["client_id"] for m in on_officer} == everyone
    assert_exactly_once_in_order(citizen.messages(), 1)
    assert_exactly_once_in_order(again.messages(), last_seen + 1)
    on_citizen = [*citizen.messages(), *again.messages()]
    assert_exactly_once_in_order(on_citizen, 1)
    assert {m["client_id"] for m in on_citizen} == everyone
    stored = db.rows("SELECT client_id FROM advice_message WHERE conversation_id = ?", entry["id"])
    assert sorted(client_id for (client_id,) in stored) == sorted(everyone)
    for client in (again, officer, supervisor):
        await client.close()
