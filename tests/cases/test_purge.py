"""Retention per data class: each class is erased when its period is over at a chosen
moment, and not a day earlier; every purge leaves a metadata-only record."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from advice.audit import audit_record
from advice.audit_verify import audit_chain_verify
from advice.models import AuditEvent, Conversation, Message, ProcessHeartbeat, SenderKind
from advice.services.conversations import conversation_close, conversation_start
from advice.services.messages import message_post
from advice.services.resume_codes import resume_code_new, resume_code_store
from cases.models import CaseNote, FinancialLoss, Indicator, TranscriptEntry
from cases.services.cases import LossInput, case_loss_add, case_note_add
from cases.services.purge import purge_due, purge_expired
from cases.services.retention import case_legal_hold_set
from core.errors import DomainError

pytestmark = pytest.mark.django_db


def ended_conversation(*, closed_at: datetime, code: bool = False) -> Conversation:
    started = conversation_start(prechat={"what_happened": "phishing"})
    conversation_id = started.conversation.pk
    message_post(
        conversation_id=conversation_id, sender=SenderKind.CITIZEN, client_id="c", text="my PIN"
    )
    if code:
        resume_code_store(conversation_id=conversation_id, issued=resume_code_new())
    conversation_close(conversation_id=conversation_id, by="citizen")
    Conversation.objects.filter(pk=conversation_id).update(closed_at=closed_at)
    return Conversation.objects.get(pk=conversation_id)


def erasure_records() -> list[dict]:
    records = AuditEvent.objects.filter(action="retention.purged")
    return list(records.values_list("params", flat=True))


def test_a_conversation_is_erased_30_days_after_closing_by_default():
    closed = timezone.now() - timedelta(days=1)
    conversation = ended_conversation(closed_at=closed)

    assert purge_expired(now=closed + timedelta(days=29)).conversations == 0
    assert Message.objects.filter(conversation=conversation).count() == 1

    report = purge_expired(now=closed + timedelta(days=31))

    assert report.conversations == 1
    assert not Message.objects.filter(conversation=conversation).exists()
    conversation.refresh_from_db()
    assert conversation.erased_at is not None
    assert conversation.prechat == {}
    assert erasure_records()[-1]["conversations"] == 1
    assert purge_expired(now=closed + timedelta(days=31)).conversations == 0  # idempotent


def test_an_escalated_conversation_keeps_its_words_in_the_case_transcript(make_case):
    case = make_case(["Oszukano mnie na OLX."])
    conversation_id = case.conversation_links.get().conversation_id
    conversation_close(conversation_id=conversation_id, by="citizen")
    closed = Conversation.objects.get(pk=conversation_id).closed_at

    purge_expired(now=closed + timedelta(days=31))

    assert not Message.objects.filter(conversation_id=conversation_id).exists()
    texts = list(TranscriptEntry.objects.filter(case=case).values_list("text", flat=True))
    assert "Oszukano mnie na OLX." in texts


def test_a_case_past_its_review_date_is_erased_to_a_metadata_record(make_case, officer):
    case = make_case(["Przelałem 500 zł na PL61109010140000071219812874."])
    case_note_add(case_id=case.pk, user=officer, text="victim called back")
    case_loss_add(case_id=case.pk, user=officer, loss=LossInput(amount="500", currency="PLN"))
    assert case.review_at is not None
    assert round((case.review_at - case.created_at) / timedelta(days=1)) == 730

    assert purge_expired(now=case.review_at - timedelta(days=1)).cases == 0
    assert TranscriptEntry.objects.filter(case=case).exists()

    report = purge_expired(now=case.review_at + timedelta(seconds=1))

    assert report.cases == 1
    case.refresh_from_db()
    assert case.erased_at is not None
    assert (case.reference, case.unit.code, case.category) == (
        case.reference,
        "KAT",
        case.category,
    )
    for rows in (TranscriptEntry, CaseNote, FinancialLoss, Indicator):
        assert not rows.objects.filter(case=case).exists()
    event = AuditEvent.objects.get(action="case.erased")
    assert event.params["reference"] == case.reference
    assert set(event.params) == {
        "reference",
        "unit",
        "category",
        "created_at",
        "review_at",
        "transcript_entries",
    }
    assert "500" not in {str(value) for value in event.params.values()}
    assert "PL61109010140000071219812874" not in str(event.params)
    assert purge_expired(now=case.review_at + timedelta(seconds=1)).cases == 0


def test_the_review_date_follows_the_units_policy(make_case, unit):
    unit.case_retention_days = 90
    unit.save()
    case = make_case()
    assert round((case.review_at - case.created_at) / timedelta(days=1)) == 90


def test_a_case_on_legal_hold_is_kept_past_its_review_date(make_case, supervisor, officer):
    case = make_case()
    with pytest.raises(DomainError):
        case_legal_hold_set(case_id=case.pk, user=officer, hold=True, reason="Court order")
    case_legal_hold_set(case_id=case.pk, user=supervisor, hold=True, reason="Court order")

    assert purge_expired(now=case.review_at + timedelta(days=400)).cases == 0

    case.refresh_from_db()
    assert case.erased_at is None
    assert TranscriptEntry.objects.filter(case=case).exists()
    assert AuditEvent.objects.filter(action="case.legal_hold_set").count() == 1


def test_audit_events_stay_until_the_end_of_the_following_year(monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(timezone, "now", lambda: datetime(2001, 6, 1, tzinfo=UTC))
        old = audit_record(action="conversation.viewed", actor_kind="system")
    with monkeypatch.context() as patched:
        patched.setattr(timezone, "now", lambda: datetime(2002, 12, 31, tzinfo=UTC))
        audit_record(action="conversation.viewed", actor_kind="system")

    assert purge_expired(now=datetime(2003, 12, 31, 23, tzinfo=UTC)).audit_events == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(at__year=2002).count() == 1
    assert audit_chain_verify().intact


def test_expired_sessions_unconfirmed_devices_and_old_login_attempts_go(
    make_officer: Callable[..., AbstractUser],
):
    now = timezone.now() + timedelta(days=3)
    user = make_officer("anna")
    Session.objects.create(session_key="old", session_data="x", expire_date=now - timedelta(1))
    Session.objects.create(session_key="live", session_data="x", expire_date=now + timedelta(1))
    stale = TOTPDevice.objects.create(user=user, name="new phone", confirmed=False)
    TOTPDevice.objects.filter(pk=stale.pk).update(created_at=now - timedelta(days=2))
    TOTPDevice.objects.create(user=user, name="in use", confirmed=True)
    attempt = AccessAttempt.objects.create(
        user_agent="x", username="anna", http_accept="*", path_info="/", failures_since_start=3
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=now - timedelta(hours=1))

    report = purge_expired(now=now)

    assert (report.sessions, report.devices, report.login_attempts) == (1, 1, 1)
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
    assert list(TOTPDevice.objects.values_list("name", flat=True)) == ["in use"]
    assert not AccessAttempt.objects.exists()


def test_resume_codes_are_forgotten_once_the_conversation_cannot_be_resumed(settings):
    settings.CITIZEN_CODE_RESUME_SECONDS = 86400
    # Resume codes are hashed with scrypt, which this folder's fast hasher setting leaves out.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.ScryptPasswordHasher"]
    closed = timezone.now()
    conversation = ended_conversation(closed_at=closed, code=True)
    assert conversation.resume_hash

    assert purge_expired(now=closed + timedelta(hours=23)).resume_codes == 0
    assert purge_expired(now=closed + timedelta(hours=25)).resume_codes == 1

    conversation.refresh_from_db()
    assert (conversation.resume_hash, conversation.resume_lookup) == ("", "")


def test_presence_of_long_dead_processes_is_removed():
    now = timezone.now()
    ProcessHeartbeat.objects.create(process_id="dead", started_at=now, beat_at=now)
    ProcessHeartbeat.objects.create(
        process_id="alive", started_at=now, beat_at=now + timedelta(days=1)
    )

    assert purge_expired(now=now + timedelta(days=1)).processes == 1
    assert list(ProcessHeartbeat.objects.values_list("pk", flat=True)) == ["alive"]


def test_a_dry_run_reports_what_is_due_and_changes_nothing():
    closed = timezone.now()
    conversation = ended_conversation(closed_at=closed)
    later = closed + timedelta(days=31)

    assert purge_due(now=later).conversations == 1
    assert purge_expired(now=later, dry_run=True).conversations == 1
    assert Message.objects.filter(conversation=conversation).exists()
    assert erasure_records() == []


def test_the_command_prints_what_is_due_then_erases_it_once(settings):
    settings.RETENTION_DAYS = 0
    conversation = ended_conversation(closed_at=timezone.now() - timedelta(minutes=1))

    out = io.StringIO()
    call_command("purge_expired", "--dry-run", stdout=out)
    assert "conversations: 1 due" in out.getvalue()
    assert "nothing was changed" in out.getvalue()
    assert Message.objects.filter(conversation=conversation).exists()

    out = io.StringIO()
    call_command("purge_expired", stdout=out)
    assert "conversations: 1 erased" in out.getvalue()
    assert not Message.objects.filter(conversation=conversation).exists()

    out = io.StringIO()
    call_command("purge_expired", stdout=out)
    assert "conversations: 0 erased" in out.getvalue()
    assert len(erasure_records()) == 1


def test_the_admin_shows_the_legal_hold_but_only_the_case_page_changes_it(make_case, supervisor):
    case = make_case()
    client = Client()
    client.force_login(supervisor)
    url = reverse("admin:cases_case_change", args=[case.pk])
    assert client.get(url).status_code == 200

    client.post(url, {"legal_hold": "on"})

    case.refresh_from_db()
    assert not case.legal_hold
    assert not AuditEvent.objects.filter(action="case.legal_hold_set").exists()
