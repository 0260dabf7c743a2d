"""Changing a case: its fields, status, financial losses, evidence checklist and notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from advice.models import OfficerProfile, Urgency
from cases.checklist import evidence_checklist, staff_language
from cases.models import (
    Case,
    CaseNote,
    CaseStatus,
    EvidenceItem,
    FinancialLoss,
    PaymentMethod,
)
from cases.money import CRYPTO_CURRENCIES, FIAT_CURRENCIES
from cases.services.common import case_audit, case_lock_for_change, participant_add
from core.errors import DomainError, ErrorCode
from core.vocabulary import AuditAction, Category

# Allowed status changes; anything else is refused with ``invalid_transition``.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.OPEN: frozenset({CaseStatus.REFERRED, CaseStatus.CLOSED}),
    CaseStatus.REFERRED: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.OPEN}),
}
TEXT_MAX_CHARS = 4000


def _clean_text(value: object, *, field: str, required: bool, limit: int = TEXT_MAX_CHARS) -> str:
    if not isinstance(value, str) or "\x00" in value or len(value) > limit:
        raise DomainError(
            ErrorCode.INVALID_FIELD, f"Field '{field}' must be text of at most {limit} characters."
        )
    if required and not value.strip():
        raise DomainError(ErrorCode.INVALID_FIELD, f"Field '{field}' must not be empty.")
    return value.strip()


@dataclass(frozen=True)
class CaseFields:
    """The structured fields an officer edits together."""

    category: str
    urgency: str
    summary: str
    incident_at: datetime | None
    assigned_officer_id: int | None


def case_update(*, case_id: int, user: AbstractBaseUser, fields: CaseFields) -> Case:
    """Change the case's fields; a new category adds its checklist items (items already
    ticked stay). The audit event lists the changed fields (old and new values except for
    the free-text summary)."""
    if fields.category not in Category.values:
        raise DomainError(ErrorCode.INVALID_FIELD, "Unknown category.")
    if fields.urgency not in Urgency.values:
        raise DomainError(ErrorCode.INVALID_FIELD, "Urgency must be P1, P2, P3 or P4.")
    summary = _clean_text(fields.summary, field="summary", required=False)
    with transaction.atomic():
        case = case_lock_for_change(case_id=case_id, user=user)
        if (
            fields.assigned_officer_id is not None
            and not OfficerProfile.objects.filter(
                user_id=fields.assigned_officer_id, unit_id=case.unit_id
            ).exists()
        ):
            raise DomainError(
                ErrorCode.INVALID_FIELD, "The assigned officer must belong to the case's unit."
            )
        changes: dict[str, Any] = {}
        for name, new in (
            ("category", fields.category),
            ("urgency", fields.urgency),
            ("assigned_officer_id", fields.assigned_officer_id),
            ("incident_at", fields.incident_at),
            ("summary", summary),
        ):
            old = getattr(case, name)
            if old != new:
                changes[name] = "changed" if name == "summary" else [_plain(old), _plain(new)]
                setattr(case, name, new)
        if not changes:
            return case
        case.save()
        if "category" in changes:
            _checklist_extend(case)
        participant_add(case, user)
        if case.assigned_officer is not None:
            participant_add(case, case.assigned_officer)
        case_audit(
            case=case, action=AuditAction.CASE_UPDATED, actor=user, params={"changes": changes}
        )
    return case


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def _checklist_extend(case: Case) -> None:
    """Give the case the checklist of its (new) category; drop unticked items of the old one."""
    wanted = evidence_checklist(
        category=case.category, language=staff_language(case.unit.languages)
    )
    codes = [item.code for item in wanted]
    case.evidence_items.exclude(code__in=codes).filter(have=False).delete()
    present = set(case.evidence_items.values_list("code", flat=True))
    for index, item in enumerate(wanted):
        if item.code in present:
            case.evidence_items.filter(code=item.code).update(position=index)
        else:
            EvidenceItem.objects.create(case=case, code=item.code, label=item.label, position=index)


def case_transition(*, case_id: int, user: AbstractBaseUser, status: str, reason: str = "") -> Case:
    """Move the case along ``open → referred → closed`` (``closed → open`` reopens it).

    Reopening needs a reason. Refused changes raise ``invalid_transition``.
    """
    reason = _clean_text(reason, field="reason", required=False, limit=500)
    with transaction.atomic():
        case = case_lock_for_change(case_id=case_id, user=user, allow_closed=True)
        allowed = TRANSITIONS.get(case.status, frozenset())
        if status not in allowed:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION,
                f"A case cannot go from '{case.status}' to '{status}'.",
            )
        if case.status == CaseStatus.CLOSED and not reason:
            raise DomainError(ErrorCode.INVALID_FIELD, "Say why the case is reopened.")
        previous = case.status
        case.status = status
        case.closed_at = timezone.now() if status == CaseStatus.CLOSED else None
        case.save(update_fields=["status", "closed_at", "updated_at"])
        participant_add(case, user)
        case_audit(
            case=case,
            action=AuditAction.CASE_STATUS_CHANGED,
            actor=user,
            params={"from": previous, "to": status, "reason": reason},
        )
    return case


@dataclass(frozen=True)
class LossInput:
    amount: object
    currency: str
    method: str = PaymentMethod.TRANSFER
    occurred_at: datetime | None = None
    note: str = ""


def _clean_amount(value: object) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        amount = Decimal(0)
    if not amount.is_finite() or amount <= 0 or amount >= Decimal(10) ** 12:
        raise DomainError(ErrorCode.INVALID_FIELD, "The amount must be a positive number.")
    if amount != amount.quantize(Decimal("0.00000001")):
        raise DomainError(ErrorCode.INVALID_FIELD, "The amount has too many decimal places.")
    return amount


def case_loss_add(*, case_id: int, user: AbstractBaseUser, loss: LossInput) -> FinancialLoss:
    """Record one amount the victim lost (several entries, any currencies)."""
    amount = _clean_amount(loss.amount)
    currency = loss.currency.strip().upper() if isinstance(loss.currency, str) else ""
    if currency not in FIAT_CURRENCIES + CRYPTO_CURRENCIES:
        raise DomainError(ErrorCode.INVALID_FIELD, "Unknown currency.")
    if loss.method not in PaymentMethod.values:
        raise DomainError(ErrorCode.INVALID_FIELD, "Unknown payment method.")
    note = _clean_text(loss.note, field="note", required=False, limit=300)
    with transaction.atomic():
        case = case_lock_for_change(case_id=case_id, user=user)
        entry = FinancialLoss.objects.create(
            case=case,
            amount=amount,
            currency=currency,
            method=loss.method,
            occurred_at=loss.occurred_at,
            note=note,
            created_by_id=user.pk,
        )
        participant_add(case, user)
        case_audit(
            case=case,
            action=AuditAction.CASE_LOSS_ADDED,
            actor=user,
            params={"loss": entry.pk, "amount": str(amount), "currency": currency},
        )
    return entry


def case_loss_remove(*, case_id: int, user: AbstractBaseUser, loss_id: int) -> None:
    with transaction.atomic():
        case = case_lock_for_change(case_id=case_id, user=user)
        entry = case.losses.filter(pk=loss_id).first()
        if entry is None:
            raise DomainError(ErrorCode.NOT_FOUND, "No such loss entry on this case.")
        params = {"loss": entry.pk, "amount": str(entry.amount), "currency": entry.currency}
        entry.delete()
        participant_add(case, user)
        case_audit(case=case, action=AuditAction.CASE_LOSS_REMOVED, actor=user, params=params)


def case_checklist_set(
    *, case_id: int, user: AbstractBaseUser, have: set[str]
) -> list[EvidenceItem]:
    """Tick exactly the checklist items in ``have`` (codes); others are unticked."""
    with transaction.atomic():
        case = case_lock_for_change(case_id=case_id, user=user)
        items = list(case.evidence_items.all())
        unknown = have - {item.code for item in items}
        if unknown:
            raise DomainError(ErrorCode.INVALID_FIELD, "Unknown checklist item.")
        changed = [item for item in items if item.have != (item.code in have)]
        for item in changed:
            item.have = item.code in have
        EvidenceItem.objects.bulk_update(changed, ["have"])
        if changed:
            participant_add(case, user)
            case_audit(
                case=case,
                action=AuditAction.CASE_CHECKLIST_UPDATED,
                actor=user,
                params={"have": sorted(have), "changed": [i.code for i in changed]},
            )
    return items


def case_note_add(*, case_id: int, user: AbstractBaseUser, text: object) -> CaseNote:
    """Add an internal note (staff only; never shown to the citizen)."""
    clean = _clean_text(text, field="text", required=True)
    profile = OfficerProfile.objects.filter(user_id=user.pk).first()
    with transaction.atomic():
        case = case_lock_for_change(case_id=case_id, user=user, allow_closed=True)
        note = CaseNote.objects.create(
            case=case,
            author_id=user.pk,
            author_name=profile.display_name if profile else "",
            text=clean,
        )
        participant_add(case, user)
        case_audit(
            case=case, action=AuditAction.CASE_NOTE_ADDED, actor=user, params={"note": note.pk}
        )
    return note
