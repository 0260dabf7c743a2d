"""Officer presence and duty: console sockets, the on-duty flag, the disconnection grace period."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from advice.audit import audit_record
from advice.events.publish import publish_queue_changed
from advice.models import Conversation, ConversationStatus, OfficerProfile
from advice.services.conversations import conversation_requeue
from core.errors import DomainError, ErrorCode
from core.vocabulary import AuditAction, StateReason


def officer_connected(*, officer: AbstractBaseUser) -> OfficerProfile:
    """Count one more console socket of ``officer``; raises ``not_allowed`` for non-staff."""
    updated = OfficerProfile.objects.filter(user_id=officer.pk).update(
        open_sockets=F("open_sockets") + 1
    )
    if updated != 1:
        raise DomainError(ErrorCode.NOT_ALLOWED, "This account is not an officer's.")
    return OfficerProfile.objects.select_related("unit").get(user_id=officer.pk)


def officer_disconnected(*, officer_id: int) -> datetime:
    """Count one console socket as closed; return the moment, for the grace timer."""
    now = timezone.now()
    OfficerProfile.objects.filter(user_id=officer_id).update(
        open_sockets=F("open_sockets") - 1, last_disconnected_at=now
    )
    return now


def officer_grace_expired(*, officer_id: int, since: datetime) -> list[int]:
    """Requeue the officer's active conversations if no console came back since ``since``.

    Returns the ids of the conversations put back at the head of the queue.
    """
    with transaction.atomic():
        profile = OfficerProfile.objects.select_for_update().filter(user_id=officer_id).first()
        if profile is None or profile.open_sockets > 0:
            return []
        if profile.last_disconnected_at and profile.last_disconnected_at > since:
            return []
        conversations = list(
            Conversation.objects.select_for_update().filter(
                assigned_officer_id=officer_id, status=ConversationStatus.ACTIVE
            )
        )
        for conversation in conversations:
            conversation_requeue(conversation=conversation, reason=StateReason.OFFICER_DISCONNECTED)
    return [c.pk for c in conversations]


def officer_set_duty(*, officer: AbstractBaseUser, on_duty: bool) -> OfficerProfile:
    with transaction.atomic():
        profile = OfficerProfile.objects.select_for_update().filter(user_id=officer.pk).first()
        if profile is None:
            raise DomainError(ErrorCode.NOT_ALLOWED, "This account is not an officer's.")
        if profile.on_duty != on_duty:
            profile.on_duty = on_duty
            profile.save(update_fields=["on_duty"])
            publish_queue_changed(citizens=False)
            audit_record(
                action=AuditAction.OFFICER_ON_DUTY if on_duty else AuditAction.OFFICER_OFF_DUTY,
                actor=officer,
                object_type="officer",
                object_id=officer.pk,
            )
    return profile
