"""Client frames parsed into typed values before any handler runs (``docs/protocol.md``).

Every frame a client may send has one frozen dataclass here; :func:`parse` turns the JSON
text into an instance of it or raises :class:`~core.errors.DomainError` with the code the
client sees (``invalid_json``, ``unknown_type``, ``not_allowed``, ``invalid_field`` naming
the field). Handlers receive only these values, so no handler reads an unchecked field.

Rules for every field: its JSON type matches the annotation; strings are valid Unicode
without NUL, lone surrogates or non-characters and at most ``max_len`` characters (message
text: the message rules of ``advice.text``); ids and sequence numbers are non-negative
integers; a field the type does not define is refused.
"""

from __future__ import annotations

import dataclasses
import json
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple, Union, get_args, get_origin, get_type_hints

from advice.access_reasons import JUSTIFICATION_TEXT_MAX, justification_clean
from advice.prechat import clean_language, clean_prechat
from advice.text import clean_message_text
from advice.tokens import TOKEN_MAX_CHARS
from core.errors import DomainError, ErrorCode
from core.vocabulary import SafetyAnswer

# Frames nested deeper than this are refused before parsing (a 10,000-level array would
# otherwise exhaust the parser's recursion).
MAX_DEPTH = 8
ID_MAX = 2**63 - 1


def _str(max_len: int) -> Any:
    return field(default=None, metadata={"max_len": max_len})


def _text() -> Any:
    return field(default=None, metadata={"text": True})


def _language() -> Any:
    return field(default=None, metadata={"language": True})


@dataclass(frozen=True)
class ClientFrame:
    """Base of every parsed client frame; ``TYPE`` is its ``type`` value."""

    TYPE: ClassVar[str] = ""
    # Fields that must be present (the rest are optional and default to None).
    REQUIRED: ClassVar[tuple[str, ...]] = ()


# --- Citizen ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConversationStart(ClientFrame):
    TYPE = "conversation.start"
    language: str | None = _language()
    browser_language: str | None = _language()
    prechat: dict[str, Any] | None = None


@dataclass(frozen=True)
class ConversationResume(ClientFrame):
    TYPE = "conversation.resume"
    REQUIRED = ("token",)
    token: str | None = _str(TOKEN_MAX_CHARS)
    last_seq: int | None = None


@dataclass(frozen=True)
class ConversationResumeCode(ClientFrame):
    TYPE = "conversation.resume_code"
    REQUIRED = ("code",)
    code: str | None = _str(200)
    last_seq: int | None = None


@dataclass(frozen=True)
class ResumeCodeIssue(ClientFrame):
    TYPE = "resume_code.issue"


@dataclass(frozen=True)
class LeaveMessage(ClientFrame):
    TYPE = "conversation.leave_message"


@dataclass(frozen=True)
class CitizenMessageSend(ClientFrame):
    TYPE = "message.send"
    REQUIRED = ("client_id", "text")
    client_id: str | None = _str(64)
    text: str | None = _text()


@dataclass(frozen=True)
class SetLanguage(ClientFrame):
    TYPE = "conversation.set_language"
    REQUIRED = ("language",)
    language: str | None = _language()


@dataclass(frozen=True)
class SafetyAnswerSend(ClientFrame):
    TYPE = "safety.answer"
    REQUIRED = ("answer",)
    answer: str | None = field(
        default=None, metadata={"max_len": 16, "choices": tuple(SafetyAnswer.values)}
    )


@dataclass(frozen=True)
class CitizenTyping(ClientFrame):
    TYPE = "typing"


@dataclass(frozen=True)
class ConversationEnd(ClientFrame):
    TYPE = "conversation.end"


@dataclass(frozen=True)
class ConversationLeave(ClientFrame):
    TYPE = "conversation.leave"


@dataclass(frozen=True)
class ConversationErase(ClientFrame):
    TYPE = "conversation.erase"


@dataclass(frozen=True)
class RatingSubmit(ClientFrame):
    TYPE = "rating.submit"
    REQUIRED = ("score",)
    score: int | None = None
    comment: str | None = _str(2000)


@dataclass(frozen=True)
class Ping(ClientFrame):
    TYPE = "ping"


# --- Officer ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DutySet(ClientFrame):
    TYPE = "duty.set"
    REQUIRED = ("on_duty",)
    on_duty: bool | None = None


@dataclass(frozen=True)
class ConversationClaim(ClientFrame):
    TYPE = "conversation.claim"
    REQUIRED = ("conversation_id",)
    conversation_id: int | None = None


@dataclass(frozen=True)
class ConversationOpen(ClientFrame):
    TYPE = "conversation.open"
    REQUIRED = ("conversation_id",)
    conversation_id: int | None = None
    last_seq: int | None = None
    # ``{"reason": code, "text": …}`` for a conversation not assigned to the opener.
    justification: dict[str, str] | None = None


@dataclass(frozen=True)
class OfficerMessageSend(ClientFrame):
    TYPE = "message.send"
    REQUIRED = ("conversation_id", "client_id", "text")
    conversation_id: int | None = None
    client_id: str | None = _str(64)
    text: str | None = _text()


@dataclass(frozen=True)
class ArticleInsert(ClientFrame):
    TYPE = "article.insert"
    REQUIRED = ("conversation_id", "client_id", "slug")
    conversation_id: int | None = None
    client_id: str | None = _str(64)
    slug: str | None = _str(100)


@dataclass(frozen=True)
class ArticlePreview(ClientFrame):
    TYPE = "article.preview"
    REQUIRED = ("conversation_id", "slug")
    conversation_id: int | None = None
    slug: str | None = _str(100)


@dataclass(frozen=True)
class ArticleSearch(ClientFrame):
    TYPE = "article.search"
    query: str | None = _str(200)
    language: str | None = _language()


@dataclass(frozen=True)
class CannedList(ClientFrame):
    TYPE = "canned.list"
    language: str | None = _language()


@dataclass(frozen=True)
class NoteAdd(ClientFrame):
    TYPE = "note.add"
    REQUIRED = ("conversation_id", "client_id", "text")
    conversation_id: int | None = None
    client_id: str | None = _str(64)
    text: str | None = _text()


@dataclass(frozen=True)
class ConversationOverride(ClientFrame):
    TYPE = "conversation.override"
    REQUIRED = ("conversation_id",)
    conversation_id: int | None = None
    category: str | None = _str(32)
    urgency: str | None = _str(2)
    language: str | None = _language()


@dataclass(frozen=True)
class ConversationTransfer(ClientFrame):
    TYPE = "conversation.transfer"
    REQUIRED = ("conversation_id",)
    conversation_id: int | None = None
    officer_id: int | None = None


@dataclass(frozen=True)
class ConversationClose(ClientFrame):
    TYPE = "conversation.close"
    REQUIRED = ("conversation_id",)
    conversation_id: int | None = None
    outcome: str | None = _str(32)


@dataclass(frozen=True)
class OfficerTyping(ClientFrame):
    TYPE = "typing"
    REQUIRED = ("conversation_id",)
    conversation_id: int | None = None


# --- Supervisor ------------------------------------------------------------------------


@dataclass(frozen=True)
class WhisperSend(ClientFrame):
    TYPE = "whisper.send"
    REQUIRED = ("conversation_id", "client_id", "text")
    conversation_id: int | None = None
    client_id: str | None = _str(64)
    text: str | None = _text()


FrameTable = Mapping[str, type[ClientFrame]]


def _table(*kinds: type[ClientFrame]) -> dict[str, type[ClientFrame]]:
    return {kind.TYPE: kind for kind in kinds}


CITIZEN_FRAMES: FrameTable = _table(
    ConversationStart,
    ConversationResume,
    ConversationResumeCode,
    ResumeCodeIssue,
    LeaveMessage,
    CitizenMessageSend,
    SetLanguage,
    SafetyAnswerSend,
    CitizenTyping,
    ConversationEnd,
    ConversationLeave,
    ConversationErase,
    RatingSubmit,
    Ping,
)
OFFICER_FRAMES: FrameTable = _table(
    DutySet,
    ConversationClaim,
    ConversationOpen,
    OfficerMessageSend,
    ArticleInsert,
    ArticlePreview,
    ArticleSearch,
    CannedList,
    NoteAdd,
    ConversationOverride,
    ConversationTransfer,
    ConversationClose,
    OfficerTyping,
    Ping,
)
SUPERVISOR_FRAMES: FrameTable = _table(ConversationOpen, WhisperSend, Ping)
# Every frame type a client may send, on any endpoint (to tell "not yours" from "unknown").
CLIENT_FRAME_TYPES = frozenset({*CITIZEN_FRAMES, *OFFICER_FRAMES, *SUPERVISOR_FRAMES})


def _invalid(name: str, wants: str) -> DomainError:
    return DomainError(ErrorCode.INVALID_FIELD, f"Field '{name}' must be {wants}.")


# NUL, surrogates and the non-characters (U+FDD0..U+FDEF and the last two code points of
# every plane).
_REFUSED_CODE_POINTS = re.compile(
    "[\x00\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(plane | 0xFFFE) + chr(plane | 0xFFFF) for plane in range(0, 0x110000, 0x10000))
    + "]"
)


def _clean_string(value: str, name: str, max_len: int) -> str:
    if len(value) > max_len:
        raise _invalid(name, f"a string of at most {max_len} characters")
    if _REFUSED_CODE_POINTS.search(value) is not None:
        raise _invalid(name, "text without NUL, surrogate or non-character code points")
    return value


def _depth_ok(text: str) -> bool:
    """Whether brackets nest at most ``MAX_DEPTH`` deep (strings are skipped)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return True  # too few opening brackets to nest deeper, in strings or not
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


class _Field(NamedTuple):
    spec: dataclasses.Field[Any]
    # The annotation without its ``| None``.
    hint: Any


_FIELDS: dict[type[ClientFrame], dict[str, _Field]] = {}


def _fields(kind: type[ClientFrame]) -> dict[str, _Field]:
    """The fields of a frame type with their resolved annotations (read once per type)."""
    known = _FIELDS.get(kind)
    if known is not None:
        return known
    hints = get_type_hints(kind)
    fields: dict[str, _Field] = {}
    for spec in dataclasses.fields(kind):
        hint = hints[spec.name]
        if get_origin(hint) in (Union, types.UnionType):
            hint = next(arg for arg in get_args(hint) if arg is not type(None))
        fields[spec.name] = _Field(spec, hint)
    _FIELDS[kind] = fields
    return fields


def _field_value(spec: dataclasses.Field[Any], hint: Any, value: Any) -> Any:
    name = spec.name
    if spec.metadata.get("text"):
        return clean_message_text(value)
    if spec.metadata.get("language"):
        if isinstance(value, str):
            _clean_string(value, name, 16)
        return clean_language(value, field=name)
    if hint is bool:
        if not isinstance(value, bool):
            raise _invalid(name, "true or false")
        return value
    if hint is int:
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= ID_MAX:
            raise _invalid(name, "a non-negative integer")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise _invalid(name, "a string")
        cleaned = _clean_string(value, name, spec.metadata.get("max_len", 64))
        choices = spec.metadata.get("choices")
        if choices is not None and cleaned not in choices:
            raise _invalid(name, "one of " + ", ".join(choices))
        return cleaned
    if get_origin(hint) is dict or hint is dict:
        if name == "prechat":
            return clean_prechat(value)
        if name == "justification":
            return _clean_justification(value)
        if not isinstance(value, dict):
            raise _invalid(name, "an object")
        return value
    raise _invalid(name, "absent")  # pragma: no cover - every annotation is handled above


def _clean_justification(value: Any) -> dict[str, str]:
    """``{"reason": code, "text"?: string}`` as ``advice.access_reasons`` stores it."""
    if not isinstance(value, dict) or not set(value) <= {"reason", "text"}:
        raise _invalid("justification", "an object with 'reason' and optional 'text'")
    for part in ("reason", "text"):
        given = value.get(part, "")
        if not isinstance(given, str):
            raise _invalid(f"justification.{part}", "a string")
        _clean_string(given, f"justification.{part}", JUSTIFICATION_TEXT_MAX)
    try:
        return justification_clean(reason=value.get("reason"), text=value.get("text", ""))
    except DomainError as error:
        raise DomainError(
            ErrorCode.INVALID_FIELD, f"Field 'justification': {error.message}"
        ) from None


def parse(text: str, table: FrameTable) -> ClientFrame:
    """The client frame in ``text`` as its dataclass from ``table`` (the endpoint's frames).

    Raises ``DomainError``: ``invalid_json`` (not JSON, nested too deep), ``invalid_field``
    (not an object, no string ``type``, a missing, unknown or ill-typed field),
    ``not_allowed`` (a type of another endpoint), ``unknown_type``.
    """
    if not _depth_ok(text):
        raise DomainError(ErrorCode.INVALID_JSON, f"The frame nests deeper than {MAX_DEPTH}.")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise DomainError(ErrorCode.INVALID_JSON, "The frame is not valid JSON.") from None
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise DomainError(ErrorCode.INVALID_FIELD, "A frame is a JSON object with a string 'type'.")
    kind_name = _clean_string(data["type"], "type", 40)
    kind = table.get(kind_name)
    if kind is None:
        if kind_name in CLIENT_FRAME_TYPES:
            raise DomainError(
                ErrorCode.NOT_ALLOWED, f"'{kind_name}' is not allowed on this connection."
            )
        raise DomainError(ErrorCode.UNKNOWN_TYPE, f"Unknown frame type '{kind_name}'.")
    specs = _fields(kind)
    for name in data:
        if name != "type" and name not in specs:
            shown = name if len(name) <= 40 and name.isprintable() else "?"
            raise DomainError(
                ErrorCode.INVALID_FIELD, f"Field '{shown}' is not part of a '{kind_name}' frame."
            )
    values: dict[str, Any] = {}
    for name, (spec, hint) in specs.items():
        value = data.get(name)
        if value is None:
            if name in kind.REQUIRED:
                raise _invalid(name, "present")
            continue
        values[name] = _field_value(spec, hint, value)
    return kind(**values)


def client_ref(text: str) -> str | None:
    """The ``client_id`` of a frame, if it has a valid one (for the ``ref`` of an error)."""
    return glance(text).ref


@dataclass(frozen=True, slots=True)
class Glance:
    """What a frame not parsed in full says of itself (any part may be None)."""

    kind: str | None = None
    ref: str | None = None
    conversation_id: int | None = None


def glance(text: str) -> Glance:
    """The ``type``, valid ``client_id`` and integer ``conversation_id`` of a frame not parsed
    in full (a refused frame's error names its ``ref``; its hold names its conversation)."""
    try:
        data = json.loads(text) if _depth_ok(text) else None
    except (ValueError, RecursionError):
        return Glance()
    if not isinstance(data, dict):
        return Glance()
    kind = data.get("type") if isinstance(data.get("type"), str) else None
    conversation_id = data.get("conversation_id")
    if not isinstance(conversation_id, int) or isinstance(conversation_id, bool):
        conversation_id = None
    ref = data.get("client_id")
    if not isinstance(ref, str):
        return Glance(kind, None, conversation_id)
    try:
        return Glance(kind, _clean_string(ref, "client_id", 64), conversation_id)
    except DomainError:
        return Glance(kind, None, conversation_id)
