"""Zero-width and bidi control characters cannot hide words from triage or search; the
message is stored exactly as typed."""

from __future__ import annotations

import pytest

from advice.models import Conversation, Message, SenderKind
from advice.services.conversations import conversation_start
from advice.services.messages import message_post
from advice.text import without_invisible_format

ZWSP, RLO, PDF = "\u200b", "\u202e", "\u202c"


def hidden(word: str) -> str:
    """``word`` with invisible characters between its letters."""
    return ZWSP.join(word[: len(word) // 2]) + RLO + word[len(word) // 2 :] + PDF


def triaged(text: str) -> Conversation:
    started = conversation_start(language="en")
    message_post(
        conversation_id=started.conversation.pk,
        sender=SenderKind.CITIZEN,
        client_id="c1",
        text=text,
    )
    return Conversation.objects.get(pk=started.conversation.pk)


@pytest.mark.django_db
def test_a_zero_width_space_does_not_turn_sextortion_into_other():
    plain = "This is sextortion, he blackmails me with my nude photos"
    sneaky = plain.replace("sextortion", hidden("sextortion")).replace(
        "blackmails", "black" + ZWSP + "mails"
    )
    clean = triaged(plain)
    assert clean.category == "sextortion"
    disguised = triaged(sneaky)
    assert (disguised.category, disguised.urgency) == (clean.category, clean.urgency)
    assert Message.objects.get(conversation=disguised).text == sneaky  # stored verbatim


def test_only_invisible_formatting_is_removed():
    text = "Zażółć ✋🏽 👩‍💻 שלום" + "".join(map(chr, range(0x202A, 0x202F)))
    assert without_invisible_format(text) == "Zażółć ✋🏽 👩💻 שלום"
