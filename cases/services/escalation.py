"""Turning a conversation into a case: reference number, snapshot, indicators, citizen notice."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from advice.models import Conversation, ConversationStatus, MessageKind, SenderKind, Unit
from advice.selectors import is_supervisor, officer_profile
from advice.services.messages import message_post
from cases.checklist import evidence_checklist, staff_language
from cases.errors import CaseError, CaseErrorCode
from cases.models import (
    Case,
    CaseConversation,
    EvidenceItem,
    ReferenceCounter,
)
from cases.notice import citizen_notice
from cases.services.common import case_audit, participant_add
from cases.services.indicators import indicators_extract
from cases.services.transcript import transcript_append_new
from core.errors import DomainError, ErrorCode
from core.vocabulary import AuditAction


def reference_year(unit: Unit, now: datetime) -> int:
    """The calendar year at the unit's location (a case on New Year's Eve counts locally)."""
    return now.astimezone(ZoneInfo(unit.zone_name)).year


def next_case_number(*, unit_id: int, year: int) -> int:
    """Take the next number of ``unit_id`` in ``year``; call inside the case's transaction.

    The conditional ``UPDATE … SET last_number = last_number + 1`` locks the counter row
    until commit, so concurrent escalations queue behind each other: numbers have no
    duplicates, and no gaps, because a rolled-back escalation rolls its increment back too.
    """
    counters = ReferenceCounter.objects.filter(unit_id=unit_id, year=year)
    if counters.update(last_number=F("last_number") + 1) == 0:
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(unit_id=unit_id, year=year, last_number=1)
            return 1
        except IntegrityError:
            # Another escalation created this year's row first; it is committed now.
            counters.update(last_number=F("last_number") + 1)
    return counters.values_list("last_number", flat=True).get()


def _may_escalate(conversation: Conversation, officer: AbstractBaseUser, unit_id: int) -> bool:
    if conversation.assigned_officer_id == officer.pk:
        return True
    return is_supervisor(officer) and conversation.unit_id in (None, unit_id)


def case_escalate(*, conversation_id: int, officer: AbstractBaseUser) -> Case:
    """Make a case of a conversation in one transaction and tell the citizen its reference.

    Allowed for the conversation's assigned officer and for a supervisor of its unit.
    The case gets the next reference of its unit and year (``KAT-2026-000123``), the
    conversation's category, urgency and language, the category's evidence checklist, a
    hash-chained transcript of every message so far and suggested indicators from the
    citizen's messages; ``Conversation.escalated_at`` is set. If the conversation is still
    open, the citizen receives a system message with ``payload = {"case_reference": …,
    "bring": […]}``. Raises ``already_escalated`` for a conversation that is a case already.
    """
    profile = officer_profile(user=officer)
    if profile is None:
        raise DomainError(ErrorCode.NOT_ALLOWED, "Only officers can open cases.")
    now = timezone.now()
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("unit")
            .filter(pk=conversation_id)
            .first()
        )
        if conversation is None:
            raise DomainError(ErrorCode.NOT_FOUND, "No such conversation.")
        if not _may_escalate(conversation, officer, profile.unit_id):
            raise DomainError(ErrorCode.NOT_ASSIGNED, "This conversation is not assigned to you.")
        link = CaseConversation.objects.filter(conversation=conversation).select_related("case")
        existing = link.first()
        if existing is not None:
            raise CaseError(
                CaseErrorCode.ALREADY_ESCALATED,
                f"This conversation is already case {existing.case.reference}.",
            )
        unit = conversation.unit or profile.unit
        year = reference_year(unit, now)
        number = next_case_number(unit_id=unit.pk, year=year)
        case = Case.objects.create(
            reference=f"{unit.code}-{year}-{number:06d}",
            unit=unit,
            category=conversation.category or "other",
            urgency=conversation.urgency,
            assigned_officer_id=officer.pk,
            created_by_id=officer.pk,
            language=conversation.language,
            review_at=now + timedelta(days=unit.case_retention_days),
        )
        CaseConversation.objects.create(
            case=case, conversation=conversation, linked_by_id=officer.pk
        )
        participant_add(case, officer)
        EvidenceItem.objects.bulk_create(
            EvidenceItem(case=case, code=item.code, label=item.label, position=index)
            for index, item in enumerate(
                evidence_checklist(category=case.category, language=staff_language(unit.languages))
            )
        )
        Conversation.objects.filter(pk=conversation.pk).update(escalated_at=now)
        notified = False
        if conversation.status in (ConversationStatus.WAITING, ConversationStatus.ACTIVE):
            notice = citizen_notice(
                reference=case.reference,
                category=case.category,
                language=conversation.language,
                contact=unit.citizen_contact,
            )
            message_post(
                conversation_id=conversation.pk,
                sender=SenderKind.SYSTEM,
                client_id=f"case-{case.pk}",
                text=notice.text,
                kind=MessageKind.SYSTEM,
                payload=notice.payload,
            )
            notified = True
        snapshot = transcript_append_new(case)
        suggested = indicators_extract(case)
        case_audit(
            case=case,
            action=AuditAction.CASE_ESCALATED,
            actor=officer,
            params={
                "conversation": conversation.pk,
                "unit": unit.code,
                "citizen_notified": notified,
                "transcript_entries": snapshot,
                "indicators_suggested": suggested,
            },
        )
    return case
