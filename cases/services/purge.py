"""Retention per data class: what is due for erasure at a given moment, and erasing it.

It lives in ``cases`` because it is the one place that sees both domains (the conversation
domain ``advice`` never imports ``cases``). Each class has its own rule (``docs/security.md``):

- ended conversations: their words ``RETENTION_DAYS`` after closing (``retention_apply``;
  an escalated conversation's words live on in its case's frozen transcript);
- cases: past ``Case.review_at`` and not on ``legal_hold``, erased down to a metadata record
  (reference, unit, dates, category, status);
- audit events: after the end of the year following their year (``audit_purge``, which
  keeps the chain's anchor);
- expired sessions, unconfirmed authenticator devices older than a day, resume codes of
  conversations past their readable window, presence of dead processes, login attempts past
  their cool-off.

Every erasure writes a metadata-only audit event (counts and references, never content).
Running it again at the same moment erases nothing more.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from advice.audit import audit_record
from advice.audit_verify import audit_purge, audit_retention_cutoff
from advice.models import AuditEvent, Conversation, ConversationStatus, ProcessHeartbeat
from advice.services.retention import retention_apply
from advice.services.sweeper import sweep_due
from cases.models import (
    Case,
    CaseConversation,
    CaseNote,
    EvidenceItem,
    FinancialLoss,
    Indicator,
    Referral,
    TranscriptEntry,
)
from core.vocabulary import AuditAction

ENDED = (ConversationStatus.CLOSED, ConversationStatus.ABANDONED)
# An authenticator the officer never confirmed is a half-finished enrolment after this long.
UNCONFIRMED_DEVICE_AGE = timedelta(days=1)


@dataclass(frozen=True)
class PurgeReport:
    """How many items of each class were erased (or, in a dry run, are due)."""

    conversations: int = 0
    cases: int = 0
    audit_events: int = 0
    sessions: int = 0
    devices: int = 0
    resume_codes: int = 0
    processes: int = 0
    login_attempts: int = 0

    def counts(self) -> dict[str, int]:
        return asdict(self)

    @property
    def total(self) -> int:
        return sum(self.counts().values())


def _conversations_due(now: datetime) -> int:
    cutoff = now - timedelta(days=settings.RETENTION_DAYS)
    return Conversation.objects.filter(
        status__in=ENDED, closed_at__lt=cutoff, erased_at__isnull=True
    ).count()


def _cases_due(now: datetime) -> list[int]:
    return list(
        Case.objects.filter(review_at__lte=now, legal_hold=False, erased_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _resume_codes_due(now: datetime) -> list[int]:
    readable_since = now - timedelta(seconds=settings.CITIZEN_CODE_RESUME_SECONDS)
    return list(
        Conversation.objects.filter(status__in=ENDED, closed_at__lt=readable_since)
        .exclude(resume_hash="", resume_lookup="")
        .values_list("pk", flat=True)
    )


def _sessions_due(now: datetime) -> int:
    return Session.objects.filter(expire_date__lt=now).count()


def _devices_due(now: datetime) -> int:
    return TOTPDevice.objects.filter(
        confirmed=False, created_at__lt=now - UNCONFIRMED_DEVICE_AGE
    ).count()


def _attempts_cutoff(now: datetime) -> datetime:
    cooloff = settings.AXES_COOLOFF_TIME
    return now - (cooloff if isinstance(cooloff, timedelta) else timedelta(hours=cooloff))


def _attempts_due(now: datetime) -> int:
    cutoff = _attempts_cutoff(now)
    return (
        AccessAttempt.objects.filter(attempt_time__lt=cutoff).count()
        + AccessFailureLog.objects.filter(attempt_time__lt=cutoff).count()
    )


def _processes_due(now: datetime) -> int:
    stale_before = now - timedelta(seconds=settings.PRESENCE_TTL_SECONDS)
    return ProcessHeartbeat.objects.filter(beat_at__lt=stale_before).count()


def _audit_due(now: datetime) -> int:
    return AuditEvent.objects.filter(at__lt=audit_retention_cutoff(now)).count()


def purge_due(*, now: datetime | None = None) -> PurgeReport:
    """What :func:`purge_expired` would erase at ``now`` (nothing is changed)."""
    now = now or timezone.now()
    return PurgeReport(
        conversations=_conversations_due(now),
        cases=len(_cases_due(now)),
        audit_events=_audit_due(now),
        sessions=_sessions_due(now),
        devices=_devices_due(now),
        resume_codes=len(_resume_codes_due(now)),
        processes=_processes_due(now),
        login_attempts=_attempts_due(now),
    )


def case_erase(*, case_id: int, now: datetime) -> bool:
    """Erase one case down to its metadata, unless it is on legal hold or already erased.

    Deleted: notes, losses, indicators, the transcript, the evidence checklist and the links
    to conversations; cleared: the summary, the incident time and referral texts. Kept: the
    reference, unit, category, urgency, status and dates, and ``erased_at``. Writes one
    ``case.erased`` audit event. Returns whether the case was erased now.
    """
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(pk=case_id).first()
        if case is None or case.legal_hold or case.erased_at is not None:
            return False
        transcript, _ = TranscriptEntry.objects.filter(case=case).delete()
        CaseNote.objects.filter(case=case).delete()
        FinancialLoss.objects.filter(case=case).delete()
        Indicator.objects.filter(case=case).delete()
        EvidenceItem.objects.filter(case=case).delete()
        CaseConversation.objects.filter(case=case).delete()
        Referral.objects.filter(case=case).update(summary="", decision_reason="")
        case.summary = ""
        case.incident_at = None
        case.transcript_head = ""
        case.transcript_length = 0
        case.erased_at = now
        case.save(
            update_fields=[
                "summary",
                "incident_at",
                "transcript_head",
                "transcript_length",
                "erased_at",
                "updated_at",
            ]
        )
        audit_record(
            action=AuditAction.CASE_ERASED,
            actor_kind="system",
            object_type="case",
            object_id=case.pk,
            params={
                "reference": case.reference,
                "unit": case.unit.code,
                "category": case.category,
                "created_at": case.created_at.isoformat(),
                "review_at": case.review_at.isoformat() if case.review_at else "",
                "transcript_entries": transcript,
            },
        )
    return True


def resume_codes_clear(*, now: datetime) -> int:
    """Forget the resume codes of ended conversations that can no longer be resumed."""
    ids = _resume_codes_due(now)
    return Conversation.objects.filter(pk__in=ids).update(resume_hash="", resume_lookup="")


def purge_expired(*, now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Erase everything past its retention period at ``now`` (see the module).

    With ``dry_run`` nothing changes and the report says what is due. Otherwise one
    ``retention.purged`` audit event records the counts when anything was erased.
    """
    now = now or timezone.now()
    if dry_run:
        return purge_due(now=now)
    conversations = retention_apply(now=now).conversations
    cases = sum(case_erase(case_id=case_id, now=now) for case_id in _cases_due(now))
    audit_events = audit_purge(before=audit_retention_cutoff(now)).purged
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    devices, _ = TOTPDevice.objects.filter(
        confirmed=False, created_at__lt=now - UNCONFIRMED_DEVICE_AGE
    ).delete()
    codes = resume_codes_clear(now=now)
    processes = len(sweep_due(now=now).processes_expired)
    cutoff = _attempts_cutoff(now)
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    failures, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    report = PurgeReport(
        conversations=conversations,
        cases=cases,
        audit_events=audit_events,
        sessions=sessions,
        devices=devices,
        resume_codes=codes,
        processes=processes,
        login_attempts=attempts + failures,
    )
    if report.total:
        with transaction.atomic():
            audit_record(
                action=AuditAction.RETENTION_PURGED,
                actor_kind="system",
                object_type="retention",
                params={"at": now.isoformat(), **report.counts()},
            )
    return report
