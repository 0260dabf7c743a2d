"""Indicators of a case: extracted from the citizen's messages, confirmed or removed by staff."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from advice.models import Message, SenderKind
from cases.errors import CaseError, CaseErrorCode
from cases.indicators import Found, Hints, extract_indicators
from cases.models import Case, CaseConversation, Indicator, IndicatorParty, IndicatorStatus
from cases.services.common import case_audit, case_lock_for_change, participant_add
from core.errors import DomainError, ErrorCode
from core.vocabulary import AuditAction

MANUAL_MAX_CHARS = 2000


def _hints(case: Case) -> Hints:
    return Hints(country=case.unit.country, language=case.language)


def indicators_extract(case: Case) -> int:
    """Add suggestions for values in the citizen's messages not yet on the case.

    Values already on the case keep their state (a removed one is not suggested again);
    their ``seen_in`` list grows. Returns the number of new suggestions. The caller holds
    the case's lock.
    """
    conversation_ids = list(
        CaseConversation.objects.filter(case=case, conversation__isnull=False).values_list(
            "conversation_id", flat=True
        )
    )
    messages = Message.objects.filter(
        conversation_id__in=conversation_ids, sender=SenderKind.CITIZEN
    ).order_by("conversation_id", "seq")
    hints = _hints(case)
    seen: dict[tuple[str, str], tuple[Found, list[list[int]]]] = {}
    for message in messages:
        for found in extract_indicators(message.text, hints):
            entry = seen.setdefault((found.kind, found.value), (found, []))
            entry[1].append([message.conversation_id, message.seq])
    existing = {(i.kind, i.value): i for i in case.indicators.all()}
    created = 0
    for key, (found, sources) in seen.items():
        current = existing.get(key)
        if current is None:
            Indicator.objects.create(
                case=case,
                kind=found.kind,
                value=found.value,
                display=found.display,
                details=found.details,
                seen_in=sources,
            )
            created += 1
        elif current.seen_in != sources:
            current.seen_in = sources
            current.save(update_fields=["seen_in"])
    return created


def indicators_refresh(*, case_id: int, user: AbstractBaseUser) -> int:
    """Extract again on demand (new messages may have arrived); audited."""
    with transaction.atomic():
        case = case_lock_for_change(case_id=case_id, user=user)
        created = indicators_extract(case)
        participant_add(case, user)
        case_audit(
            case=case,
            action=AuditAction.CASE_INDICATORS_EXTRACTED,
            actor=user,
            params={"new": created},
        )
    return created


def indicator_decide(
    *, case_id: int, user: AbstractBaseUser, indicator_id: int, status: str, party: str = ""
) -> Indicator:
    """Confirm (with whose it is: suspect, victim, unknown) or remove an indicator."""
    if status not in (IndicatorStatus.CONFIRMED, IndicatorStatus.REMOVED):
        raise DomainError(ErrorCode.INVALID_FIELD, "Status must be 'confirmed' or 'removed'.")
    if party and party not in IndicatorParty.values:
        raise DomainError(ErrorCode.INVALID_FIELD, "Party must be suspect, victim or unknown.")
    with transaction.atomic():
        case = case_lock_for_change(case_id=case_id, user=user)
        indicator = case.indicators.filter(pk=indicator_id).first()
        if indicator is None:
            raise CaseError(CaseErrorCode.NO_INDICATOR, "No such indicator on this case.")
        previous = indicator.status
        indicator.status = status
        if party:
            indicator.party = party
        indicator.decided_by_id = user.pk
        indicator.decided_at = timezone.now()
        indicator.save(update_fields=["status", "party", "decided_by", "decided_at"])
        participant_add(case, user)
        case_audit(
            case=case,
            action=(
                AuditAction.CASE_INDICATOR_CONFIRMED
                if status == IndicatorStatus.CONFIRMED
                else AuditAction.CASE_INDICATOR_REMOVED
            ),
            actor=user,
            params={
                "indicator": indicator.pk,
                "kind": indicator.kind,
                "from": previous,
                "party": indicator.party,
            },
        )
    return indicator


def indicators_add_manual(
    *, case_id: int, user: AbstractBaseUser, text: str, party: str
) -> list[Indicator]:
    """Read indicators from text an officer typed; each one found is added as confirmed.

    Raises ``no_indicator`` when the text holds no recognisable (valid) indicator.
    """
    if not isinstance(text, str) or not text.strip() or len(text) > MANUAL_MAX_CHARS:
        raise DomainError(
            ErrorCode.INVALID_FIELD, "Enter the value to add (up to 2000 characters)."
        )
    if party not in IndicatorParty.values:
        raise DomainError(ErrorCode.INVALID_FIELD, "Party must be suspect, victim or unknown.")
    now = timezone.now()
    with transaction.atomic():
        case = case_lock_for_change(case_id=case_id, user=user)
        found = extract_indicators(text, _hints(case))
        if not found:
            raise CaseError(
                CaseErrorCode.NO_INDICATOR,
                "No valid phone number, account, card, address or ID was recognised.",
            )
        added: list[Indicator] = []
        for item in found:
            indicator, _created = Indicator.objects.update_or_create(
                case=case,
                kind=item.kind,
                value=item.value,
                defaults={
                    "display": item.display,
                    "details": item.details,
                    "status": IndicatorStatus.CONFIRMED,
                    "party": party,
                    "decided_by_id": user.pk,
                    "decided_at": now,
                },
                create_defaults={
                    "display": item.display,
                    "details": item.details,
                    "status": IndicatorStatus.CONFIRMED,
                    "party": party,
                    "decided_by_id": user.pk,
                    "decided_at": now,
                    "manual": True,
                },
            )
            added.append(indicator)
        participant_add(case, user)
        case_audit(
            case=case,
            action=AuditAction.CASE_INDICATOR_ADDED,
            actor=user,
            params={"indicators": [i.pk for i in added], "kinds": [i.kind for i in added]},
        )
    return added
