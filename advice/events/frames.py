"""Every frame the server sends to a client: one typed constructor per frame type.

The frame types, audiences and fields are documented in ``docs/protocol.md`` (and
``supervisor.live`` in ``docs/statistics.md``); ``tests/advice/events/test_protocol_doc.py``
fails when the document and this module differ. The transport (``chat``) sends these dicts
as JSON and reads back only ``type``, ``reason`` and the ids it routes by.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, NotRequired, Protocol, TypedDict

from advice.models import Conversation, ConversationNote
from core.errors import AnyErrorCode
from core.triage_reasons import Reason
from core.vocabulary import SafetyAnswer, SessionEndReason, StateReason

# Any frame, as the transport handles it.
Frame = Mapping[str, Any]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


class Card(TypedDict):
    """A conversation as staff see it (in queue entries, state frames and snapshots)."""

    id: int
    status: str
    language: str
    category: str
    urgency: str
    reasons: list[Reason | str]  # codes and quoted words; strings stored before codes
    prechat: dict[str, Any]
    queued_at: str | None
    requeued: bool
    claimed_at: str | None
    assigned_officer_id: int | None
    unit_id: int | None
    # A unit accepted its referral: while waiting, it is that unit's only.
    referred: bool
    last_seq: int
    citizen_online: bool
    left_message: bool
    # Below P1 but triage sees a real chance of risk: officers see "possible risk – ask if safe".
    possible_risk: bool
    safety_answer: str  # the citizen's answer to "Are you safe right now?", "" before one
    preview: str
    # Added per officer socket by the queue policy (``advice.queue_policy``).
    preferred: NotRequired[bool]
    for_my_unit: NotRequired[bool]


class ErrorFrame(TypedDict):
    type: Literal["error"]
    code: str
    message: str
    ref: NotRequired[str]
    retry_after: NotRequired[float]


class MessageFrame(TypedDict):
    type: Literal["message"]
    seq: int
    client_id: str | None
    sender: str
    author_name: str
    kind: str
    text: str
    payload: dict[str, Any]
    created_at: str | None
    conversation_id: NotRequired[int]


class AckFrame(TypedDict):
    type: Literal["ack"]
    client_id: str
    seq: int
    duplicate: bool
    conversation_id: NotRequired[int]


class ConversationStartedFrame(TypedDict):
    type: Literal["conversation.started"]
    token: str
    status: str
    language: str
    officer_name: str
    last_seq: int


class ConversationResumedFrame(TypedDict):
    type: Literal["conversation.resumed"]
    token: str
    code: str


class ResumeCodeFrame(TypedDict):
    type: Literal["resume_code"]
    code: str
    words: list[str]


class CitizenStateFrame(TypedDict):
    type: Literal["conversation.state"]
    reason: str
    status: str
    language: str
    officer_name: str
    last_seq: int


class StaffStateFrame(TypedDict):
    type: Literal["conversation.state"]
    reason: str
    conversation: Card


class QueueSnapshotFrame(TypedDict):
    type: Literal["queue.snapshot"]
    entries: list[Mapping[str, Any]]  # cards, routed for one officer
    part: int  # 0 replaces the console's queue; 1, 2, … append to it


# A snapshot is sent in parts of at most this many bytes of JSON: the websocket's largest
# message is 64 KiB (Daphne's ``--websocket-max-message-size``), and a queue of hundreds of
# waiting conversations is larger than that.
SNAPSHOT_PART_BYTES = 48 * 1024


class QueueEntryFrame(TypedDict):
    type: Literal["queue.entry"]
    entry: Card


class QueueRemovedFrame(TypedDict):
    type: Literal["queue.removed"]
    conversation_id: int
    reason: str


class QueueChangedFrame(TypedDict):
    type: Literal["queue.changed"]


class OfficerStateFrame(TypedDict):
    type: Literal["officer.state"]
    display_name: str
    on_duty: bool
    conversations: list[Card]


class DutyStateFrame(TypedDict):
    type: Literal["duty.state"]
    on_duty: bool


class ReplayDoneFrame(TypedDict):
    type: Literal["replay.done"]
    last_seq: int
    conversation_id: NotRequired[int]


class TypingFrame(TypedDict):
    type: Literal["typing"]
    sender: str
    conversation_id: NotRequired[int]


class NoteFrame(TypedDict):
    type: Literal["note"]
    conversation_id: int
    id: int
    author_name: str
    text: str
    client_id: str
    created_at: str | None
    whisper: bool


class QueuePositionFrame(TypedDict):
    type: Literal["queue.position"]
    position: int
    estimated_wait_seconds: int | None
    officers_on_duty: int
    approximate: bool


class LanguageCandidate(TypedDict):
    code: str
    name: str


class LanguageAskFrame(TypedDict):
    type: Literal["language.ask"]
    candidates: list[LanguageCandidate]


class SafetyAskFrame(TypedDict):
    type: Literal["safety.ask"]
    answers: list[str]


class SuggestionsFrame(TypedDict):
    type: Literal["suggestions"]
    articles: list[dict[str, Any]]
    money_moving: bool
    conversation_id: NotRequired[int]


class ArticleResultsFrame(TypedDict):
    type: Literal["article.results"]
    query: str
    articles: list[dict[str, Any]]


class CannedRepliesFrame(TypedDict):
    type: Literal["canned.replies"]
    language: str
    replies: list[dict[str, Any]]


class AlertP1Frame(TypedDict):
    type: Literal["alert.p1"]
    conversation_id: int
    language: str
    category: str
    reasons: list[Reason | str]
    # Set when the alert is for a referral to the officer's unit that waits for a decision.
    referral_id: NotRequired[int]


class ReferralDecidedFrame(TypedDict):
    type: Literal["referral.decided"]
    referral_id: int
    decision: str
    unit: str
    reason: str
    conversation_id: int | None
    case_reference: str | None


class SupervisorWatchingFrame(TypedDict):
    type: Literal["supervisor.watching"]
    conversation_id: int
    supervisor_name: str
    watching: bool


class RatingSavedFrame(TypedDict):
    type: Literal["rating.saved"]


class SessionRevokedFrame(TypedDict):
    type: Literal["session.revoked"]
    reason: str


class SessionEndedFrame(TypedDict):
    type: Literal["session.ended"]
    session: str
    reason: str


class PongFrame(TypedDict):
    type: Literal["pong"]


def error(
    code: AnyErrorCode,
    message: str,
    *,
    ref: str | None = None,
    retry_after: float | None = None,
) -> ErrorFrame:
    """An error frame; ``retry_after`` (seconds) only on refusals the client retries."""
    frame: ErrorFrame = {"type": "error", "code": code.value, "message": message}
    if ref is not None:
        frame["ref"] = ref
    if retry_after is not None:
        frame["retry_after"] = round(retry_after, 2)
    return frame


class MessageFields(Protocol):
    """What a ``message`` frame is made of: a stored :class:`~advice.models.Message`, or the
    record of one that the one-statement write returns without a model instance
    (:class:`advice.services.messages.StoredMessage`)."""

    @property
    def conversation_id(self) -> int: ...
    @property
    def seq(self) -> int: ...
    @property
    def client_id(self) -> str | None: ...
    @property
    def sender(self) -> str: ...
    @property
    def author_name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def payload(self) -> Any: ...
    @property
    def created_at(self) -> datetime: ...


def message(msg: MessageFields, *, for_staff: bool) -> MessageFrame:
    frame: MessageFrame = {
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


def message_for_citizen(frame: Mapping[str, Any]) -> dict[str, Any]:
    """A message frame as a citizen's socket sends it: the staff's without the conversation
    id (messages are published once, to the conversation's ``all`` group)."""
    return {key: value for key, value in frame.items() if key != "conversation_id"}


def ack(
    *, client_id: str, seq: int, duplicate: bool, conversation_id: int | None = None
) -> AckFrame:
    frame: AckFrame = {"type": "ack", "client_id": client_id, "seq": seq, "duplicate": duplicate}
    if conversation_id is not None:
        frame["conversation_id"] = conversation_id
    return frame


def conversation_started(*, token: str, conversation: Conversation) -> ConversationStartedFrame:
    """Sent once, to the citizen who started the conversation: the only time the token leaves."""
    return {
        "type": "conversation.started",
        "token": token,
        "status": conversation.status,
        "language": conversation.language,
        "officer_name": "",
        "last_seq": conversation.last_seq,
    }


def conversation_resumed(*, token: str, code: str) -> ConversationResumedFrame:
    """To a citizen who resumed with a resume code: this tab's fresh token (the old one is
    revoked) and the code as the page shows it. The replay follows as after
    ``conversation.resume``."""
    return {"type": "conversation.resumed", "token": token, "code": code}


def resume_code(*, code: str) -> ResumeCodeFrame:
    """A new resume code, to the citizen's socket that asked; sent once, never stored."""
    return {"type": "resume_code", "code": code, "words": code.split()}


def conversation_state_citizen(
    conversation: Conversation, *, reason: StateReason, officer_name: str = ""
) -> CitizenStateFrame:
    return {
        "type": "conversation.state",
        "reason": reason.value,
        "status": conversation.status,
        "language": conversation.language,
        "officer_name": officer_name,
        "last_seq": conversation.last_seq,
    }


def card(conversation: Conversation, *, preview: str = "") -> Card:
    """The staff card of a conversation."""
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
        "referred": conversation.referred_at is not None,
        "last_seq": conversation.last_seq,
        "citizen_online": conversation.citizen_open_sockets > 0,
        "left_message": conversation.left_message,
        "possible_risk": conversation.possible_risk,
        "safety_answer": conversation.safety_answer,
        "preview": preview,
    }


def conversation_state_staff(
    conversation: Conversation, *, reason: StateReason, preview: str = ""
) -> StaffStateFrame:
    return {
        "type": "conversation.state",
        "reason": reason.value,
        "conversation": card(conversation, preview=preview),
    }


def queue_snapshot(entries: Sequence[Mapping[str, Any]], *, part: int = 0) -> QueueSnapshotFrame:
    return {"type": "queue.snapshot", "entries": list(entries), "part": part}


def queue_snapshot_parts(
    entries: Sequence[Mapping[str, Any]], *, part_bytes: int = SNAPSHOT_PART_BYTES
) -> list[QueueSnapshotFrame]:
    """The queue in order, as ``queue.snapshot`` frames of at most ``part_bytes`` of JSON each
    (always at least one frame, so an empty queue still replaces the console's)."""
    parts: list[QueueSnapshotFrame] = []
    chunk: list[Mapping[str, Any]] = []
    size = 0
    overhead = len(json.dumps(queue_snapshot([], part=0)).encode()) + 16
    for entry in entries:
        entry_bytes = len(json.dumps(entry, ensure_ascii=False).encode()) + 2
        if chunk and overhead + size + entry_bytes > part_bytes:
            parts.append(queue_snapshot(chunk, part=len(parts)))
            chunk, size = [], 0
        chunk.append(entry)
        size += entry_bytes
    parts.append(queue_snapshot(chunk, part=len(parts)))
    return parts


def queue_entry(conversation: Conversation, *, preview: str = "") -> QueueEntryFrame:
    return {"type": "queue.entry", "entry": card(conversation, preview=preview)}


def queue_removed(conversation_id: int, *, reason: StateReason) -> QueueRemovedFrame:
    return {"type": "queue.removed", "conversation_id": conversation_id, "reason": reason.value}


def queue_changed() -> QueueChangedFrame:
    """Server-internal: the queue changed (waiting citizens' positions, supervisor figures)."""
    return {"type": "queue.changed"}


def officer_state(
    *, display_name: str, on_duty: bool, conversations: list[Card]
) -> OfficerStateFrame:
    return {
        "type": "officer.state",
        "display_name": display_name,
        "on_duty": on_duty,
        "conversations": conversations,
    }


def duty_state(*, on_duty: bool) -> DutyStateFrame:
    return {"type": "duty.state", "on_duty": on_duty}


def replay_done(*, last_seq: int, conversation_id: int | None = None) -> ReplayDoneFrame:
    frame: ReplayDoneFrame = {"type": "replay.done", "last_seq": last_seq}
    if conversation_id is not None:
        frame["conversation_id"] = conversation_id
    return frame


def typing(*, sender: str, conversation_id: int | None = None) -> TypingFrame:
    frame: TypingFrame = {"type": "typing", "sender": sender}
    if conversation_id is not None:
        frame["conversation_id"] = conversation_id
    return frame


def note(note: ConversationNote) -> NoteFrame:
    return {
        "type": "note",
        "conversation_id": note.conversation_id,
        "id": note.pk,
        "author_name": note.author_name,
        "text": note.text,
        "client_id": note.client_id,
        "created_at": _iso(note.created_at),
        "whisper": note.whisper,
    }


def queue_position(
    *,
    position: int,
    estimated_wait_seconds: int | None,
    officers_on_duty: int,
    approximate: bool = False,
) -> QueuePositionFrame:
    return {
        "type": "queue.position",
        "position": position,
        "estimated_wait_seconds": estimated_wait_seconds,
        "officers_on_duty": officers_on_duty,
        "approximate": approximate,
    }


def language_ask(candidates: Sequence[tuple[str, str]]) -> LanguageAskFrame:
    return {
        "type": "language.ask",
        "candidates": [{"code": code, "name": name} for code, name in candidates],
    }


def safety_ask() -> SafetyAskFrame:
    """Ask the citizen whether they are safe right now (the answers are ``SafetyAnswer``)."""
    return {"type": "safety.ask", "answers": list(SafetyAnswer.values)}


def suggestions(
    articles: list[dict[str, Any]],
    *,
    money_moving: bool = False,
    conversation_id: int | None = None,
) -> SuggestionsFrame:
    """``money_moving``: triage says money left minutes or hours ago; the first article is
    the one on stopping a bank transfer."""
    frame: SuggestionsFrame = {
        "type": "suggestions",
        "articles": articles,
        "money_moving": money_moving,
    }
    if conversation_id is not None:
        frame["conversation_id"] = conversation_id
    return frame


def article_preview(*, conversation_id: int, article: Mapping[str, Any]) -> dict[str, Any]:
    """``article.preview``: the article's payload fields beside the conversation's id."""
    return {"type": "article.preview", "conversation_id": conversation_id, **article}


def article_results(*, query: str, articles: list[dict[str, Any]]) -> ArticleResultsFrame:
    return {"type": "article.results", "query": query, "articles": articles}


def canned_replies(*, language: str, replies: list[dict[str, Any]]) -> CannedRepliesFrame:
    return {"type": "canned.replies", "language": language, "replies": replies}


def alert_p1(conversation: Conversation, *, referral_id: int | None = None) -> AlertP1Frame:
    frame: AlertP1Frame = {
        "type": "alert.p1",
        "conversation_id": conversation.pk,
        "language": conversation.language,
        "category": conversation.category,
        "reasons": conversation.triage_reasons,
    }
    if referral_id is not None:
        frame["referral_id"] = referral_id
    return frame


def referral_decided(
    *,
    referral_id: int,
    decision: str,
    unit: str,
    reason: str,
    conversation_id: int | None,
    case_reference: str | None,
) -> ReferralDecidedFrame:
    """To the officer who referred: the receiving ``unit`` (its code) accepted or declined."""
    return {
        "type": "referral.decided",
        "referral_id": referral_id,
        "decision": decision,
        "unit": unit,
        "reason": reason,
        "conversation_id": conversation_id,
        "case_reference": case_reference,
    }


def supervisor_watching(
    *, conversation_id: int, supervisor_name: str, watching: bool
) -> SupervisorWatchingFrame:
    """To the assigned officer: a supervisor opened (or left) the conversation read-only."""
    return {
        "type": "supervisor.watching",
        "conversation_id": conversation_id,
        "supervisor_name": supervisor_name,
        "watching": watching,
    }


def supervisor_live(figures: Mapping[str, Any]) -> dict[str, Any]:
    """``supervisor.live``: the live figures of ``stats.live`` (``docs/statistics.md``)."""
    return {"type": "supervisor.live", **figures}


def rating_saved() -> RatingSavedFrame:
    return {"type": "rating.saved"}


def session_revoked(reason: SessionEndReason) -> SessionRevokedFrame:
    """To a staff socket just before it is closed with 4401: why its login no longer holds."""
    return {"type": "session.revoked", "reason": reason.value}


def session_ended(*, session: str, reason: SessionEndReason) -> SessionEndedFrame:
    """Server-internal: the staff session with digest ``session`` ended (e.g. logged out)."""
    return {"type": "session.ended", "session": session, "reason": reason.value}


def pong() -> PongFrame:
    return {"type": "pong"}
