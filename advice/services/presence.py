"""Officer presence and duty: console socket leases, the on-duty flag, the grace period."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from advice.audit import audit_record
from advice.events.publish import publish_queue_changed, publish_state
from advice.models import Conversation, ConversationStatus, OfficerProfile
from advice.services.conversations import conversation_requeue
from advice.services.leases import (
    SocketRef,
    lease_drop,
    lease_officer_socket,
    locked,
    officers_recount,
)
from core.errors import DomainError, ErrorCode
from core.vocabulary import AuditAction, StateReason


def officer_connected(*, officer: AbstractBaseUser, socket: SocketRef) -> OfficerProfile:
    """Lease one more console socket of ``officer`` (ending any grace period).

    Raises ``not_allowed`` for non-staff.
    """
    now = timezone.now()
    with transaction.atomic():
        profile = OfficerProfile.objects.select_for_update().filter(user_id=officer.pk).first()
        if profile is None:
            raise DomainError(ErrorCode.NOT_ALLOWED, "This account is not an officer's.")
        returning = profile.open_sockets <= 0 and profile.grace_due_at is not None
        lease_officer_socket(officer_id=officer.pk, socket=socket, now=now)
        if returning:
            officers_publish_presence([officer.pk], reason=StateReason.OFFICER_RETURNED)
    return OfficerProfile.objects.select_related("unit").get(user_id=officer.pk)


def officer_disconnected(*, officer_id: int, socket: SocketRef) -> datetime | None:
    """Drop the lease of a closed console socket.

    Returns when the grace period of the officer's chats ends if this was their last
    console, else None.
    """
    now = timezone.now()
    with transaction.atomic():
        OfficerProfile.objects.select_for_update().filter(user_id=officer_id).first()
        if not lease_drop(socket=socket):
            return None
        gone = officers_recount([officer_id], now=now)
        officers_publish_presence(gone, reason=StateReason.OFFICER_RECONNECTING)
    return now + timedelta(seconds=settings.OFFICER_GRACE_SECONDS) if gone else None


def officers_publish_presence(officer_ids: list[int], *, reason: StateReason) -> None:
    """Tell the citizens of these officers' active chats that their officer's consoles are
    all gone (``officer_reconnecting``, the grace period runs) or back (``officer_returned``).

    Call inside the transaction that changed the officers' presence.
    """
    if not officer_ids:
        return
    for conversation in Conversation.objects.filter(
        assigned_officer_id__in=officer_ids, status=ConversationStatus.ACTIVE
    ).order_by("pk"):
        publish_state(conversation, reason=reason)


def officer_grace_expired(*, officer_id: int, now: datetime | None = None) -> list[int]:
    """Requeue the officer's active conversations if their grace period ended by ``now``
    with no console back (``grace_due_at`` due, no lease). Any process may call this.

    Returns the ids of the conversations put back at the head of the queue.
    """
    now = now or timezone.now()
    with transaction.atomic():
        profile = locked(
            OfficerProfile.objects.filter(
                user_id=officer_id, grace_due_at__lte=now, open_sockets__lte=0
            )
        ).first()
        if profile is None:
            return []
        profile.grace_due_at = None
        profile.save(update_fields=["grace_due_at"])
        conversations = list(
            Conversation.objects.select_for_update()
            .filter(assigned_officer_id=officer_id, status=ConversationStatus.ACTIVE)
            .order_by("pk")
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
