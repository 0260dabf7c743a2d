"""A possible-risk conversation asks the citizen once whether they are safe; the answer counts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.utils import translation

from advice.events import outbox
from advice.events.groups import QUEUE_GROUP, SUPERVISOR_GROUP
from advice.models import AuditEvent, Conversation, SenderKind
from advice.services.conversations import conversation_start
from advice.services.messages import message_post
from advice.services.safety import conversation_safety_answer
from core.errors import DomainError, ErrorCode
from core.reason_text import reason_texts
from triage.engine import assess

pytestmark = pytest.mark.django_db(transaction=True)

# A controlling partner: below P1, inside the model's possible-risk band (checked below).
POSSIBLE_RISK_PL = "Mój chłopak jest bardzo zazdrosny i sprawdza mój telefon"


@contextmanager
def sent() -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """The (group, frame) of every event that leaves after commit."""
    result: list[tuple[str, dict[str, Any]]] = []
    with outbox.collecting() as box:
        yield result
        result.extend((group, event["frame"]) for group, event in box)


def kinds(events: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, str]]:
    return [(group, frame["type"]) for group, frame in events]


def codes(conversation: Conversation) -> list[str]:
    return [reason.get("code") for reason in conversation.triage_reasons]


def marked_conversation() -> Conversation:
    """A waiting conversation triage marked as possible risk from its first message."""
    cid = conversation_start(browser_language="pl").conversation.pk
    message_post(
        conversation_id=cid, sender=SenderKind.CITIZEN, client_id="c1", text=POSSIBLE_RISK_PL
    )
    return Conversation.objects.get(pk=cid)


def test_the_opening_message_is_in_the_possible_risk_band() -> None:
    result = assess(texts=[POSSIBLE_RISK_PL], browser_language="pl")
    assert (result.urgency != "P1", result.possible_risk) == (True, True), result


def test_triage_marks_the_card_and_asks_the_citizen_once() -> None:
    cid = conversation_start(browser_language="pl").conversation.pk
    with sent() as events:
        message_post(
            conversation_id=cid, sender=SenderKind.CITIZEN, client_id="c1", text=POSSIBLE_RISK_PL
        )
    conversation = Conversation.objects.get(pk=cid)
    assert conversation.possible_risk
    assert "possible_risk" in codes(conversation)
    assert kinds(events).count((f"conv.{cid}.citizen", "safety.ask")) == 1
    entry = next(frame for group, frame in events if frame["type"] == "queue.entry")
    assert entry["entry"]["possible_risk"] is True
    with sent() as again:
        message_post(conversation_id=cid, sender=SenderKind.CITIZEN, client_id="c2", text="halo?")
    assert (f"conv.{cid}.citizen", "safety.ask") not in kinds(again)


def test_not_safe_raises_to_p1_alerts_every_console_and_says_why() -> None:
    conversation = marked_conversation()
    assert conversation.urgency != "P1"
    with sent() as events:
        conversation_safety_answer(conversation_id=conversation.pk, answer="not_safe")
    conversation.refresh_from_db()
    assert (conversation.urgency, conversation.possible_risk) == ("P1", False)
    assert conversation.safety_answer == "not_safe"
    assert conversation.triage_reasons[0] == {"code": "citizen_not_safe", "to": "P1"}
    assert "possible_risk" not in codes(conversation)
    assert (QUEUE_GROUP, "alert.p1") in kinds(events)
    assert (SUPERVISOR_GROUP, "alert.p1") in kinds(events)
    entry = next(frame for group, frame in events if frame["type"] == "queue.entry")
    assert (entry["entry"]["urgency"], entry["entry"]["safety_answer"]) == ("P1", "not_safe")
    with translation.override("uk"):
        assert reason_texts(conversation.triage_reasons)[0] == (
            "людина відповіла, що зараз не в безпеці → P1"
        )
    audit = AuditEvent.objects.get(action="conversation.safety_answered")
    assert audit.params == {"answer": "not_safe"}


def test_safe_clears_the_mark_and_is_kept_as_a_reason_through_retriage() -> None:
    conversation = marked_conversation()
    urgency = conversation.urgency
    with sent() as events:
        conversation_safety_answer(conversation_id=conversation.pk, answer="safe")
    conversation.refresh_from_db()
    assert (conversation.urgency, conversation.possible_risk) == (urgency, False)
    assert (QUEUE_GROUP, "alert.p1") not in kinds(events)
    assert (f"conv.{conversation.pk}.staff", "conversation.state") in kinds(events)
    message_post(
        conversation_id=conversation.pk, sender=SenderKind.CITIZEN, client_id="c2", text="ok"
    )
    conversation.refresh_from_db()
    assert conversation.possible_risk is False
    assert conversation.triage_reasons[0] == {"code": "citizen_safe"}


def test_rather_not_say_keeps_the_mark_for_the_officer() -> None:
    conversation = marked_conversation()
    conversation_safety_answer(conversation_id=conversation.pk, answer="no_answer")
    conversation.refresh_from_db()
    assert conversation.possible_risk is True
    assert conversation.triage_reasons[0] == {"code": "citizen_no_answer"}
    assert "possible_risk" in codes(conversation)


def test_not_safe_stays_p1_when_later_messages_are_triaged_again() -> None:
    conversation = marked_conversation()
    conversation_safety_answer(conversation_id=conversation.pk, answer="not_safe")
    message_post(
        conversation_id=conversation.pk, sender=SenderKind.CITIZEN, client_id="c2", text="ok"
    )
    conversation.refresh_from_db()
    assert conversation.urgency == "P1"
    assert [r.get("code") for r in conversation.triage_reasons].count("citizen_not_safe") == 1


def test_the_question_is_answered_once() -> None:
    conversation = marked_conversation()
    conversation_safety_answer(conversation_id=conversation.pk, answer="safe")
    with pytest.raises(DomainError) as refused:
        conversation_safety_answer(conversation_id=conversation.pk, answer="not_safe")
    assert refused.value.code == ErrorCode.NOT_ALLOWED
    conversation.refresh_from_db()
    assert conversation.safety_answer == "safe"


def test_a_conversation_that_was_not_asked_cannot_answer() -> None:
    cid = conversation_start(browser_language="pl").conversation.pk
    with pytest.raises(DomainError) as refused:
        conversation_safety_answer(conversation_id=cid, answer="not_safe")
    assert refused.value.code == ErrorCode.NOT_ALLOWED
    assert Conversation.objects.get(pk=cid).urgency != "P1"


def test_an_unknown_answer_is_refused() -> None:
    conversation = marked_conversation()
    with pytest.raises(DomainError) as refused:
        conversation_safety_answer(conversation_id=conversation.pk, answer="maybe")
    assert refused.value.code == ErrorCode.INVALID_FIELD
