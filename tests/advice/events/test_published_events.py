"""What each publishing service sends, to whom — and only once its transaction commits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from advice.events import outbox
from advice.events.groups import CITIZEN_QUEUE_GROUP, QUEUE_GROUP, SUPERVISOR_GROUP
from advice.models import SenderKind
from advice.services.conversations import (
    conversation_claim,
    conversation_close,
    conversation_start,
)
from advice.services.messages import message_post
from advice.services.notes import note_add
from advice.services.presence import officer_set_duty
from advice.services.triage_apply import conversation_override

pytestmark = pytest.mark.django_db(transaction=True)

Sent = list[tuple[str, str, str]]


@contextmanager
def sent() -> Iterator[Sent]:
    """Collect the (group, type, reason) of every event that leaves after commit."""
    result: Sent = []
    with outbox.collecting() as box:
        yield result
        result.extend(
            (group, event["frame"]["type"], event["frame"].get("reason", ""))
            for group, event in box
        )


def conv(conversation_id: int, audience: str) -> str:
    return f"conv.{conversation_id}.{audience}"


def test_a_start_announces_the_queue_entry_and_suggestions() -> None:
    with sent() as events:
        started = conversation_start(browser_language="pl", prechat={})
    cid = started.conversation.pk
    assert (QUEUE_GROUP, "queue.entry", "") in events
    assert (SUPERVISOR_GROUP, "queue.changed", "") in events
    assert (CITIZEN_QUEUE_GROUP, "queue.changed", "") in events
    assert (conv(cid, "citizen"), "suggestions", "") in events
    assert all(kind != "message" for _group, kind, _reason in events)


def test_a_message_is_one_event_for_both_audiences(
    make_officer: Callable[..., AbstractUser],
) -> None:
    cid = conversation_start(browser_language="pl").conversation.pk
    with sent() as events:
        message_post(conversation_id=cid, sender=SenderKind.CITIZEN, client_id="c1", text="Halo")
    messages = [(group, kind) for group, kind, _reason in events if kind == "message"]
    assert messages == [(conv(cid, "all"), "message")]


def test_a_claim_removes_the_entry_and_tells_the_officer_and_the_citizen(
    make_officer: Callable[..., AbstractUser],
) -> None:
    officer = make_officer()
    cid = conversation_start(browser_language="pl").conversation.pk
    with sent() as events:
        conversation_claim(conversation_id=cid, officer=officer)
    assert (QUEUE_GROUP, "queue.removed", "claimed") in events
    assert (conv(cid, "citizen"), "conversation.state", "officer_joined") in events
    assert (f"officer.{officer.pk}", "conversation.state", "assigned") in events


def test_closing_tells_both_sides_who_ended_it(make_officer: Callable[..., AbstractUser]) -> None:
    officer = make_officer()
    cid = conversation_start(browser_language="pl").conversation.pk
    conversation_claim(conversation_id=cid, officer=officer)
    with sent() as events:
        conversation_close(
            conversation_id=cid, by="officer", officer=officer, outcome="advice_given"
        )
    assert (conv(cid, "citizen"), "conversation.state", "ended_by_officer") in events
    assert (conv(cid, "staff"), "conversation.state", "ended_by_officer") in events


def test_a_note_reaches_staff_only(make_officer: Callable[..., AbstractUser]) -> None:
    officer = make_officer()
    cid = conversation_start(browser_language="pl").conversation.pk
    conversation_claim(conversation_id=cid, officer=officer)
    with sent() as events:
        note_add(conversation_id=cid, officer=officer, client_id="n1", text="Oddzwonić")
    assert events == [(conv(cid, "staff"), "note", "")]


def test_an_override_to_p1_refreshes_the_queue_and_the_state(
    make_officer: Callable[..., AbstractUser],
) -> None:
    officer = make_officer()
    cid = conversation_start(browser_language="pl").conversation.pk
    with sent() as events:
        conversation_override(conversation_id=cid, officer=officer, changes={"urgency": "P1"})
    assert (QUEUE_GROUP, "queue.entry", "") in events
    assert (conv(cid, "staff"), "conversation.state", "triage") in events


def test_going_off_duty_updates_supervisors_but_not_waiting_citizens(
    make_officer: Callable[..., AbstractUser],
) -> None:
    officer = make_officer()
    with sent() as events:
        officer_set_duty(officer=officer, on_duty=False)
    assert events == [(SUPERVISOR_GROUP, "queue.changed", "")]


def test_nothing_leaves_when_the_transaction_rolls_back() -> None:
    class Abort(Exception):
        pass

    with sent() as events:
        try:
            with transaction.atomic():
                conversation_start(browser_language="pl")
                raise Abort
        except Abort:
            pass
    assert events == []


def test_an_unknown_outcome_is_refused_before_anything_is_stored(
    make_officer: Callable[..., AbstractUser],
) -> None:
    officer = make_officer()
    cid = conversation_start(browser_language="pl").conversation.pk
    conversation_claim(conversation_id=cid, officer=officer)
    with sent() as events, pytest.raises(Exception, match="Unknown outcome") as refused:
        conversation_close(conversation_id=cid, by="officer", officer=officer, outcome="x" * 20)
    error: Any = refused.value
    assert error.code == "invalid_field"
    assert events == []
