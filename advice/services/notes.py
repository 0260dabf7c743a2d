"""Internal notes on conversations: written by staff, delivered to staff only."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from advice.audit import audit_record
from advice.events.publish import publish_note
from advice.models import ConversationNote, OfficerProfile
from advice.services.access import conversation_open_for_staff
from advice.services.messages import clean_client_id
from advice.text import clean_message_text
from core.errors import DomainError, ErrorCode
from core.vocabulary import AuditAction


def note_add(
    *,
    conversation_id: int,
    officer: AbstractBaseUser,
    client_id: object,
    text: object,
    whisper: bool = False,
) -> ConversationNote:
    """Add a note (idempotent per ``client_id``) to a conversation the officer may read.

    ``whisper`` marks a supervisor's private note to the officer (``advice.services.watch``
    checks who may whisper).
    """
    client_id = clean_client_id(client_id)
    text = clean_message_text(text)
    existing = ConversationNote.objects.filter(
        conversation_id=conversation_id, author_id=officer.pk, client_id=client_id
    ).first()
    if existing is not None:
        return existing
    profile = OfficerProfile.objects.filter(user_id=officer.pk).first()
    if profile is None:
        raise DomainError(ErrorCode.NOT_ALLOWED, "Only staff can write notes.")
    try:
        with transaction.atomic():
            conversation = conversation_open_for_staff(
                conversation_id=conversation_id, user=officer, audit=False
            )
            note = ConversationNote.objects.create(
                conversation=conversation,
                author_id=officer.pk,
                author_name=profile.display_name,
                text=text,
                client_id=client_id,
                whisper=whisper,
            )
            audit_record(
                action=AuditAction.CONVERSATION_NOTE_ADDED,
                actor=officer,
                conversation=conversation,
                object_type="note",
                object_id=note.pk,
                params={"whisper": True} if whisper else None,
            )
            publish_note(note)
    except IntegrityError:
        return ConversationNote.objects.get(
            conversation_id=conversation_id, author_id=officer.pk, client_id=client_id
        )
    return note
