"""Services for the conversation lifecycle: start, resume, claim, close, leave, requeue, rating.

Every state change writes an audit event in the same transaction and publishes its frames
only after commit (``advice.events.publish``). A conversation that ends (closed by either
side, abandoned after the resume timeout, or left by quick exit) has its token revoked in
the same transaction: the stored hash is replaced by one no token matches, so the token can
no longer resume the conversation or replay its messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from advice.audit import audit_record
from advice.events.publish import (
    publish_assigned,
    publish_queue_entry,
    publish_queue_removed,
    publish_state,
)
from advice.models import Conversation, ConversationStatus, OfficerProfile
from advice.queue_policy import claimable_by
from advice.selectors import is_supervisor
from advice.services.leases import (
    SocketRef,
    conversations_recount,
    lease_citizen_socket,
    lease_drop,
)
from advice.services.triage_apply import conversation_triage
from advice.tokens import token_hash, token_hash_unusable, token_new
from core import metrics
from core.errors import DomainError, ErrorCode
from core.vocabulary import AuditAction, Outcome, StateReason

OPEN_STATUSES = (ConversationStatus.WAITING, ConversationStatus.ACTIVE)


@dataclass(frozen=True)
class StartedConversation:
    conversation: Conversation
    token: str


def conversation_start(
    *,
    browser_language: str = "",
    language: str = "",
    prechat: dict[str, Any] | None = None,
    socket: SocketRef | None = None,
) -> StartedConversation:
    """Open a new anonymous conversation in the queue and return it with its token.

    The token is returned here only; the database keeps its SHA-256 hash. ``socket`` is the
    citizen's websocket, leased for the conversation.
    """
    token = token_new()
    now = timezone.now()
    with transaction.atomic():
        conversation = Conversation.objects.create(
            token_hash=token_hash(token),
            browser_language=browser_language[:8],
            language=language[:8],
            language_confirmed=bool(language),
            prechat=prechat or {},
            citizen_last_seen_at=now,
            citizen_open_sockets=1 if socket is not None else 0,
        )
        if socket is not None:
            lease_citizen_socket(
                conversation_id=conversation.pk, socket=socket, now=now, first=True
            )
        conversation_triage(conversation=conversation, publish=False, new=True)
        publish_queue_entry(conversation)
        # Last: it locks the audit chain until the commit (``advice.audit_chain``).
        audit_record(
            action=AuditAction.CONVERSATION_STARTED,
            actor_kind="citizen",
            conversation=conversation,
            params={"language": conversation.language, "prechat": bool(prechat)},
        )
    return StartedConversation(conversation=conversation, token=token)


def conversation_resume(*, token: str, socket: SocketRef | None = None) -> Conversation:
    """Find the conversation of ``token`` and lease the citizen's ``socket`` for it (which
    ends the wait for the citizen's return)."""
    if not isinstance(token, str) or not token:
        raise DomainError(ErrorCode.INVALID_TOKEN, "Unknown conversation.")
    now = timezone.now()
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update().filter(token_hash=token_hash(token)).first()
        )
        if conversation is None:
            raise DomainError(ErrorCode.INVALID_TOKEN, "Unknown conversation.")
        if socket is not None:
            lease_citizen_socket(conversation_id=conversation.pk, socket=socket, now=now)
            conversation.refresh_from_db()
        if conversation.status in OPEN_STATUSES:
            publish_state(conversation, reason=StateReason.CITIZEN_CONNECTED)
    return conversation


def citizen_disconnected(*, conversation_id: int, socket: SocketRef) -> datetime | None:
    """Drop the lease of a closed citizen socket.

    Returns when a waiting conversation is abandoned if the citizen does not come back (this
    was their last socket; none for a left message), else None.
    """
    now = timezone.now()
    with transaction.atomic():
        Conversation.objects.select_for_update().filter(pk=conversation_id).first()
        if not lease_drop(socket=socket):
            return None
        gone = conversations_recount([conversation_id], now=now)
        conversation = Conversation.objects.get(pk=conversation_id)
        if conversation.status in OPEN_STATUSES:
            publish_state(conversation, reason=StateReason.CITIZEN_DISCONNECTED)
    return conversation.resume_due_at if gone else None


def citizen_resume_expired(*, conversation_id: int, now: datetime | None = None) -> bool:
    """Abandon a waiting conversation whose citizen did not come back by its ``resume_due_at``.

    Returns True if the conversation was abandoned. Active conversations are left to the
    officer, who can still close them (if one is handed back to the queue after its citizen's
    wait ran out, the next sweep abandons it); a left message waits for an officer. The wait
    itself is set when the citizen's last socket closes (``advice.services.leases``). Any
    process may call this.
    """
    now = now or timezone.now()
    with transaction.atomic():
        updated = Conversation.objects.filter(
            pk=conversation_id,
            status=ConversationStatus.WAITING,
            citizen_open_sockets__lte=0,
            resume_due_at__lte=now,
            left_message=False,
        ).update(
            status=ConversationStatus.ABANDONED,
            closed_at=now,
            ended_by="timeout",
            resume_due_at=None,
            token_hash=token_hash_unusable(),
        )
        if updated != 1:
            return False
        conversation = Conversation.objects.get(pk=conversation_id)
        audit_record(
            action=AuditAction.CONVERSATION_ABANDONED,
            actor_kind="system",
            conversation=conversation,
            params={"reason": "citizen_did_not_return"},
        )
        publish_queue_removed(conversation_id, reason=StateReason.ABANDONED)
    return True


def conversation_claim(*, conversation_id: int, officer: AbstractBaseUser) -> Conversation:
    """Assign a waiting conversation to ``officer``; exactly one of concurrent claims wins.

    Raises ``already_claimed`` for the losers, ``not_waiting`` when the conversation has
    ended, ``off_duty`` and ``too_many_chats`` when the officer may not take another
    conversation now, ``not_allowed`` when another unit accepted its referral
    (``advice.queue_policy.claimable_by``).
    """
    now = timezone.now()
    with transaction.atomic():
        profile = OfficerProfile.objects.select_for_update().filter(user_id=officer.pk).first()
        if profile is None:
            raise DomainError(ErrorCode.NOT_ALLOWED, "Only officers can claim conversations.")
        if not profile.on_duty:
            raise DomainError(ErrorCode.OFF_DUTY, "Go on duty before taking conversations.")
        active = Conversation.objects.filter(
            assigned_officer_id=officer.pk, status=ConversationStatus.ACTIVE
        ).count()
        if active >= profile.max_concurrent_chats:
            raise DomainError(
                ErrorCode.TOO_MANY_CHATS,
                f"You already have {active} conversations (your limit).",
            )
        won = Conversation.objects.filter(
            claimable_by(profile.unit_id), pk=conversation_id, status=ConversationStatus.WAITING
        ).update(
            status=ConversationStatus.ACTIVE,
            assigned_officer_id=officer.pk,
            claimed_at=now,
            requeued_at=None,
            unit_id=profile.unit_id,
        )
        if won != 1:
            status = (
                Conversation.objects.filter(pk=conversation_id)
                .values_list("status", flat=True)
                .first()
            )
            if status is None:
                raise DomainError(ErrorCode.NOT_FOUND, "No such conversation.")
            if status == ConversationStatus.ACTIVE:
                raise DomainError(
                    ErrorCode.ALREADY_CLAIMED,
                    "Another officer has already taken this conversation.",
                )
            if status == ConversationStatus.WAITING:
                raise DomainError(
                    ErrorCode.NOT_ALLOWED, "This conversation was referred to another unit."
                )
            raise DomainError(ErrorCode.NOT_WAITING, "This conversation is no longer waiting.")
        conversation = Conversation.objects.get(pk=conversation_id)
        publish_queue_removed(conversation_id, reason=StateReason.CLAIMED)
        publish_state(conversation, reason=StateReason.OFFICER_JOINED)
        publish_assigned(conversation, officer_id=officer.pk)
        # Last: it locks the audit chain until the commit (``advice.audit_chain``).
        audit_record(
            action=AuditAction.CONVERSATION_CLAIMED,
            actor=officer,
            conversation=conversation,
            params={"unit": profile.unit.code},
        )
    metrics.CLAIM_WAIT.observe((now - conversation.queued_at).total_seconds())
    return conversation


def conversation_close(
    *,
    conversation_id: int,
    by: str,
    officer: AbstractBaseUser | None = None,
    outcome: str = "",
) -> Conversation:
    """End a conversation. ``by`` is ``citizen`` or ``officer``.

    A citizen leaving a conversation nobody answered makes it ``abandoned``; anything else
    open becomes ``closed``. An officer may close only a conversation assigned to them.
    ``outcome`` is a code of ``core.vocabulary.Outcome`` (or "" for none).
    """
    if outcome not in ("", *Outcome.values):
        raise DomainError(ErrorCode.INVALID_FIELD, "Unknown outcome.")
    now = timezone.now()
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
        if conversation is None:
            raise DomainError(ErrorCode.NOT_FOUND, "No such conversation.")
        if by == "officer" and (officer is None or conversation.assigned_officer_id != officer.pk):
            raise DomainError(ErrorCode.NOT_ASSIGNED, "This conversation is not assigned to you.")
        if conversation.status not in OPEN_STATUSES:
            raise DomainError(ErrorCode.CONVERSATION_ENDED, "The conversation has already ended.")
        was_waiting = conversation.status == ConversationStatus.WAITING
        conversation.status = (
            ConversationStatus.ABANDONED if was_waiting else ConversationStatus.CLOSED
        )
        conversation.closed_at = now
        conversation.ended_by = by
        conversation.outcome = outcome
        conversation.token_hash = token_hash_unusable()
        conversation.save(
            update_fields=["status", "closed_at", "ended_by", "outcome", "token_hash"]
        )
        audit_record(
            action=(
                AuditAction.CONVERSATION_ABANDONED
                if was_waiting
                else AuditAction.CONVERSATION_CLOSED
            ),
            actor=officer,
            actor_kind=by if by == "citizen" else None,
            conversation=conversation,
            params={"outcome": conversation.outcome},
        )
        if was_waiting:
            publish_queue_removed(conversation_id, reason=StateReason.ABANDONED)
        publish_state(
            conversation,
            reason=StateReason.ENDED_BY_CITIZEN
            if by == "citizen"
            else StateReason.ENDED_BY_OFFICER,
        )
    return conversation


def conversation_leave(
    *, conversation_id: int | None = None, token: str | None = None
) -> Conversation:
    """The citizen left for good (quick exit): revoke the token and end the conversation.

    The conversation is found by ``conversation_id`` (the socket attached to it) or by
    ``token``. A waiting conversation becomes ``abandoned``, an active one ``closed`` with
    the outcome ``citizen_left``; both send ``conversation.state`` with reason
    ``citizen_left``. An ended conversation only loses its token. Raises ``invalid_token``
    when the token matches nothing (already revoked, or never issued).
    """
    with transaction.atomic():
        rows = Conversation.objects.select_for_update()
        if conversation_id is not None:
            conversation = rows.filter(pk=conversation_id).first()
        elif isinstance(token, str) and token:
            conversation = rows.filter(token_hash=token_hash(token)).first()
        else:
            conversation = None
        if conversation is None:
            raise DomainError(ErrorCode.INVALID_TOKEN, "Unknown conversation.")
        conversation.token_hash = token_hash_unusable()
        fields = ["token_hash"]
        was_open = conversation.status in OPEN_STATUSES
        was_waiting = conversation.status == ConversationStatus.WAITING
        if was_open:
            conversation.status = (
                ConversationStatus.ABANDONED if was_waiting else ConversationStatus.CLOSED
            )
            conversation.closed_at = timezone.now()
            conversation.ended_by = "citizen"
            conversation.outcome = "" if was_waiting else Outcome.CITIZEN_LEFT
            fields += ["status", "closed_at", "ended_by", "outcome"]
        conversation.save(update_fields=fields)
        if was_open:
            audit_record(
                action=(
                    AuditAction.CONVERSATION_ABANDONED
                    if was_waiting
                    else AuditAction.CONVERSATION_CLOSED
                ),
                actor_kind="citizen",
                conversation=conversation,
                params={"reason": StateReason.CITIZEN_LEFT.value},
            )
            if was_waiting:
                publish_queue_removed(conversation.pk, reason=StateReason.ABANDONED)
            publish_state(conversation, reason=StateReason.CITIZEN_LEFT)
    return conversation


def conversation_requeue(*, conversation: Conversation, reason: StateReason) -> None:
    """Put a conversation back into the queue (inside a transaction).

    Handed back (any reason but ``referred``): to the head of the queue. Referred: the caller
    has set the receiving unit and ``referred_at``; the queue policy puts it at the head of
    its urgency for that unit only, so it is not marked as handed back.
    """
    officer_id = conversation.assigned_officer_id
    conversation.status = ConversationStatus.WAITING
    conversation.assigned_officer = None
    conversation.requeued_at = None if reason == StateReason.REFERRED else timezone.now()
    conversation.save(update_fields=["status", "assigned_officer", "requeued_at"])
    audit_record(
        action=AuditAction.CONVERSATION_REQUEUED,
        actor_kind="system",
        conversation=conversation,
        params={"reason": reason.value, "previous_officer": officer_id},
    )
    publish_state(conversation, reason=reason)
    publish_queue_entry(conversation)


def conversation_rate(*, conversation_id: int, score: object, comment: object = "") -> Conversation:
    """Record the citizen's rating (1 to 5, optional comment) of an ended conversation.

    The citizen rates from the socket that was attached to the conversation when it ended
    (its token is revoked by then).
    """
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise DomainError(ErrorCode.INVALID_FIELD, "The rating must be a whole number from 1 to 5.")
    if not isinstance(comment, str) or len(comment) > 2000 or "\x00" in comment:
        raise DomainError(
            ErrorCode.INVALID_FIELD, "The comment must be text of at most 2000 characters."
        )
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
        if conversation is None:
            raise DomainError(ErrorCode.NOT_FOUND, "No such conversation.")
        if conversation.status != ConversationStatus.CLOSED:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, "A conversation can be rated once it has ended."
            )
        conversation.rating = score
        conversation.rating_comment = comment.strip()
        conversation.save(update_fields=["rating", "rating_comment"])
        audit_record(
            action=AuditAction.CONVERSATION_RATED,
            actor_kind="citizen",
            conversation=conversation,
            params={"score": score},
        )
    return conversation


def conversation_transfer(
    *, conversation_id: int, officer: AbstractBaseUser, to_officer_id: int | None = None
) -> Conversation:
    """Hand an active conversation to another on-duty officer, or back to the queue's head.

    Only the assigned officer (or a supervisor) transfers. The target must be on duty, with a
    console open and a free place under their limit.
    """
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
        if conversation is None:
            raise DomainError(ErrorCode.NOT_FOUND, "No such conversation.")
        if conversation.status != ConversationStatus.ACTIVE:
            raise DomainError(ErrorCode.INVALID_TRANSITION, "Only an active conversation moves.")
        if conversation.assigned_officer_id != officer.pk and not is_supervisor(officer):
            raise DomainError(ErrorCode.NOT_ASSIGNED, "This conversation is not assigned to you.")
        Conversation.objects.filter(pk=conversation_id).update(
            transfer_count=F("transfer_count") + 1
        )
        conversation.transfer_count += 1
        previous = conversation.assigned_officer_id
        if to_officer_id is None:
            conversation_requeue(conversation=conversation, reason=StateReason.TRANSFERRED)
            return conversation
        target = OfficerProfile.objects.select_for_update().filter(user_id=to_officer_id).first()
        if target is None or not target.on_duty or target.open_sockets <= 0:
            raise DomainError(ErrorCode.OFF_DUTY, "That officer is not on duty now.")
        load = Conversation.objects.filter(
            assigned_officer_id=to_officer_id, status=ConversationStatus.ACTIVE
        ).count()
        if load >= target.max_concurrent_chats:
            raise DomainError(ErrorCode.TOO_MANY_CHATS, "That officer has no free place.")
        conversation.assigned_officer_id = to_officer_id
        conversation.save(update_fields=["assigned_officer"])
        audit_record(
            action=AuditAction.CONVERSATION_TRANSFERRED,
            actor=officer,
            conversation=conversation,
            params={"from": previous, "to": to_officer_id},
        )
        publish_state(conversation, reason=StateReason.TRANSFERRED)
        publish_assigned(conversation, officer_id=to_officer_id)
    return conversation
