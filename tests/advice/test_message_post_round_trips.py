"""On PostgreSQL a chat message costs one statement (one round trip), in either direction."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AbstractUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advice.models import Conversation, Message, SenderKind
from advice.services.conversations import conversation_claim, conversation_start
from advice.services.messages import message_post

pytestmark = pytest.mark.django_db(transaction=True)


def active_conversation(officer: AbstractUser) -> int:
    cid = conversation_start(browser_language="pl").conversation.pk
    conversation_claim(conversation_id=cid, officer=officer)
    return cid


def test_a_message_each_way_is_one_statement_on_postgresql(
    make_officer: Callable[..., AbstractUser],
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement write is PostgreSQL's")
    officer = make_officer()
    cid = active_conversation(officer)
    with CaptureQueriesContext(connection) as citizen:
        message_post(conversation_id=cid, sender=SenderKind.CITIZEN, client_id="c1", text="Hi")
    with CaptureQueriesContext(connection) as staff:
        message_post(
            conversation_id=cid,
            sender=SenderKind.OFFICER,
            officer=officer,
            author_name="Officer Kowalska",
            client_id="o1",
            text="Hello",
        )
    assert (len(citizen), len(staff)) == (1, 1)
    stored = list(Message.objects.filter(conversation_id=cid).values_list("seq", "author_name"))
    assert stored == [(1, ""), (2, "Officer Kowalska")]
    conversation = Conversation.objects.get(pk=cid)
    assert conversation.last_seq == 2
    assert conversation.first_officer_message_at is not None
    assert conversation.citizen_last_seen_at is not None


def test_a_resend_neither_stores_twice_nor_skips_a_number(
    make_officer: Callable[..., AbstractUser],
) -> None:
    officer = make_officer()
    cid = active_conversation(officer)
    first = message_post(conversation_id=cid, sender=SenderKind.CITIZEN, client_id="a", text="1")
    again = message_post(conversation_id=cid, sender=SenderKind.CITIZEN, client_id="a", text="1")
    after = message_post(conversation_id=cid, sender=SenderKind.CITIZEN, client_id="b", text="2")
    assert (first.duplicate, again.duplicate, after.duplicate) == (False, True, False)
    assert (first.message.seq, again.message.seq, after.message.seq) == (1, 1, 2)
    assert Conversation.objects.get(pk=cid).last_seq == 2
