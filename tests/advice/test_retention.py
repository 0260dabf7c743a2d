"""The retention rule erases citizens' words after the retention period, and only then."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from advice.models import AuditEvent, Conversation, Message, SenderKind
from advice.services.conversations import (
    conversation_close,
    conversation_resume,
    conversation_start,
)
from advice.services.messages import message_post
from core.errors import DomainError

pytestmark = pytest.mark.django_db


def ended_conversation(days_ago: float) -> tuple[Conversation, str]:
    started = conversation_start(prechat={"what_happened": "phishing"})
    message_post(
        conversation_id=started.conversation.pk,
        sender=SenderKind.CITIZEN,
        client_id="c",
        text="my bank login",
    )
    conversation_close(conversation_id=started.conversation.pk, by="citizen")
    Conversation.objects.filter(pk=started.conversation.pk).update(
        closed_at=timezone.now() - timedelta(days=days_ago), rating=4, rating_comment="thanks, Anna"
    )
    return started.conversation, started.token


def test_old_conversations_lose_their_words_but_keep_their_figures(settings):
    settings.RETENTION_DAYS = 30
    old, token = ended_conversation(days_ago=31)
    recent, _ = ended_conversation(days_ago=5)

    call_command("apply_retention", verbosity=0)

    old.refresh_from_db()
    assert old.erased_at is not None
    assert not Message.objects.filter(conversation=old).exists()
    assert (old.rating_comment, old.prechat, old.triage_reasons) == ("", {}, [])
    assert (old.rating, old.status, old.category) == (4, "abandoned", old.category)
    with pytest.raises(DomainError):
        conversation_resume(token=token)
    assert Message.objects.filter(conversation=recent).count() == 1
    assert (
        AuditEvent.objects.filter(action="conversation.erased", object_id=str(old.pk)).count() == 1
    )

    call_command("apply_retention", verbosity=0)
    assert AuditEvent.objects.filter(action="conversation.erased").count() == 1


def test_open_conversations_are_never_erased(settings):
    settings.RETENTION_DAYS = 0
    started = conversation_start()
    message_post(
        conversation_id=started.conversation.pk,
        sender=SenderKind.CITIZEN,
        client_id="c",
        text="help",
    )
    call_command("apply_retention", verbosity=0)
    assert Message.objects.filter(conversation=started.conversation).count() == 1
