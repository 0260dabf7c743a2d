"""Simulated citizens and officers over real websockets, and what they observe.

A citizen starts a conversation, writes one message while waiting (so triage runs), waits
until an officer has claimed it, then writes at a fixed rate on an open-loop schedule (it
never waits for an answer before the next message, so a slow server cannot slow the load
down and hide its own latency). Officers go on duty and claim the run's new queue entries,
spread evenly by one in-process dispatcher; optionally they reply to every k-th message.

Messages leave as the browser's outbox (``common/outbox.js``) sends them: in order, at most
``window`` per socket on the wire, the rest queued; a message refused with ``busy``,
``rate_limited`` or ``temporarily_unavailable`` is sent again with the same ``client_id``
(with the ones after it) after the refusal's ``retry_after`` plus a random, growing extra
pause, and given up after ``GIVE_UP_SECONDS`` of refusals.

Every message carries ``client_id = <run>.<conversation>.<k>`` and its send time
(``t=<monotonic ns>``) in the text; receivers check them against what was sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

STAMP = re.compile(r"\bt=(\d+)\b")
# As the browser's outbox: refusals that mean "later", the random extra pause after the
# server's hint (seconds, doubling per attempt up to the cap), and when to give up.
RETRY_CODES = frozenset({"busy", "rate_limited", "temporarily_unavailable"})
JITTER_BASE = 0.25
JITTER_MAX = 8.0
GIVE_UP_SECONDS = 60.0
# Messages on the wire per conversation, as the browser's outbox keeps them (the console
# has one outbox per chat).
CITIZEN_WINDOW = 4
OFFICER_WINDOW = 4
WAITING_TEXTS = (
    "Kliknąłem link z SMS-a o dopłacie do paczki i podałem dane karty. Co mam teraz zrobić?",
    "Někdo mi volal jako pracovník banky a chtěl, abych převedl peníze na bezpečný účet.",
    "I paid for a phone on a marketplace two days ago and the seller stopped answering.",
    "Мені написали в месенджері від імені друга і попросили гроші, я переказала 2000 грн.",
    "Jemand hat sich in mein E-Mail-Konto eingeloggt und das Passwort geändert.",
)
LANGUAGES = ("pl", "cs", "en", "uk", "de")
# With several server processes, the pre-chat answer "what happened" tells the dispatcher
# which process a citizen is on (the queue card carries it; the conversation id is not known
# to the citizen): citizens on the i-th port answer the i-th category.
PORT_CATEGORIES = ("phishing", "bank_impersonation", "marketplace_fraud", "account_takeover")
MAX_PORTS = len(PORT_CATEGORIES)


def now_ns() -> int:
    return time.monotonic_ns()


def message_text(conversation: int, k: int, size: int) -> str:
    head = f"bench {conversation}/{k} t={now_ns()} "
    return head + "x" * max(0, size - len(head))


@dataclass
class Observed:
    """Everything the simulated clients saw, for the report."""

    # Citizen → officer.
    sent: dict[str, int] = field(default_factory=dict)  # client_id → send time (ns)
    live: set[str] = field(default_factory=set)  # sent after the claim: timed
    acked: set[str] = field(default_factory=set)
    ack_latency_ms: list[float] = field(default_factory=list)
    delivered: dict[str, int] = field(default_factory=dict)  # client_id → receive time (ns)
    latency_ms: list[tuple[int, float]] = field(default_factory=list)  # (receive ns, ms)
    duplicated: int = 0
    echo_duplicated: int = 0  # a citizen got its own message frame twice
    # Officer → citizen replies.
    reply_sent: dict[str, int] = field(default_factory=dict)
    reply_acked: set[str] = field(default_factory=set)
    reply_delivered: dict[str, int] = field(default_factory=dict)  # client_id → receive ns
    reply_latency_ms: list[float] = field(default_factory=list)
    reply_duplicated: int = 0
    # Per-socket sequence checks on officer sockets.
    seq_gaps: int = 0
    seq_backwards: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    foreign_frames: int = 0
    conversations_started: int = 0
    conversations_claimed: int = 0
    # Claims by an officer on another server process than the citizen's (every message of
    # such a conversation crosses the channel layer), and sockets opened per port.
    cross_process_claims: int = 0
    sockets_by_port: Counter[int] = field(default_factory=Counter)
    unclaimed: int = 0
    sockets_dropped: int = 0
    busy: int = 0  # retry refusals received (each answered by a resend)
    refused: Counter[str] = field(default_factory=Counter)  # the same, by code
    busy_given_up: int = 0
    first_live_send: list[int] = field(default_factory=list)  # per conversation
    last_live_send: list[int] = field(default_factory=list)

    claimed: set[str] = field(default_factory=set)  # "<run>.<conversation>" once joined

    def outstanding(self) -> int:
        """Messages of claimed conversations (both ways) that their receiver has not seen yet."""
        missing = sum(
            1
            for cid in self.sent
            if cid not in self.delivered and cid.rsplit(".", 1)[0] in self.claimed
        )
        return missing + sum(1 for cid in self.reply_sent if cid not in self.reply_delivered)


async def _send(ws: ClientConnection, frame: dict[str, Any]) -> None:
    await ws.send(json.dumps(frame, ensure_ascii=False))


class Outbox:
    """One conversation's messages not acknowledged yet, sent as the browser's outbox sends
    them.

    In order, at most ``window`` on the wire. When one is refused for now the server holds
    back every later message of that conversation (``chat/send_order.py``), so the refused
    one and all after it go again, in order, after the server's ``retry_after`` plus jitter.
    """

    def __init__(self, observed: Observed, *, window: int) -> None:
        self.observed = observed
        self.window = window
        self.ws: ClientConnection | None = None
        self.pending: list[dict[str, Any]] = []  # not acknowledged, in order
        self.inflight: set[str] = set()
        self.attempts: dict[str, int] = {}
        self.first_refused: dict[str, float] = {}
        self.paused = False
        self.tasks: set[asyncio.Task[None]] = set()

    def submit(self, frame: dict[str, Any]) -> None:
        self.pending.append(frame)
        self._pump()

    def acked(self, client_id: str) -> None:
        self.pending = [frame for frame in self.pending if frame["client_id"] != client_id]
        self.inflight.discard(client_id)
        self.attempts.pop(client_id, None)
        self.first_refused.pop(client_id, None)
        self._pump()

    def refused(self, error: dict[str, Any]) -> bool:
        """An error frame; True if it refused one of ours for now (it goes again)."""
        client_id = str(error.get("ref", ""))
        code = str(error.get("code"))
        index = next(
            (i for i, frame in enumerate(self.pending) if frame["client_id"] == client_id), None
        )
        if code not in RETRY_CODES:
            return False
        if index is None or client_id not in self.inflight:
            # Held back behind an earlier refusal and already taken back, or a resend that
            # crossed its own acknowledgement: nothing to do.
            return True
        self.observed.busy += 1
        self.observed.refused[code] += 1
        now = time.monotonic()
        if now - self.first_refused.setdefault(client_id, now) > GIVE_UP_SECONDS:
            self.observed.busy_given_up += 1
            self.inflight.discard(client_id)
            del self.pending[index]
            self._pump()
            return True
        for frame in self.pending[index:]:
            self.inflight.discard(frame["client_id"])
        attempt = self.attempts.get(client_id, 0)
        self.attempts[client_id] = attempt + 1
        retry_after = float(error.get("retry_after", 0))
        self._pause(retry_after + random.random() * min(JITTER_MAX, JITTER_BASE * 2**attempt))
        return True

    def _pump(self) -> None:
        if self.paused or self.ws is None:
            return
        for frame in self.pending:
            if len(self.inflight) >= self.window:
                return
            if frame["client_id"] in self.inflight:
                continue
            self.inflight.add(frame["client_id"])
            self._spawn(_send(self.ws, frame))

    def _pause(self, delay: float) -> None:
        self.paused = True

        async def resume() -> None:
            await asyncio.sleep(delay)
            self.paused = False
            self._pump()

        self._spawn(resume())

    def _spawn(self, work: Any) -> None:
        async def run() -> None:
            with contextlib.suppress(ConnectionClosed):
                await work

        task = asyncio.get_running_loop().create_task(run())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)


def open_socket(port: int, path: str, cookie: str | None = None) -> Any:
    # The session cookie is "__Host-sessionid" where cookies are secure (DEBUG off, not the
    # embedded mode), else "sessionid": send both, the server reads its own.
    headers = {"Cookie": f"sessionid={cookie}; __Host-sessionid={cookie}"} if cookie else None
    return connect(
        f"ws://127.0.0.1:{port}{path}",
        origin=f"http://127.0.0.1:{port}",  # type: ignore[arg-type]
        additional_headers=headers,
        compression=None,
        ping_interval=None,
        open_timeout=60,
        close_timeout=5,
        max_size=2**20,
    )


class Outboxes:
    """A console's outboxes, one per conversation, as the console keeps them
    (``frontend/.../console/chats.js``): a refusal in one chat holds back only that chat."""

    def __init__(self, observed: Observed, *, window: int) -> None:
        self.observed = observed
        self.window = window
        self.by_conversation: dict[int, Outbox] = {}
        self.by_client_id: dict[str, Outbox] = {}
        self._ws: ClientConnection | None = None

    @property
    def ws(self) -> ClientConnection | None:
        return self._ws

    @ws.setter
    def ws(self, ws: ClientConnection | None) -> None:
        self._ws = ws
        for outbox in self.by_conversation.values():
            outbox.ws = ws

    def submit(self, frame: dict[str, Any]) -> None:
        conversation_id = int(frame["conversation_id"])
        outbox = self.by_conversation.get(conversation_id)
        if outbox is None:
            outbox = Outbox(self.observed, window=self.window)
            outbox.ws = self._ws
            self.by_conversation[conversation_id] = outbox
        self.by_client_id[frame["client_id"]] = outbox
        outbox.submit(frame)

    def acked(self, client_id: str) -> None:
        outbox = self.by_client_id.pop(client_id, None)
        if outbox is not None:
            outbox.acked(client_id)

    def refused(self, error: dict[str, Any]) -> bool:
        outbox = self.by_client_id.get(str(error.get("ref", "")))
        if outbox is None:
            return str(error.get("code")) in RETRY_CODES
        return outbox.refused(error)


class Officer:
    """One officer console socket: on duty, claims what the dispatcher gives it."""

    def __init__(
        self, index: int, port: int, session: str, observed: Observed, run: str, reply_every: int
    ) -> None:
        self.index = index
        self.port = port
        self.session = session
        self.observed = observed
        self.run = run
        self.reply_every = reply_every
        self.ws: ClientConnection | None = None
        self.snapshot_ids: set[int] = set()
        self.claimed: set[int] = set()
        self.dispatcher: Dispatcher | None = None
        self.last_seq: dict[int, int] = {}
        self.received: Counter[int] = Counter()
        self.reply_count = 0
        self.outbox = Outboxes(observed, window=OFFICER_WINDOW)
        self._on_duty = asyncio.Event()
        self._snapshot = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    @property
    def load(self) -> int:
        return len(self.claimed)

    async def connect(self) -> None:
        self.ws = await open_socket(self.port, "/ws/officer/", self.session)
        self.observed.sockets_by_port[self.port] += 1
        self.outbox.ws = self.ws
        self._reader = asyncio.get_running_loop().create_task(self._read())
        await asyncio.wait_for(self._snapshot.wait(), 30)
        await _send(self.ws, {"type": "duty.set", "on_duty": True})
        await asyncio.wait_for(self._on_duty.wait(), 30)

    async def claim(self, conversation_id: int) -> None:
        if self.ws is None:
            raise RuntimeError("not connected")
        self.claimed.add(conversation_id)
        await _send(self.ws, {"type": "conversation.claim", "conversation_id": conversation_id})

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                await self._reader

    async def _read(self) -> None:
        if self.ws is None:
            raise RuntimeError("not connected")
        try:
            async for raw in self.ws:
                received = now_ns()
                frame = json.loads(raw)
                await self._handle(frame, received)
        except ConnectionClosed:
            pass
        if self.ws.close_code not in (1000, 1001, None):
            self.observed.sockets_dropped += 1

    async def _handle(self, frame: dict[str, Any], received: int) -> None:
        kind = frame.get("type")
        if kind == "message":
            self._on_message(frame, received)
            if frame.get("sender") == "officer":
                self._reply_acked(str(frame.get("client_id", "")))
            if (
                self.reply_every
                and frame.get("sender") == "citizen"
                and str(frame.get("client_id", "")).startswith(self.run + ".")
            ):
                conversation_id = frame["conversation_id"]
                self.received[conversation_id] += 1
                if self.received[conversation_id] % self.reply_every == 0:
                    await self._reply(conversation_id)
        elif kind == "ack":
            self._reply_acked(frame.get("client_id", ""), duplicate=bool(frame.get("duplicate")))
        elif kind == "queue.entry":
            if self.dispatcher is not None:
                await self.dispatcher.offer(frame["entry"])
        elif kind == "queue.snapshot":
            ids = {entry["id"] for entry in frame.get("entries", [])}
            # A long queue comes in parts: part 0 replaces, later parts append.
            self.snapshot_ids = self.snapshot_ids | ids if frame.get("part") else ids
            self._snapshot.set()
        elif kind == "duty.state":
            if frame.get("on_duty"):
                self._on_duty.set()
        elif kind == "error":
            if self.outbox.refused(frame):
                return
            self.observed.errors[f"officer:{frame.get('code')}"] += 1

    def _reply_acked(self, cid: str, *, duplicate: bool = False) -> None:
        """A reply of ours is stored: its ``ack`` (a resend) or its own ``message`` frame."""
        self.outbox.acked(cid)
        if cid in self.observed.reply_sent and not duplicate:
            self.observed.reply_acked.add(cid)

    def _on_message(self, frame: dict[str, Any], received: int) -> None:
        observed = self.observed
        conversation_id = frame["conversation_id"]
        seq = frame["seq"]
        last = self.last_seq.get(conversation_id, 0)
        if seq <= last:
            observed.seq_backwards += 1
        else:
            observed.seq_gaps += seq - last - 1
            self.last_seq[conversation_id] = seq
        if frame.get("sender") != "citizen":
            return
        cid = str(frame.get("client_id", ""))
        if cid not in observed.sent:
            observed.foreign_frames += 1
            return
        if cid in observed.delivered:
            observed.duplicated += 1
            return
        observed.delivered[cid] = received
        if cid in observed.live:
            stamp = STAMP.search(frame.get("text", ""))
            if stamp:
                observed.latency_ms.append((received, (received - int(stamp.group(1))) / 1e6))

    async def _reply(self, conversation_id: int) -> None:
        if self.ws is None:
            raise RuntimeError("not connected")
        self.reply_count += 1
        cid = f"{self.run}.o{self.index}.{self.reply_count}"
        self.observed.reply_sent[cid] = now_ns()
        text = f"reply {conversation_id} t={now_ns()}"
        frame = {
            "type": "message.send",
            "conversation_id": conversation_id,
            "client_id": cid,
            "text": text,
        }
        self.outbox.submit(frame)


class Dispatcher:
    """Gives each new queue entry of this run to the least-loaded officer, once.

    With ``ports`` (several server processes), an officer on another process than the
    citizen's (read from the card's pre-chat answer, ``PORT_CATEGORIES``) is preferred, so
    that the conversation's messages cross the channel layer both ways.
    """

    def __init__(self, officers: list[Officer], capacity: int, ports: tuple[int, ...] = ()) -> None:
        self.officers = officers
        self.capacity = capacity
        self.ports = ports
        self.seen: set[int] = set()
        for officer in officers:
            officer.dispatcher = self
            self.seen |= officer.snapshot_ids

    def _citizen_port(self, entry: dict[str, Any]) -> int | None:
        if len(self.ports) < 2:
            return None
        category = (entry.get("prechat") or {}).get("what_happened")
        if category not in PORT_CATEGORIES[: len(self.ports)]:
            return None
        return self.ports[PORT_CATEGORIES.index(category)]

    async def offer(self, entry: dict[str, Any]) -> None:
        conversation_id = entry["id"]
        if conversation_id in self.seen or entry.get("status") != "waiting":
            return
        if entry.get("requeued"):
            return
        self.seen.add(conversation_id)
        citizen_port = self._citizen_port(entry)
        elsewhere = [o for o in self.officers if o.port != citizen_port and o.load < self.capacity]
        officer = min(elsewhere or self.officers, key=lambda o: o.load)
        if officer.load >= self.capacity:
            return
        if citizen_port is not None and officer.port != citizen_port:
            officer.observed.cross_process_claims += 1
        await officer.claim(conversation_id)


class Citizen:
    """One citizen: starts, writes while waiting, then writes at ``rate`` once claimed."""

    def __init__(
        self,
        index: int,
        port: int,
        observed: Observed,
        run: str,
        *,
        waiting_messages: int,
        messages: int,
        rate: float,
        text_size: int,
        category: str = "phishing",
    ) -> None:
        self.index = index
        self.port = port
        self.category = category
        self.observed = observed
        self.run = run
        self.waiting_messages = waiting_messages
        self.messages = messages
        self.rate = rate
        self.text_size = text_size
        self.ws: ClientConnection | None = None
        self.k = 0
        self._started = asyncio.Event()
        self._joined = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None
        self.seen_own: set[str] = set()
        self.outbox = Outbox(observed, window=CITIZEN_WINDOW)

    async def start(self) -> None:
        self.ws = await open_socket(self.port, "/ws/citizen/")
        self.observed.sockets_by_port[self.port] += 1
        self.outbox.ws = self.ws
        self._reader = asyncio.get_running_loop().create_task(self._read())
        language = LANGUAGES[self.index % len(LANGUAGES)]
        await _send(
            self.ws,
            {
                "type": "conversation.start",
                "browser_language": language,
                "prechat": {"what_happened": self.category, "happening_now": False},
            },
        )
        await asyncio.wait_for(self._started.wait(), 60)
        self.observed.conversations_started += 1
        for _ in range(self.waiting_messages):
            await self._message(WAITING_TEXTS[self.index % len(WAITING_TEXTS)], live=False)

    async def talk(self, claim_timeout: float) -> None:
        """Wait for the officer, then send ``messages`` at ``rate`` per second."""
        if self.ws is None:
            raise RuntimeError("not connected")
        try:
            await asyncio.wait_for(self._joined.wait(), claim_timeout)
        except TimeoutError:
            self.observed.unclaimed += 1
            return
        self.observed.conversations_claimed += 1
        self.observed.claimed.add(f"{self.run}.{self.index}")
        loop = asyncio.get_running_loop()
        # Spread the conversations' send instants over the interval instead of in lockstep.
        begin = loop.time() + (self.index * 0.618034 % 1.0) / self.rate
        for n in range(self.messages):
            delay = begin + n / self.rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                await self._message(None, live=True)
            except ConnectionClosed:
                return
            if n == 0:
                self.observed.first_live_send.append(now_ns())
        self.observed.last_live_send.append(now_ns())

    async def end(self) -> None:
        if self.ws is None:
            return
        with contextlib.suppress(ConnectionClosed):
            await _send(self.ws, {"type": "conversation.end"})
            await asyncio.sleep(0.2)
        await self.ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                await self._reader

    async def _message(self, text: str | None, *, live: bool) -> None:
        if self.ws is None:
            raise RuntimeError("not connected")
        self.k += 1
        cid = f"{self.run}.{self.index}.{self.k}"
        body = text if text is not None else message_text(self.index, self.k, self.text_size)
        self.observed.sent[cid] = now_ns()
        if live:
            self.observed.live.add(cid)
        self.outbox.submit({"type": "message.send", "client_id": cid, "text": body})

    async def _read(self) -> None:
        if self.ws is None:
            raise RuntimeError("not connected")
        try:
            async for raw in self.ws:
                received = now_ns()
                self._handle(json.loads(raw), received)
        except ConnectionClosed:
            pass
        if self.ws.close_code not in (1000, 1001, None):
            self.observed.sockets_dropped += 1

    def _acked(self, cid: str, received: int, *, duplicate: bool = False) -> None:
        """A message of ours is stored: its ``ack`` (a resend) or its own ``message`` frame."""
        observed = self.observed
        self.outbox.acked(cid)
        if cid in observed.sent and not duplicate and cid not in observed.acked:
            observed.acked.add(cid)
            observed.ack_latency_ms.append((received - observed.sent[cid]) / 1e6)

    def _handle(self, frame: dict[str, Any], received: int) -> None:
        observed = self.observed
        kind = frame.get("type")
        if kind == "ack":
            self._acked(
                frame.get("client_id", ""), received, duplicate=bool(frame.get("duplicate"))
            )
        elif kind == "message":
            cid = str(frame.get("client_id", ""))
            if frame.get("sender") == "citizen":
                if cid in self.seen_own:
                    observed.echo_duplicated += 1
                self.seen_own.add(cid)
                self._acked(cid, received)
            elif frame.get("sender") == "officer" and cid in observed.reply_sent:
                if cid in observed.reply_delivered:
                    observed.reply_duplicated += 1
                    return
                observed.reply_delivered[cid] = received
                stamp = STAMP.search(frame.get("text", ""))
                if stamp:
                    observed.reply_latency_ms.append((received - int(stamp.group(1))) / 1e6)
        elif kind == "conversation.started":
            self._started.set()
        elif kind == "conversation.state":
            if frame.get("reason") == "officer_joined":
                self._joined.set()
        elif kind == "error":
            if self.outbox.refused(frame):
                return
            observed.errors[f"citizen:{frame.get('code')}"] += 1
