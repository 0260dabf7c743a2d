"""Which events each change of a conversation sends, and to whom (after commit).

Services call these inside their transaction; ``advice.events.outbox`` holds the frames
until the commit and drops them on a rollback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from advice.events import frames
from advice.events.groups import (
    CITIZEN_QUEUE_GROUP,
    QUEUE_GROUP,
    SUPERVISOR_GROUP,
    conversation_group,
    officer_group,
    unit_group,
)
from advice.events.outbox import publish
from advice.models import Conversation, ConversationNote, Message
from advice.selectors import (
    conversation_previews,
    money_moving,
    officer_display_name,
    suggestions_for,
)
from core.vocabulary import StateReason


def publish_queue_changed(*, citizens: bool = True) -> None:
    """Tell supervisors (and, with ``citizens``, waiting citizens) that the queue changed."""
    publish(SUPERVISOR_GROUP, frames.queue_changed())
    if citizens:
        publish(CITIZEN_QUEUE_GROUP, frames.queue_changed())


def publish_queue_entry(conversation: Conversation) -> None:
    """Tell on-duty staff that a waiting conversation appeared or changed."""
    preview = conversation_previews([conversation.pk]).get(conversation.pk, "")
    publish(QUEUE_GROUP, frames.queue_entry(conversation, preview=preview))
    publish_queue_changed()


def publish_queue_removed(conversation_id: int, *, reason: StateReason) -> None:
    publish(QUEUE_GROUP, frames.queue_removed(conversation_id, reason=reason))
    publish_queue_changed()


def publish_state(conversation: Conversation, *, reason: StateReason) -> None:
    """Send the conversation's new state to its citizen and to the staff watching it."""
    publish(
        conversation_group(conversation.pk, "citizen"),
        frames.conversation_state_citizen(
            conversation, reason=reason, officer_name=officer_display_name(conversation)
        ),
    )
    publish(
        conversation_group(conversation.pk, "staff"),
        frames.conversation_state_staff(conversation, reason=reason),
    )


def publish_assigned(conversation: Conversation, *, officer_id: int) -> None:
    """Tell every console of ``officer_id`` that the conversation is now theirs."""
    publish(
        officer_group(officer_id),
        frames.conversation_state_staff(conversation, reason=StateReason.ASSIGNED),
    )


def message_frames(message: frames.MessageFields) -> list[tuple[str, Mapping[str, Any]]]:
    """A stored message's frame by group: one event for the citizen's sockets and the staff
    watching (the staff's frame; a citizen's socket leaves out the conversation id,
    ``frames.message_for_citizen``)."""
    return [
        (
            conversation_group(message.conversation_id, "all"),
            frames.message(message, for_staff=True),
        )
    ]


def publish_message(message: Message) -> None:
    """A stored message, to the citizen and to the staff watching the conversation."""
    for group, frame in message_frames(message):
        publish(group, frame)


def publish_note(note: ConversationNote) -> None:
    publish(conversation_group(note.conversation_id, "staff"), frames.note(note))


def publish_suggestions(conversation: Conversation, *, texts: Sequence[str] | None = None) -> None:
    """Send fresh suggestions to the waiting citizen and to staff watching (after commit).
    ``texts``: the citizen's first messages, when the caller has them."""
    articles = [view.as_payload() for view in suggestions_for(conversation, texts=texts)]
    moving = money_moving(conversation)
    publish(
        conversation_group(conversation.pk, "citizen"),
        frames.suggestions(articles, money_moving=moving),
    )
    publish(
        conversation_group(conversation.pk, "staff"),
        frames.suggestions(articles, money_moving=moving, conversation_id=conversation.pk),
    )


def publish_p1_alert(conversation: Conversation) -> None:
    """A conversation became P1: alert every on-duty console and every supervisor."""
    alert = frames.alert_p1(conversation)
    publish(QUEUE_GROUP, alert)
    publish(SUPERVISOR_GROUP, alert)


def publish_unit_p1_alert(
    conversation: Conversation, *, unit_id: int, referral_id: int | None = None
) -> None:
    """A P1 conversation referred to ``unit_id``: alert that unit's consoles (with
    ``referral_id`` while the referral waits for their decision)."""
    publish(unit_group(unit_id), frames.alert_p1(conversation, referral_id=referral_id))


def publish_referral_decided(*, officer_id: int, frame: frames.ReferralDecidedFrame) -> None:
    """Tell every console of the referring officer what the receiving unit decided."""
    publish(officer_group(officer_id), frame)


def publish_supervisor_watching(
    *, officer_id: int, conversation_id: int, supervisor_name: str, watching: bool = True
) -> None:
    """Tell the assigned officer's consoles that a supervisor watches the conversation."""
    publish(
        officer_group(officer_id),
        frames.supervisor_watching(
            conversation_id=conversation_id, supervisor_name=supervisor_name, watching=watching
        ),
    )


def publish_language_ask(conversation: Conversation, candidates: Sequence[tuple[str, str]]) -> None:
    """Ask the citizen which of ``candidates`` (code, name in itself) they write in."""
    publish(conversation_group(conversation.pk, "citizen"), frames.language_ask(candidates))


def publish_safety_ask(conversation: Conversation) -> None:
    """Ask the citizen of a possible-risk conversation whether they are safe right now."""
    publish(conversation_group(conversation.pk, "citizen"), frames.safety_ask())
