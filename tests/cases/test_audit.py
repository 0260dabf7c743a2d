"""Every view, edit, export and referral of a case is audited; the audit log is append-only."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from advice.db_guard import audit_guard_install
from advice.models import AuditEvent, Conversation
from tests.cases.conftest import chat, client_for

pytestmark = pytest.mark.django_db


def case_events(case, user):
    return list(
        AuditEvent.objects.filter(object_type="case", object_id=str(case.pk), actor=user)
        .order_by("pk")
        .values_list("action", "params")
    )


def test_every_access_and_change_of_a_case_leaves_an_audit_event(
    make_case, officer, foreign_officer
):
    case = make_case(["Dzwonili z 601 234 567, pisali z oszust@example.com"])
    client = client_for(officer)
    email = case.indicators.get(kind="email")
    phone = case.indicators.get(kind="phone")
    steps = [
        ("get", "", {}, "case.viewed"),
        ("get", "print/", {}, "case.exported"),
        ("get", "export.json", {}, "case.exported"),
        ("get", "stix.json", {}, "case.exported"),
        ("post", "fields/", {"category": "phishing", "urgency": "P2"}, "case.updated"),
        (
            "post",
            "losses/",
            {"amount": "5", "currency": "EUR", "method": "card"},
            "case.loss_added",
        ),
        ("post", "checklist/", {"have": ["timeline"]}, "case.checklist_updated"),
        ("post", "notes/", {"text": "notatka"}, "case.note_added"),
        ("post", "indicators/extract/", {}, "case.indicators_extracted"),
        (
            "post",
            f"indicators/{phone.pk}/",
            {"status": "confirmed", "party": "suspect"},
            "case.indicator_confirmed",
        ),
        ("post", f"indicators/{email.pk}/", {"status": "removed"}, "case.indicator_removed"),
        (
            "post",
            "indicators/add/",
            {"text": "@oszust", "party": "suspect"},
            "case.indicator_added",
        ),
        ("post", "transcript/append/", {}, "case.transcript_appended"),
        ("post", "status/", {"status": "referred"}, "case.status_changed"),
        ("post", "refer/", {"unit": "OVA", "reason": "other", "summary": "x"}, "case.referred"),
    ]
    for method, path, data, action in steps:
        before = AuditEvent.objects.count()
        response = getattr(client, method)(f"/console/cases/{case.pk}/{path}", data)
        assert response.status_code in (200, 302), path
        [(recorded, params)] = case_events(case, officer)[-1:]
        assert AuditEvent.objects.count() > before, path
        assert recorded == action, path
        assert params["reference"] == case.reference
        assert params["access"] == "unit"  # why the officer was allowed

    loss = case.losses.get()
    client.post(f"/console/cases/{case.pk}/losses/{loss.pk}/remove/")
    assert case_events(case, officer)[-1][0] == "case.loss_removed"
    formats = [p["format"] for a, p in case_events(case, officer) if a == "case.exported"]
    assert formats == ["print", "json", "stix"]

    # The receiving unit's decision and view, with their own basis of access.
    foreign = client_for(foreign_officer)
    foreign.post(f"/console/cases/{case.pk}/", {"reason": "referral"})  # not their case: why
    foreign.get(f"/console/cases/{case.pk}/")
    assert case_events(case, foreign_officer)[-1][1]["access"] == "referral"
    assert case_events(case, foreign_officer)[-1][1]["justification"]["reason"] == "referral"
    referral = case.referrals.get()
    foreign.post(f"/console/cases/referrals/{referral.pk}/accept/")
    assert case_events(case, foreign_officer)[-1][0] == "case.referral_accepted"
    # Case events are also on the conversation's trail.
    conversation = case.conversation_links.get().conversation
    assert conversation.audit.filter(action="case.viewed").exists()


def test_refused_attempts_are_audited_too(make_case, foreign_officer):
    case = make_case()
    client_for(foreign_officer).get(f"/console/cases/{case.pk}/export.json")
    event = AuditEvent.objects.filter(action="case.access_refused").get()
    assert (event.actor_id, event.object_id, event.params) == (
        foreign_officer.pk,
        str(case.pk),
        {"what": "json"},
    )


def test_listing_cases_is_audited(officer):
    client_for(officer).get("/console/cases/?status=open")
    event = AuditEvent.objects.filter(action="case.list_viewed").get()
    assert event.params == {"count": 0, "filters": {"status": "open", "q": ""}}


def raw_update(event_id: int, action: str) -> None:
    """Bypass the model's own guard, to prove the database refuses too."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE advice_auditevent SET action = %s WHERE id = %s", [action, event_id])


def test_audit_events_cannot_be_changed(officer):
    event = AuditEvent.objects.create(actor=officer, actor_kind="staff", action="case.viewed")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        raw_update(event.pk, "case.nothing_happened")
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE advice_auditevent SET params = %s WHERE id = %s",
            ['{"rewritten": true}', event.pk],
        )
    event.refresh_from_db()
    assert (event.action, event.params) == ("case.viewed", {})


def test_audit_events_cannot_be_deleted(officer):
    event = AuditEvent.objects.create(actor=officer, actor_kind="staff", action="case.viewed")
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM advice_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_erasing_a_conversation_keeps_its_audit_events(officer):
    conversation = chat(officer, ["Dzień dobry"])
    events = AuditEvent.objects.filter(conversation=conversation).count()
    assert events > 0
    Conversation.objects.filter(pk=conversation.pk).delete()
    assert AuditEvent.objects.filter(conversation__isnull=True).count() >= events


def test_the_guard_is_reinstalled_after_a_table_rebuild(officer):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER cases_audit_append_only ON advice_auditevent")
        else:
            cursor.execute("DROP TRIGGER cases_audit_append_only")
    audit_guard_install(connection)
    event = AuditEvent.objects.create(actor=officer, actor_kind="staff", action="case.viewed")
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_update(event.pk, "x")
