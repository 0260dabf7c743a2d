"""Posting messages: validated, numbered gap-free per conversation, stored, then broadcast."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from advice.events.publish import publish_message
from advice.models import (
    Conversation,
    ConversationStatus,
    Message,
    MessageKind,
    OfficerProfile,
    SenderKind,
)
from advice.services import message_sql
from advice.services.triage_apply import conversation_retriage_if_waiting
from advice.text import clean_message_text
from core import metrics
from core.errors import DomainError, ErrorCode


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """A text message as the one-statement write stored it (``chat.message_writes``): the
    fields of its frame and its acknowledgement, without building a model instance."""

    pk: int
    conversation_id: int
    seq: int
    sender: str
    author_id: int | None
    author_name: str
    kind: str
    text: str
    payload: dict[str, Any]
    client_id: str
    created_at: datetime


@dataclass(frozen=True)
class PostResult:
    message: Message | StoredMessage
    duplicate: bool


def clean_client_id(client_id: object) -> str:
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= 64:
        raise DomainError(
            ErrorCode.INVALID_FIELD, "Field 'client_id' must be a string of 1 to 64 characters."
        )
    return client_id


def message_post(
    *,
    conversation_id: int,
    sender: SenderKind,
    client_id: object,
    text: object,
    officer: AbstractBaseUser | None = None,
    author_name: str | None = None,
    kind: MessageKind = MessageKind.TEXT,
    payload: dict[str, Any] | None = None,
) -> PostResult:
    """Store a message and broadcast it after commit.

    Contract: a message with the same ``(conversation, sender, client_id)`` is stored at most
    once; a resend returns the stored message with ``duplicate=True``. Citizens (and the
    system, e.g. a case reference notice) may write while waiting or active; an officer only
    in an active conversation assigned to them.
    The sequence number is taken under the conversation row's write lock, so numbers are
    gap-free and in commit order.
    ``author_name`` is the officer's display name when the caller already knows it (a
    console caches it on connect); without it the name is read here.
    """
    client_id = clean_client_id(client_id)
    text = clean_message_text(text)
    now = timezone.now()
    author_id: int | None = None
    if sender == SenderKind.OFFICER:
        if officer is None:
            raise DomainError(ErrorCode.NOT_ALLOWED, "An officer message needs its officer.")
        author_id = officer.pk
        if author_name is None:
            author_name = (
                OfficerProfile.objects.filter(user_id=officer.pk)
                .values_list("display_name", flat=True)
                .first()
                or ""
            )
    author_name = author_name or ""
    store = _store_one_statement if message_sql.uses_single_statement() else _store_orm
    try:
        message, status = store(
            conversation_id=conversation_id,
            sender=sender,
            author_id=author_id,
            author_name=author_name,
            kind=kind,
            text=text,
            payload=payload or {},
            client_id=client_id,
            now=now,
        )
    except IntegrityError:
        return PostResult(message=_stored(conversation_id, sender, client_id), duplicate=True)
    except _AlreadyStored as stored:
        return PostResult(message=stored.message, duplicate=True)
    except OperationalError as error:
        # Lock or statement timeout (PostgreSQL), "database is locked" (SQLite), a lost
        # connection: the transaction was rolled back, so a resend stores the message once.
        raise DomainError(
            ErrorCode.TEMPORARILY_UNAVAILABLE,
            "The message could not be stored just now; it will be sent again.",
        ) from error
    transaction.on_commit(metrics.MESSAGES_STORED.labels(sender=sender).inc)
    if sender == SenderKind.CITIZEN and status == ConversationStatus.WAITING:
        conversation_retriage_if_waiting(conversation_id=conversation_id)
    return PostResult(message=message, duplicate=False)


def _store_one_statement(
    *,
    conversation_id: int,
    sender: SenderKind,
    author_id: int | None,
    author_name: str,
    kind: MessageKind,
    text: str,
    payload: dict[str, Any],
    client_id: str,
    now: datetime,
) -> tuple[Message, str]:
    """PostgreSQL: one statement; its own transaction unless the caller holds one."""
    fields: dict[str, Any] = {
        "conversation_id": conversation_id,
        "sender": sender,
        "author_id": author_id,
        "author_name": author_name,
        "kind": kind,
        "text": text,
        "payload": payload,
        "client_id": client_id,
    }
    params = message_sql.parameters(now=now, **fields)
    if transaction.get_autocommit():
        # Outside a transaction the statement commits by itself: no BEGIN/COMMIT round trips.
        row = message_sql.message_store(sender, params)
    else:
        # Inside a caller's transaction: a savepoint, so a duplicate leaves it usable.
        with transaction.atomic():
            row = message_sql.message_store(sender, params)
    if row is None:
        raise _refusal(conversation_id, sender, client_id)
    message_id, seq, status = row
    message = Message(pk=message_id, seq=seq, created_at=now, **fields)
    # Committed already (or, inside a caller's transaction, sent when that commits).
    publish_message(message)
    return message, status


def _store_orm(
    *,
    conversation_id: int,
    sender: SenderKind,
    author_id: int | None,
    author_name: str,
    kind: MessageKind,
    text: str,
    payload: dict[str, Any],
    client_id: str,
    now: datetime,
) -> tuple[Message, str]:
    """Other databases (SQLite): conditional UPDATE, re-read and INSERT in one transaction."""
    conversations = Conversation.objects.filter(pk=conversation_id)
    updates: dict[str, Any] = {"last_seq": F("last_seq") + 1}
    if sender == SenderKind.OFFICER:
        conversations = conversations.filter(
            status=ConversationStatus.ACTIVE, assigned_officer_id=author_id
        )
        updates["first_officer_message_at"] = Coalesce(F("first_officer_message_at"), Value(now))
    else:
        conversations = conversations.filter(
            status__in=[ConversationStatus.WAITING, ConversationStatus.ACTIVE]
        )
        if sender == SenderKind.CITIZEN:
            updates["citizen_last_seen_at"] = now
    with transaction.atomic():
        _bound_waits()
        if conversations.update(**updates) != 1:
            raise _refusal(conversation_id, sender, client_id)
        seq, status = Conversation.objects.filter(pk=conversation_id).values_list(
            "last_seq", "status"
        )[0]
        message = Message.objects.create(
            conversation_id=conversation_id,
            seq=seq,
            sender=sender,
            author_id=author_id,
            author_name=author_name,
            kind=kind,
            text=text,
            payload=payload,
            client_id=client_id,
        )
        publish_message(message)
    return message, status


def _bound_waits() -> None:
    """Limit this transaction's lock waits and statements (PostgreSQL; ``docs/security.md``)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('lock_timeout', %s, true),"
            " set_config('statement_timeout', %s, true)",
            [f"{settings.DB_LOCK_TIMEOUT_MS}ms", f"{settings.DB_STATEMENT_TIMEOUT_MS}ms"],
        )


class _AlreadyStored(Exception):
    def __init__(self, message: Message) -> None:
        super().__init__("already stored")
        self.message = message


def _stored(conversation_id: int, sender: str, client_id: str) -> Message:
    return Message.objects.get(conversation_id=conversation_id, sender=sender, client_id=client_id)


def _refusal(conversation_id: int, sender: str, client_id: str) -> Exception:
    """Explain why a message could not be stored (a resend of a stored one is no refusal)."""
    existing = Message.objects.filter(
        conversation_id=conversation_id, sender=sender, client_id=client_id
    ).first()
    if existing is not None:
        return _AlreadyStored(existing)
    status = (
        Conversation.objects.filter(pk=conversation_id).values_list("status", flat=True).first()
    )
    if status is None:
        return DomainError(ErrorCode.NOT_FOUND, "No such conversation.")
    if status in (ConversationStatus.CLOSED, ConversationStatus.ABANDONED):
        return DomainError(ErrorCode.CONVERSATION_ENDED, "The conversation has ended.")
    return DomainError(ErrorCode.NOT_ASSIGNED, "This conversation is not assigned to you.")
