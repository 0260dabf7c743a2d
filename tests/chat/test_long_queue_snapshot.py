"""A console that connects while hundreds of conversations wait gets the whole queue, in
parts that each fit in one websocket message (Daphne closes a socket whose message is larger
than ``--websocket-max-message-size``, 64 KiB in production)."""

from __future__ import annotations

import json
import secrets

import pytest
from channels.db import database_sync_to_async

from advice.models import Conversation, ConversationStatus, Urgency
from core.triage_reasons import TriageReason

pytestmark = pytest.mark.django_db(transaction=True)

WEBSOCKET_MAX_MESSAGE = 65536
WAITING = 400


def _many_waiting() -> list[int]:
    reasons = [
        {"code": TriageReason.BLACKMAIL.value, "quotes": ["zaplac albo wysle zdjecia wszystkim"]},
        {"code": TriageReason.INTIMATE_IMAGES.value, "quotes": ["zdjecia"]},
    ]
    Conversation.objects.bulk_create(
        Conversation(
            token_hash=secrets.token_hex(32),
            status=ConversationStatus.WAITING,
            language="pl",
            urgency=Urgency.P2,
            category="sextortion",
            triage_reasons=reasons,
        )
        for _ in range(WAITING)
    )
    return list(
        Conversation.objects.filter(status=ConversationStatus.WAITING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


async def test_a_console_gets_a_long_queue_in_parts_that_fit_a_websocket_message(
    sockets, make_officer
):
    waiting = set(await database_sync_to_async(_many_waiting)())
    officer = await sockets("/ws/officer/", user=await database_sync_to_async(make_officer)())
    await officer.receive_until("officer.state")
    parts: list[dict[str, object]] = []
    seen: list[int] = []
    while set(seen) != waiting:
        raw = await officer.communicator.receive_from(timeout=5)
        assert len(raw.encode()) <= WEBSOCKET_MAX_MESSAGE
        frame = json.loads(raw)
        if frame["type"] != "queue.snapshot":
            continue
        parts.append(frame)
        seen += [entry["id"] for entry in frame["entries"]]
    assert [p["part"] for p in parts] == list(range(len(parts)))
    assert len(parts) > 1
    assert len(seen) == len(waiting), "every card once"
