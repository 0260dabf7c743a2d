"""Every error code's message in the reader's language.

Pages show these instead of a ``DomainError``'s ``message`` (English, for logs and
developers); HTTP answers carry the translated text in ``message`` and the English one in
``detail``; the browser's scripts get the table (``error.<code>`` strings) and show an error
frame by its code, so an officer reading Czech never reads an English refusal. Phrases
are lower-case: they complete "Something went wrong: …" and "Not sent: …".
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.errors import AnyErrorCode, CaseErrorCode, ErrorCode

_UNREADABLE = _("the request could not be read")
_ALREADY_A_CASE = _("this conversation is already a case")

ERROR_MESSAGES: dict[str, Promise] = {
    ErrorCode.INVALID_JSON: _UNREADABLE,
    ErrorCode.BINARY_NOT_SUPPORTED: _UNREADABLE,
    ErrorCode.FRAME_TOO_LARGE: _("the request is too large"),
    ErrorCode.UNKNOWN_TYPE: _UNREADABLE,
    ErrorCode.INVALID_FIELD: _("a value is missing or not valid"),
    ErrorCode.NOT_ALLOWED: _("you are not allowed to do this"),
    ErrorCode.NOT_STARTED: _("the conversation has not started yet"),
    ErrorCode.ALREADY_STARTED: _("the conversation has already started"),
    ErrorCode.INVALID_TOKEN: _("the conversation was not found; start a new one"),
    ErrorCode.NOT_FOUND: _("not found, or not yours to open"),
    ErrorCode.ALREADY_CLAIMED: _("another officer has already taken this conversation"),
    ErrorCode.NOT_WAITING: _("this conversation is no longer waiting"),
    ErrorCode.NOT_ASSIGNED: _("this conversation is not assigned to you"),
    ErrorCode.CONVERSATION_ENDED: _("the conversation has ended"),
    ErrorCode.TOO_MANY_CHATS: _("you have reached your limit of conversations at once"),
    ErrorCode.OFF_DUTY: _("go on duty first"),
    ErrorCode.TEXT_EMPTY: _("the message is empty"),
    ErrorCode.TEXT_TOO_LONG: _("the message is too long (at most 4,000 characters)"),
    ErrorCode.TEXT_INVALID: _("the message contains characters that cannot be sent"),
    ErrorCode.RATE_LIMITED: _("too many requests in a short time; wait a moment"),
    ErrorCode.INVALID_TRANSITION: _("this change is not possible now"),
    ErrorCode.INVALID_CODE: _("the code is not valid"),
    ErrorCode.TOO_MANY_ATTEMPTS: _("too many attempts; wait a while and try again"),
    ErrorCode.BUSY: _("the service is busy; try again in a moment"),
    ErrorCode.CONVERSATION_ESCALATED: _ALREADY_A_CASE,
    ErrorCode.TEMPORARILY_UNAVAILABLE: _("temporarily unavailable; try again in a moment"),
    ErrorCode.JUSTIFICATION_REQUIRED: _(
        "you are not assigned to this: give a reason for opening it"
    ),
    CaseErrorCode.ALREADY_ESCALATED: _ALREADY_A_CASE,
    CaseErrorCode.CASE_CLOSED: _("the case is closed; reopen it first"),
    CaseErrorCode.REFERRAL_PENDING: _("a referral is already waiting for a decision"),
    CaseErrorCode.REFERRAL_NOT_PENDING: _("this referral has already been decided"),
    CaseErrorCode.SAME_UNIT: _("choose a unit other than your own"),
    CaseErrorCode.UNKNOWN_UNIT: _("unknown unit"),
    CaseErrorCode.NO_INDICATOR: _("no indicator was found in that value"),
    CaseErrorCode.REVIEW_DATE_PAST: _("the review date must be in the future"),
}
# Codes outside the domain enums that HTTP answers use.
NOT_AUTHENTICATED = "not_authenticated"
_OTHER: dict[str, Promise] = {NOT_AUTHENTICATED: _("log in again")}
_UNKNOWN = _("an unexpected error")


def error_message(code: AnyErrorCode | str) -> str:
    """The message of ``code`` in the active language (a generic one for an unknown code)."""
    return str(ERROR_MESSAGES.get(str(code)) or _OTHER.get(str(code)) or _UNKNOWN)


def error_strings() -> dict[str, str]:
    """``{"error.<code>": message}`` for the browser's scripts, in the active language."""
    codes = [*ERROR_MESSAGES, *_OTHER]
    return {f"error.{code}": error_message(code) for code in codes} | {
        "error.unknown": str(_UNKNOWN)
    }
