"""Every frame the server sends to a client, built in one place (see ``docs/protocol.md``)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from advice.models import Conversation, ConversationNote, Message

Frame = dict[str, Any]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def error(code: StrEnum, message: str, *, ref: str | None = None) -> Frame:
    frame: Frame = {"type": "error", "code": code.value, "message": message}
    if ref is not None:
        frame["ref"] = ref
    return frame


def message(msg: Message, *, for_staff: bool) -> Frame:
    frame: Frame = {
        "type": "message",
        "seq": msg.seq,
        "client_id": msg.client_id,
        "sender": msg.sender,
        "author_name": msg.author_name,
        "kind": msg.kind,
        "text": msg.text,
        "payload": msg.payload,
        "created_at": _iso(msg.created_at),
    }
    if for_staff:
        frame["conversation_id"] = msg.conversation_id
    return frame


def ack(*, client_id: str, seq: int, duplicate: bool, conversation_id: int | None = None) -> Frame:
    frame: Frame = {"type": "ack", "client_id": client_id, "seq": seq, "duplicate": duplicate}
    if conversation_id is not None:
        frame["conversation_id"] = conversation_id
    return frame


def conversation_started(*, token: str, conversation: Conversation) -> Frame:
    """Sent once, to the citizen who started the conversation: the only time the token leaves."""
    return {"type": "conversation.started", "token": token, **citizen_view(conversation)}


def citizen_view(conversation: Conversation, officer_name: str = "") -> Frame:
    return {
        "status": conversation.status,
        "language": conversation.language,
        "officer_name": officer_name,
        "last_seq": conversation.last_seq,
    }


def conversation_state_citizen(
    conversation: Conversation, *, reason: str, officer_name: str = ""
) -> Frame:
    return {
        "type": "conversation.state",
        "reason": reason,
        **citizen_view(conversation, officer_name),
    }


def staff_view(conversation: Conversation, *, preview: str = "") -> Frame:
    return {
        "id": conversation.pk,
        "status": conversation.status,
        "language": conversation.language,
        "category": conversation.category,
        "urgency": conversation.urgency,
        "reasons": conversation.triage_reasons,
        "prechat": conversation.prechat,
        "queued_at": _iso(conversation.queued_at),
        "requeued": conversation.requeued_at is not None,
        "claimed_at": _iso(conversation.claimed_at),
        "assigned_officer_id": conversation.assigned_officer_id,
        "unit_id": conversation.unit_id,
        "last_seq": conversation.last_seq,
        "citizen_online": conversation.citizen_open_sockets > 0,
        "preview": preview,
    }


def conversation_state_staff(
    conversation: Conversation, *, reason: str, preview: str = ""
) -> Frame:
    return {
        "type": "conversation.state",
        "reason": reason,
        "conversation": staff_view(conversation, preview=preview),
    }


def queue_snapshot(entries: list[Frame]) -> Frame:
    return {"type": "queue.snapshot", "entries": entries}


def queue_entry(conversation: Conversation, *, preview: str = "") -> Frame:
    return {"type": "queue.entry", "entry": staff_view(conversation, preview=preview)}


def queue_removed(conversation_id: int, *, reason: str) -> Frame:
    return {"type": "queue.removed", "conversation_id": conversation_id, "reason": reason}


def officer_state(*, display_name: str, on_duty: bool, conversations: list[Frame]) -> Frame:
    return {
        "type": "officer.state",
        "display_name": display_name,
        "on_duty": on_duty,
        "conversations": conversations,
    }


def replay_done(*, last_seq: int, conversation_id: int | None = None) -> Frame:
    frame: Frame = {"type": "replay.done", "last_seq": last_seq}
    if conversation_id is not None:
        frame["conversation_id"] = conversation_id
    return frame


def typing(*, sender: str, conversation_id: int | None = None) -> Frame:
    frame: Frame = {"type": "typing", "sender": sender}
    if conversation_id is not None:
        frame["conversation_id"] = conversation_id
    return frame


def note(note: ConversationNote) -> Frame:
    return {
        "type": "note",
        "conversation_id": note.conversation_id,
        "id": note.pk,
        "author_name": note.author_name,
        "text": note.text,
        "client_id": note.client_id,
        "created_at": _iso(note.created_at),
    }


def queue_position(
    *, position: int, estimated_wait_seconds: int | None, officers_on_duty: int
) -> Frame:
    return {
        "type": "queue.position",
        "position": position,
        "estimated_wait_seconds": estimated_wait_seconds,
        "officers_on_duty": officers_on_duty,
    }


def language_ask(candidates: list[tuple[str, str]]) -> Frame:
    return {
        "type": "language.ask",
        "candidates": [{"code": code, "name": name} for code, name in candidates],
    }


def suggestions(articles: list[dict[str, Any]], *, conversation_id: int | None = None) -> Frame:
    frame: Frame = {"type": "suggestions", "articles": articles}
    if conversation_id is not None:
        frame["conversation_id"] = conversation_id
    return frame


def article_preview(*, conversation_id: int, article: dict[str, Any]) -> Frame:
    return {"type": "article.preview", "conversation_id": conversation_id, **article}


def article_results(*, query: str, articles: list[dict[str, Any]]) -> Frame:
    return {"type": "article.results", "query": query, "articles": articles}


def canned_replies(*, language: str, replies: list[dict[str, Any]]) -> Frame:
    return {"type": "canned.replies", "language": language, "replies": replies}
