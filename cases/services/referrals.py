"""Referral of a case or a live conversation to another unit: create, accept, decline.

The receiving unit sees a pending referral in its inbox; accepting makes it the owner
(a case's ``unit`` changes; a live conversation gets the new ``unit``, ``referred_at`` and
waits in that unit's queue, ``cases.services.referral_routing``). Every step writes an audit
event; the referring officer hears the decision live.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from advice.audit import audit_record
from advice.models import Conversation, ConversationStatus, Unit
from advice.selectors import is_supervisor
from cases.errors import CaseError, CaseErrorCode
from cases.models import Case, CaseStatus, Referral, ReferralReason, ReferralStatus
from cases.selectors import staff_unit_id
from cases.services.common import case_audit, case_lock_for_change, participant_add
from cases.services.referral_routing import (
    referral_conversation_route,
    referral_created_announce,
    referral_decision_announce,
)
from core.errors import DomainError, ErrorCode
from core.vocabulary import AuditAction

SUMMARY_MAX_CHARS = 1000
REASON_MAX_CHARS = 500


def _clean(value: object, *, field: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit or "\x00" in value:
        raise DomainError(
            ErrorCode.INVALID_FIELD, f"Field '{field}' must be text of 1 to {limit} characters."
        )
    return value.strip()


def _target(unit_code: object, from_unit_id: int) -> Unit:
    unit = Unit.objects.filter(code=unit_code).first() if isinstance(unit_code, str) else None
    if unit is None:
        raise CaseError(CaseErrorCode.UNKNOWN_UNIT, "No unit with this code.")
    if unit.pk == from_unit_id:
        raise CaseError(CaseErrorCode.SAME_UNIT, "A referral must go to another unit.")
    return unit


def _reason(reason: object) -> str:
    if reason not in ReferralReason.values:
        raise DomainError(
            ErrorCode.INVALID_FIELD,
            "Field 'reason' must be one of: " + ", ".join(ReferralReason.values) + ".",
        )
    return str(reason)


def referral_case_create(
    *, case_id: int, user: AbstractBaseUser, unit_code: object, reason: object, summary: object
) -> Referral:
    """Refer a case to the unit ``unit_code``; one pending referral per case at a time."""
    reason = _reason(reason)
    summary = _clean(summary, field="summary", limit=SUMMARY_MAX_CHARS)
    with transaction.atomic():
        case = case_lock_for_change(case_id=case_id, user=user)
        to_unit = _target(unit_code, case.unit_id)
        if case.referrals.filter(status=ReferralStatus.PENDING).exists():
            raise CaseError(
                CaseErrorCode.REFERRAL_PENDING, "This case already has a pending referral."
            )
        referral = Referral.objects.create(
            case=case,
            from_unit_id=case.unit_id,
            to_unit=to_unit,
            reason=reason,
            summary=summary,
            created_by_id=user.pk,
        )
        participant_add(case, user)
        case_audit(
            case=case,
            action=AuditAction.CASE_REFERRED,
            actor=user,
            params={"referral": referral.pk, "to_unit": to_unit.code, "reason": reason},
        )
    return referral


def referral_conversation_create(
    *,
    conversation_id: int,
    user: AbstractBaseUser,
    unit_code: object,
    reason: object,
    summary: object,
) -> Referral:
    """Refer a live (waiting or active) conversation to another unit.

    Allowed for the conversation's assigned officer and for a supervisor of its unit.
    """
    reason = _reason(reason)
    summary = _clean(summary, field="summary", limit=SUMMARY_MAX_CHARS)
    user_unit = staff_unit_id(user)
    if user_unit is None:
        raise DomainError(ErrorCode.NOT_ALLOWED, "Only officers can refer conversations.")
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
        if conversation is None:
            raise DomainError(ErrorCode.NOT_FOUND, "No such conversation.")
        supervisor_here = is_supervisor(user) and conversation.unit_id in (None, user_unit)
        if conversation.assigned_officer_id != user.pk and not supervisor_here:
            raise DomainError(ErrorCode.NOT_ASSIGNED, "This conversation is not assigned to you.")
        if conversation.status not in (ConversationStatus.WAITING, ConversationStatus.ACTIVE):
            raise DomainError(ErrorCode.CONVERSATION_ENDED, "The conversation has ended.")
        from_unit_id = conversation.unit_id or user_unit
        to_unit = _target(unit_code, from_unit_id)
        if Referral.objects.filter(
            conversation=conversation, case__isnull=True, status=ReferralStatus.PENDING
        ).exists():
            raise CaseError(
                CaseErrorCode.REFERRAL_PENDING, "This conversation already has a pending referral."
            )
        referral = Referral.objects.create(
            conversation=conversation,
            from_unit_id=from_unit_id,
            to_unit=to_unit,
            reason=reason,
            summary=summary,
            created_by_id=user.pk,
        )
        audit_record(
            action=AuditAction.CONVERSATION_REFERRED,
            actor=user,
            conversation=conversation,
            object_type="referral",
            object_id=referral.pk,
            params={"to_unit": to_unit.code, "reason": reason},
        )
        referral_created_announce(referral=referral, conversation=conversation)
    return referral


def _lock_pending_for_receiver(referral_id: int, user: AbstractBaseUser) -> Referral:
    unit_id = staff_unit_id(user)
    referral = (
        Referral.objects.select_for_update()
        .select_related("to_unit", "from_unit")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None or unit_id is None or referral.to_unit_id != unit_id:
        raise DomainError(ErrorCode.NOT_FOUND, "No such referral to your unit.")
    if referral.status != ReferralStatus.PENDING:
        raise CaseError(
            CaseErrorCode.REFERRAL_NOT_PENDING, f"This referral was already {referral.status}."
        )
    return referral


def referral_accept(*, referral_id: int, user: AbstractBaseUser) -> Referral:
    """The receiving unit takes over: a case moves to it (the accepting officer is assigned);
    a live conversation waits in the receiving unit's queue only."""
    now = timezone.now()
    with transaction.atomic():
        referral = _lock_pending_for_receiver(referral_id, user)
        if referral.case_id is not None:
            case = Case.objects.select_for_update().get(pk=referral.case_id)
            if case.status == CaseStatus.CLOSED:
                raise CaseError(CaseErrorCode.CASE_CLOSED, "The case was closed meanwhile.")
            case.unit_id = referral.to_unit_id
            case.assigned_officer_id = user.pk
            case.save(update_fields=["unit", "assigned_officer", "updated_at"])
            participant_add(case, user)
        else:
            conversation = (
                Conversation.objects.select_for_update()
                .filter(pk=referral.conversation_id or 0)
                .first()
            )
            if conversation is None or conversation.status not in (
                ConversationStatus.WAITING,
                ConversationStatus.ACTIVE,
            ):
                raise DomainError(
                    ErrorCode.CONVERSATION_ENDED, "The conversation has ended; decline instead."
                )
            referral_conversation_route(referral=referral, conversation=conversation, now=now)
        referral.status = ReferralStatus.ACCEPTED
        referral.decided_by_id = user.pk
        referral.decided_at = now
        referral.save(update_fields=["status", "decided_by", "decided_at"])
        _audit_decision(referral, user, "accepted")
        referral_decision_announce(referral)
    return referral


def referral_decline(*, referral_id: int, user: AbstractBaseUser, reason: object) -> Referral:
    """The receiving unit refuses, saying why; the sender keeps the case or conversation."""
    reason = _clean(reason, field="reason", limit=REASON_MAX_CHARS)
    with transaction.atomic():
        referral = _lock_pending_for_receiver(referral_id, user)
        # Audited first: the decliner's access to the case rests on the pending referral.
        _audit_decision(referral, user, "declined", reason)
        referral.status = ReferralStatus.DECLINED
        referral.decided_by_id = user.pk
        referral.decided_at = timezone.now()
        referral.decision_reason = reason
        referral.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        referral_decision_announce(referral)
    return referral


def _audit_decision(
    referral: Referral, user: AbstractBaseUser, outcome: str, reason: str = ""
) -> None:
    params: dict[str, object] = {
        "referral": referral.pk,
        "from_unit": referral.from_unit.code,
        "to_unit": referral.to_unit.code,
    }
    if reason:
        params["reason"] = reason
    if referral.case is not None:
        accepted = outcome == "accepted"
        case_audit(
            case=referral.case,
            action=(
                AuditAction.CASE_REFERRAL_ACCEPTED
                if accepted
                else AuditAction.CASE_REFERRAL_DECLINED
            ),
            actor=user,
            params=params,
        )
    else:
        audit_record(
            action=(
                AuditAction.CONVERSATION_REFERRAL_ACCEPTED
                if outcome == "accepted"
                else AuditAction.CONVERSATION_REFERRAL_DECLINED
            ),
            actor=user,
            conversation=Conversation(pk=referral.conversation_id)
            if referral.conversation_id
            else None,
            object_type="referral",
            object_id=referral.pk,
            params=params,
        )
