"""Stable error codes of case records (in addition to ``advice.errors.ErrorCode``)."""

from __future__ import annotations

from enum import StrEnum

from advice.errors import DomainError


class CaseErrorCode(StrEnum):
    """Error codes clients can rely on; documented in ``docs/cases.md``. Never rename a value."""

    ALREADY_ESCALATED = "already_escalated"
    CASE_CLOSED = "case_closed"
    REFERRAL_PENDING = "referral_pending"
    REFERRAL_NOT_PENDING = "referral_not_pending"
    SAME_UNIT = "same_unit"
    UNKNOWN_UNIT = "unknown_unit"
    NO_INDICATOR = "no_indicator"


class CaseError(DomainError):
    """A domain refusal with a case-specific code; a ``DomainError`` for every caller."""

    def __init__(self, code: CaseErrorCode, message: str) -> None:
        super().__init__(code, message)
