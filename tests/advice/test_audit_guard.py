"""The audit trail is append-only through the application."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from advice.audit import audit_record
from advice.models import AuditEvent
from advice.services.conversations import conversation_start

pytestmark = pytest.mark.django_db


def test_an_audit_event_cannot_be_changed_or_deleted():
    event = audit_record(action="conversation.viewed", actor_kind="system", params={"n": 1})
    event.action = "test.rewritten"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "conversation.viewed"


def test_erasing_a_conversation_keeps_its_audit_events_detached():
    conversation = conversation_start().conversation
    events = AuditEvent.objects.filter(conversation=conversation).count()
    assert events >= 1
    conversation.delete()
    assert (
        AuditEvent.objects.filter(action="conversation.started", conversation=None).count()
        == events
    )
