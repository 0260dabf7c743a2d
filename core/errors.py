"""Domain errors with stable codes, and the one map from a code to an HTTP status.

HTTP views (``advice.http``) and websocket consumers (error frames) expose the codes to
clients; ``docs/protocol.md`` and ``docs/cases.md`` list them, and a test keeps them equal.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Stable error codes of conversations and frames. Never rename a member's value."""

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
    INVALID_CODE = "invalid_code"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    BUSY = "busy"
    CONVERSATION_ESCALATED = "conversation_escalated"
    TEMPORARILY_UNAVAILABLE = "temporarily_unavailable"
    JUSTIFICATION_REQUIRED = "justification_required"


class CaseErrorCode(StrEnum):
    """Stable error codes of case records (``docs/cases.md``). Never rename a value."""

    ALREADY_ESCALATED = "already_escalated"
    CASE_CLOSED = "case_closed"
    REFERRAL_PENDING = "referral_pending"
    REFERRAL_NOT_PENDING = "referral_not_pending"
    SAME_UNIT = "same_unit"
    UNKNOWN_UNIT = "unknown_unit"
    NO_INDICATOR = "no_indicator"
    REVIEW_DATE_PAST = "review_date_past"


AnyErrorCode = ErrorCode | CaseErrorCode


# Refusals a client retries with the same frame (same ``client_id``), and the pause the
# server suggests before the retry (``retry_after`` of the error frame, in seconds) when the
# refusing code does not compute its own.
RETRYABLE: frozenset[AnyErrorCode] = frozenset(
    {ErrorCode.BUSY, ErrorCode.RATE_LIMITED, ErrorCode.TEMPORARILY_UNAVAILABLE}
)
_RETRY_AFTER_SECONDS: dict[AnyErrorCode, float] = {
    ErrorCode.TEMPORARILY_UNAVAILABLE: 1.0,
}


class DomainError(Exception):
    """A request that the domain refuses; ``code`` is stable, ``message`` is for people.

    ``retry_after`` (seconds) is the server's hint for a refusal the client may retry
    (:data:`RETRYABLE`); it defaults to the code's usual pause.
    """

    def __init__(
        self, code: AnyErrorCode, message: str, *, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after if retry_after is not None else retry_hint(code)


def retry_hint(code: AnyErrorCode) -> float | None:
    """The usual pause before retrying a frame refused with ``code``; None if not retryable."""
    return _RETRY_AFTER_SECONDS.get(code)


# Codes that are not a plain "bad request" (400).
_HTTP_STATUS: dict[str, int] = {
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.NOT_ALLOWED: 403,
    ErrorCode.NOT_ASSIGNED: 403,
    ErrorCode.JUSTIFICATION_REQUIRED: 403,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.TOO_MANY_ATTEMPTS: 429,
    ErrorCode.BUSY: 503,
    ErrorCode.TEMPORARILY_UNAVAILABLE: 503,
    ErrorCode.ALREADY_CLAIMED: 409,
    ErrorCode.NOT_WAITING: 409,
    ErrorCode.INVALID_TRANSITION: 409,
    ErrorCode.CONVERSATION_ENDED: 409,
    ErrorCode.CONVERSATION_ESCALATED: 409,
    CaseErrorCode.ALREADY_ESCALATED: 409,
    CaseErrorCode.CASE_CLOSED: 409,
    CaseErrorCode.REFERRAL_PENDING: 409,
    CaseErrorCode.REFERRAL_NOT_PENDING: 409,
}


def http_status(code: AnyErrorCode) -> int:
    """The HTTP status a domain error with ``code`` is answered with."""
    return _HTTP_STATUS.get(code, 400)
