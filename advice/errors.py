"""Domain errors with stable codes that HTTP views and websocket consumers expose to clients."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Stable error codes; documented in ``docs/protocol.md``. Never rename a member's value."""

    INVALID_JSON = "invalid_json"
    BINARY_NOT_SUPPORTED = "binary_not_supported"
    FRAME_TOO_LARGE = "frame_too_large"
    UNKNOWN_TYPE = "unknown_type"
    INVALID_FIELD = "invalid_field"
    NOT_ALLOWED = "not_allowed"
    NOT_STARTED = "not_started"
    ALREADY_STARTED = "already_started"
    INVALID_TOKEN = "invalid_token"  # noqa: S105 - an error code, not a secret
    NOT_FOUND = "not_found"
    ALREADY_CLAIMED = "already_claimed"
    NOT_WAITING = "not_waiting"
    NOT_ASSIGNED = "not_assigned"
    CONVERSATION_ENDED = "conversation_ended"
    TOO_MANY_CHATS = "too_many_chats"
    OFF_DUTY = "off_duty"
    TEXT_EMPTY = "text_empty"
    TEXT_TOO_LONG = "text_too_long"
    TEXT_INVALID = "text_invalid"
    RATE_LIMITED = "rate_limited"
    INVALID_TRANSITION = "invalid_transition"


class DomainError(Exception):
    """A request that the domain refuses; ``code`` is stable, ``message`` is for people.

    ``code`` is an ``ErrorCode`` or another app's ``StrEnum`` of stable codes (e.g. cases).
    """

    def __init__(self, code: StrEnum, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
