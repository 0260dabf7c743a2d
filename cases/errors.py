"""Case-record refusals: a ``DomainError`` with a code of ``core.errors.CaseErrorCode``."""

from __future__ import annotations

from core.errors import CaseErrorCode, DomainError

__all__ = ["CaseError", "CaseErrorCode"]


class CaseError(DomainError):
    """A domain refusal with a case-specific code; a ``DomainError`` for every caller."""

    def __init__(self, code: CaseErrorCode, message: str) -> None:
        super().__init__(code, message)
