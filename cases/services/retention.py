"""How long a case is kept: its review date and the legal hold, set by its unit's supervisors.

Past ``Case.review_at`` ``purge_expired`` erases a case (``cases.services.purge``) unless it is
on legal hold. A supervisor of the case's unit (``retention_editable_by``) may put the case on
hold or lift the hold, and move its review date to a later day, each with a reason of at most
``RETENTION_REASON_MAX`` characters; every change is audited with its reason
(``case.legal_hold_set``, ``case.review_date_set``). Officers see both, read only.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from advice.selectors import is_supervisor
from cases.errors import CaseError
from cases.models import Case
from cases.selectors import User, case_editable_by
from cases.services.common import case_audit
from core.errors import CaseErrorCode, DomainError, ErrorCode
from core.vocabulary import AuditAction

RETENTION_REASON_MAX = 200


def retention_editable_by(case: Case, user: User) -> bool:
    """Supervisors of the case's unit (or assigned to it) may hold it or move its review."""
    return is_supervisor(user) and case_editable_by(case, user)  # type: ignore[arg-type]


def _reason(value: object) -> str:
    cleaned = value.strip() if isinstance(value, str) else ""
    if not cleaned or "\x00" in cleaned or len(cleaned) > RETENTION_REASON_MAX:
        raise DomainError(
            ErrorCode.INVALID_FIELD,
            f"Give a reason of at most {RETENTION_REASON_MAX} characters.",
        )
    return cleaned


def _case_for_retention(case_id: int, user: AbstractBaseUser) -> Case:
    """The case, locked for the change; ``not_found``, ``not_allowed`` or an erased case's
    ``invalid_transition`` otherwise."""
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such case.")
    if not retention_editable_by(case, user):
        raise DomainError(
            ErrorCode.NOT_ALLOWED, "Only a supervisor of the case's unit can change this."
        )
    if case.erased_at is not None:
        raise DomainError(ErrorCode.INVALID_TRANSITION, "The case has been erased.")
    return case


def case_legal_hold_set(
    *, case_id: int, user: AbstractBaseUser, hold: bool, reason: object
) -> Case:
    """Put a case on legal hold (it is not erased at its review date) or lift the hold.

    Audited as ``case.legal_hold_set`` (``hold``, ``reason``); setting the state it already
    has changes nothing and writes nothing.
    """
    cleaned = _reason(reason)
    with transaction.atomic():
        case = _case_for_retention(case_id, user)
        if case.legal_hold == hold:
            return case
        case.legal_hold = hold
        case.legal_hold_reason = cleaned if hold else ""
        case.legal_hold_at = timezone.now() if hold else None
        case.save(update_fields=["legal_hold", "legal_hold_reason", "legal_hold_at", "updated_at"])
        case_audit(
            case=case,
            action=AuditAction.CASE_LEGAL_HOLD_SET,
            actor=user,
            params={"hold": hold, "reason": cleaned},
        )
    return case


def case_review_date_set(
    *, case_id: int, user: AbstractBaseUser, review_at: datetime, reason: object
) -> Case:
    """Move the case's review date to ``review_at`` (aware), which must lie in the future: an
    earlier date would erase the case at the next purge, not a change a form should make.

    Audited as ``case.review_date_set`` (``from``, ``to``, ``reason``).
    """
    cleaned = _reason(reason)
    if review_at <= timezone.now():
        raise CaseError(CaseErrorCode.REVIEW_DATE_PAST, "The review date must be in the future.")
    with transaction.atomic():
        case = _case_for_retention(case_id, user)
        if case.review_at == review_at:
            return case
        before = case.review_at
        case.review_at = review_at
        case.save(update_fields=["review_at", "updated_at"])
        case_audit(
            case=case,
            action=AuditAction.CASE_REVIEW_DATE_SET,
            actor=user,
            params={
                "from": before.isoformat() if before else "",
                "to": review_at.isoformat(),
                "reason": cleaned,
            },
        )
    return case
