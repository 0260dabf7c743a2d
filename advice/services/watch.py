"""A supervisor watching a conversation read-only, and whispering to its officer.

``conversations_watchable`` lists what the dashboard offers to watch (a read, kept beside
the scope rule it shares).

Scope: an admin watches any conversation; a supervisor those of their unit, those still in
the shared queue (no unit) and those their unit referred to another one. Every watch is
audited (``conversation.viewed`` with ``params.watch``); the assigned officer is told (after
commit). A whisper is an internal note with ``whisper`` set: staff only, like every note.

Watching a live conversation (waiting or active) is supervision done in the open — the
officer sees that a supervisor is watching — and needs no justification. Reading an *ended*
one (closed or abandoned) that is not assigned to the supervisor is a look back nobody sees,
so it asks for one like a case does (``advice.access_reasons``), stored with the event.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q

from advice.access_reasons import justification_enforced
from advice.audit import audit_record
from advice.events.publish import publish_supervisor_watching
from advice.models import Conversation, ConversationNote, ConversationStatus, OfficerProfile
from advice.selectors import is_supervisor
from advice.services.notes import note_add
from core.errors import DomainError, ErrorCode
from core.vocabulary import AuditAction


def watch_scope(user: AbstractBaseUser) -> Q:
    """Filter of the conversations ``user`` may watch; ``not_allowed`` for non-supervisors."""
    if not is_supervisor(user):
        raise DomainError(ErrorCode.NOT_ALLOWED, "Supervisors only.")
    if getattr(user, "is_superuser", False):
        return Q()
    unit_id = OfficerProfile.objects.filter(user_id=user.pk).values_list("unit_id", flat=True)
    return (
        Q(unit_id__in=unit_id)
        | Q(unit__isnull=True)
        # Referrals (``cases.Referral``) the supervisor's unit made of this conversation.
        | Q(unit_referrals__from_unit_id__in=unit_id)
    )


def _watchable(conversation_id: int, user: AbstractBaseUser) -> Conversation:
    scope = watch_scope(user)
    conversation = Conversation.objects.filter(scope, pk=conversation_id).distinct().first()
    if conversation is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such conversation in your scope.")
    return conversation


LIVE = (ConversationStatus.WAITING, ConversationStatus.ACTIVE)


def watch_needs_justification(conversation: Conversation, user: AbstractBaseUser) -> bool:
    """An ended conversation that is not the supervisor's own asks why it is opened."""
    return conversation.status not in LIVE and conversation.assigned_officer_id != user.pk


def conversation_watch(
    *, conversation_id: int, user: AbstractBaseUser, justification: dict[str, str] | None = None
) -> Conversation:
    """Open a conversation read-only for a supervisor: audited; its officer is told. An
    ended one needs a ``justification`` (``justification_required`` without)."""
    with transaction.atomic():
        conversation = _watchable(conversation_id, user)
        params: dict[str, object] = {"watch": True}
        if watch_needs_justification(conversation, user):
            params["justification"] = justification_enforced(
                justification, assigned_officer_id=conversation.assigned_officer_id, user=user
            )
        audit_record(
            action=AuditAction.CONVERSATION_VIEWED,
            actor=user,
            conversation=conversation,
            params=params,
        )
        _tell_officer(conversation, user, watching=True)
    return conversation


def conversation_unwatch(*, conversation_ids: list[int], user: AbstractBaseUser) -> None:
    """The supervisor stopped watching (closed the page): tell each officer."""
    with transaction.atomic():
        for conversation in Conversation.objects.filter(pk__in=conversation_ids):
            _tell_officer(conversation, user, watching=False)


def _tell_officer(conversation: Conversation, user: AbstractBaseUser, *, watching: bool) -> None:
    officer_id = conversation.assigned_officer_id
    if (
        officer_id is None
        or officer_id == user.pk
        or conversation.status != ConversationStatus.ACTIVE
    ):
        return
    name = (
        OfficerProfile.objects.filter(user_id=user.pk)
        .values_list("display_name", flat=True)
        .first()
    )
    publish_supervisor_watching(
        officer_id=officer_id,
        conversation_id=conversation.pk,
        supervisor_name=str(name or getattr(user, "username", "")),
        watching=watching,
    )


def whisper_send(
    *, conversation_id: int, user: AbstractBaseUser, client_id: object, text: object
) -> ConversationNote:
    """A supervisor's private note to the officer of a conversation in their scope."""
    _watchable(conversation_id, user)
    return note_add(
        conversation_id=conversation_id,
        officer=user,
        client_id=client_id,
        text=text,
        whisper=True,
    )


WATCH_LIST_LIMIT = 50


def conversations_watchable(*, user: AbstractBaseUser) -> list[Conversation]:
    """Open conversations a supervisor may watch, active first, then waiting (oldest first)."""
    rows = (
        Conversation.objects.filter(
            watch_scope(user),
            status__in=(ConversationStatus.ACTIVE, ConversationStatus.WAITING),
        )
        .distinct()
        .select_related("unit")
        .order_by("status", "queued_at")[:WATCH_LIST_LIMIT]
    )
    return list(rows)
