"""Resume codes and left messages, through the services a citizen's frames call."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from advice.models import AuditEvent, Conversation, ConversationStatus, SenderKind
from advice.services import resume_codes
from advice.services.conversations import (
    citizen_disconnected,
    citizen_resume_expired,
    conversation_close,
    conversation_resume,
    conversation_start,
)
from advice.services.leases import SocketRef, process_beat
from advice.services.messages import message_post
from core.errors import DomainError, ErrorCode

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _live_process():
    process_beat(process_id=PROCESS_ID)


PROCESS_ID = "test:1:resume"
CITIZEN_SOCKET = SocketRef(PROCESS_ID, "test.citizen")


def started_with_code(*, write: bool = True) -> tuple[Conversation, str, str]:
    """A conversation whose citizen wrote (unless not ``write``) and was shown a code."""
    started = conversation_start(language="pl", socket=CITIZEN_SOCKET)
    if write:
        message_post(
            conversation_id=started.conversation.pk,
            sender=SenderKind.CITIZEN,
            client_id="c1",
            text="Ktoś przejął moje konto",
        )
    issued = resume_codes.resume_code_new()
    resume_codes.resume_code_store(conversation_id=started.conversation.pk, issued=issued)
    return started.conversation, started.token, issued.code


def resume(code: str, *, address: str = "203.0.113.5") -> resume_codes.StartedConversation:
    candidates = resume_codes.resume_code_lookup(code=code, address=address)
    candidate = resume_codes.resume_code_verify(code=code, candidates=candidates)
    return resume_codes.conversation_resume_with_code(candidate=candidate)


def test_the_code_is_stored_only_as_a_slow_hash_beside_its_lookup_key():
    conversation, _token, code = started_with_code()
    conversation.refresh_from_db()
    assert conversation.resume_hash.startswith("scrypt$")
    assert len(conversation.resume_lookup) == 64
    stored = " ".join(
        str(value)
        for value in Conversation.objects.filter(pk=conversation.pk).values().first().values()
    )
    assert code not in stored
    assert all(word not in conversation.resume_hash for word in code.split())
    assert AuditEvent.objects.filter(action="conversation.resume_code_issued").count() == 1


def test_resuming_with_the_code_gives_a_fresh_token_and_revokes_the_old_one():
    conversation, old_token, code = started_with_code()
    went_away(conversation)
    resumed = resume(code.upper().replace(" ", "-"))
    assert resumed.conversation.pk == conversation.pk
    assert resumed.token != old_token
    assert conversation_resume(token=resumed.token).pk == conversation.pk
    with pytest.raises(DomainError) as refused:
        conversation_resume(token=old_token)
    assert refused.value.code == ErrorCode.INVALID_TOKEN


def test_a_new_code_replaces_the_previous_one():
    conversation, _token, first = started_with_code()
    second = resume_codes.resume_code_new()
    resume_codes.resume_code_store(conversation_id=conversation.pk, issued=second)
    assert resume(second.code).conversation.pk == conversation.pk
    with pytest.raises(DomainError) as refused:
        resume(first)
    assert refused.value.code == ErrorCode.INVALID_CODE


def test_a_wrong_code_or_words_outside_the_list_are_refused():
    _conversation, _token, code = started_with_code()
    words = code.split()
    wrong = " ".join([*words[:5], "baba" if words[5] != "baba" else "bebe"])
    for typed in (wrong, "these are not six list words", ""):
        with pytest.raises(DomainError) as refused:
            resume(typed)
        assert refused.value.code == ErrorCode.INVALID_CODE


def test_the_sixth_attempt_from_one_address_is_refused_even_with_the_right_code(settings):
    settings.RESUME_CODE_ATTEMPTS = 5
    conversation, _token, code = started_with_code()
    for _ in range(5):
        with pytest.raises(DomainError):
            resume("baba baba baba baba baba baba", address="198.51.100.7")
    with pytest.raises(DomainError) as refused:
        resume(code, address="198.51.100.7")
    assert refused.value.code == ErrorCode.TOO_MANY_ATTEMPTS
    assert "Try again in 10 minutes" in refused.value.message
    # Another address is not affected.
    assert resume(code, address="198.51.100.8").conversation.pk == conversation.pk


def test_guesses_at_one_code_from_many_addresses_are_limited_too(settings):
    settings.RESUME_CODE_ATTEMPTS = 5
    _conversation, _token, code = started_with_code()
    head = code.split()[:2]
    for n in range(5):
        with pytest.raises(DomainError):
            resume(" ".join([*head, "baba", "baba", "baba", "baba"]), address=f"192.0.2.{n}")
    with pytest.raises(DomainError) as refused:
        resume(code, address="192.0.2.99")
    assert refused.value.code == ErrorCode.TOO_MANY_ATTEMPTS


def test_a_closed_conversation_can_be_read_with_its_code_for_the_documented_time(settings):
    conversation, _token, code = started_with_code()
    conversation_close(conversation_id=conversation.pk, by="citizen")
    assert resume(code).conversation.status == ConversationStatus.ABANDONED
    Conversation.objects.filter(pk=conversation.pk).update(
        closed_at=timezone.now() - timedelta(seconds=settings.CITIZEN_CODE_RESUME_SECONDS + 1)
    )
    with pytest.raises(DomainError) as refused:
        resume(code)
    assert refused.value.code == ErrorCode.INVALID_CODE


def went_away(conversation: Conversation) -> datetime | None:
    """The citizen's only socket closes; returns when the conversation will be given up."""
    return citizen_disconnected(conversation_id=conversation.pk, socket=CITIZEN_SOCKET)


def test_a_citizen_away_with_a_code_waits_longer_before_the_conversation_is_abandoned(settings):
    conversation, _token, _code = started_with_code()
    due = went_away(conversation)
    assert due is not None
    wait = (due - timezone.now()).total_seconds()
    assert settings.CITIZEN_CODE_RESUME_SECONDS - 5 < wait <= settings.CITIZEN_CODE_RESUME_SECONDS
    assert not citizen_resume_expired(conversation_id=conversation.pk)
    assert citizen_resume_expired(conversation_id=conversation.pk, now=due)


def test_without_a_message_the_short_wait_applies(settings):
    conversation, _token, _code = started_with_code(write=False)
    due = went_away(conversation)
    assert due is not None
    assert (due - timezone.now()).total_seconds() <= settings.CITIZEN_RESUME_SECONDS
    assert citizen_resume_expired(conversation_id=conversation.pk, now=due)


def test_a_left_message_is_marked_and_never_abandoned_by_the_timer():
    conversation, _token, _code = started_with_code()
    left = resume_codes.conversation_leave_message(conversation_id=conversation.pk)
    assert left.left_message
    assert went_away(conversation) is None
    later = timezone.now() + timedelta(days=30)
    assert not citizen_resume_expired(conversation_id=conversation.pk, now=later)
    assert AuditEvent.objects.filter(action="conversation.message_left").count() == 1


def test_a_message_can_be_left_only_after_writing_and_with_a_code():
    conversation, _token, _code = started_with_code(write=False)
    with pytest.raises(DomainError) as refused:
        resume_codes.conversation_leave_message(conversation_id=conversation.pk)
    assert refused.value.code == ErrorCode.TEXT_EMPTY
    no_code = conversation_start(language="pl").conversation
    with pytest.raises(DomainError) as refused:
        resume_codes.conversation_leave_message(conversation_id=no_code.pk)
    assert refused.value.code == ErrorCode.INVALID_TRANSITION
