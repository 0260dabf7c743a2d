"""The case transcript: messages frozen at escalation, appended on demand, hash-chained.

Each entry's hash is ``sha256(prev_hash + canonical_json(entry))`` (hex), where the first
entry's ``prev_hash`` is 64 zeros and the canonical JSON holds ``seq``, ``sender``,
``author_name``, ``kind``, ``text`` and ``created_at`` (UTC, ISO 8601 with microseconds and
``Z``) with sorted keys, no spaces, UTF-8. Changing, removing or reordering any entry, or
cutting the chain's end (the case keeps the head hash and length), shows in
:func:`transcript_verify`. Payment card numbers are masked before they enter the chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max

from advice.models import Message
from cases.indicators import mask_card_numbers
from cases.models import Case, CaseConversation, TranscriptEntry
from cases.services.common import case_audit, case_lock_for_change, participant_add
from core.vocabulary import AuditAction

GENESIS = "0" * 64


def canonical_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    prev_hash: str,
    *,
    seq: int,
    sender: str,
    author_name: str,
    kind: str,
    text: str,
    created_at: datetime,
) -> str:
    """The chained SHA-256 of one transcript entry (hex)."""
    body = json.dumps(
        {
            "seq": seq,
            "sender": sender,
            "author_name": author_name,
            "kind": kind,
            "text": text,
            "created_at": canonical_time(created_at),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def transcript_append_new(case: Case) -> int:
    """Append the linked conversations' messages not yet in the transcript; return how many.

    The caller holds the case row's lock (``select_for_update``) inside a transaction, so
    two appends never interleave.
    """
    last = case.transcript.order_by("-position").first()
    position = last.position if last else 0
    prev_hash = last.hash if last else GENESIS
    seen = dict(
        case.transcript.values("conversation_ref")
        .annotate(last_seq=Max("seq"))
        .values_list("conversation_ref", "last_seq")
    )
    conversation_ids = CaseConversation.objects.filter(
        case=case, conversation__isnull=False
    ).values_list("conversation_id", flat=True)
    entries: list[TranscriptEntry] = []
    for conversation_id in conversation_ids:
        messages = Message.objects.filter(
            conversation_id=conversation_id, seq__gt=seen.get(conversation_id, 0)
        ).order_by("seq")
        for message in messages:
            position += 1
            text = mask_card_numbers(message.text)
            digest = entry_hash(
                prev_hash,
                seq=message.seq,
                sender=message.sender,
                author_name=message.author_name,
                kind=message.kind,
                text=text,
                created_at=message.created_at,
            )
            entries.append(
                TranscriptEntry(
                    case=case,
                    position=position,
                    conversation_ref=conversation_id,
                    seq=message.seq,
                    sender=message.sender,
                    author_name=message.author_name,
                    kind=message.kind,
                    text=text,
                    message_created_at=message.created_at,
                    prev_hash=prev_hash,
                    hash=digest,
                )
            )
            prev_hash = digest
    if entries:
        TranscriptEntry.objects.bulk_create(entries)
        case.transcript_head = prev_hash
        case.transcript_length = position
        case.save(update_fields=["transcript_head", "transcript_length", "updated_at"])
    return len(entries)


def transcript_refresh(*, case_id: int, user: AbstractBaseUser) -> int:
    """Append the messages written since the last snapshot (audited); return how many."""
    with transaction.atomic():
        case = case_lock_for_change(case_id=case_id, user=user)
        added = transcript_append_new(case)
        participant_add(case, user)
        case_audit(
            case=case,
            action=AuditAction.CASE_TRANSCRIPT_APPENDED,
            actor=user,
            params={"added": added},
        )
    return added


@dataclass(frozen=True)
class TranscriptCheck:
    """Result of :func:`transcript_verify`: ``first_broken`` is a 1-based position."""

    valid: bool
    length: int
    head: str
    first_broken: int | None = None
    problem: str = ""


def transcript_verify(case: Case) -> TranscriptCheck:
    """Recompute the chain; report the first entry whose content or link does not hold.

    Problems: ``content_changed`` (the entry's hash does not match its content),
    ``link_broken`` (its ``prev_hash`` is not the previous entry's hash), ``missing_entry``
    (a position is skipped), ``head_mismatch`` (entries were cut from or added to the end:
    the count or last hash differs from what the case recorded).
    """
    prev_hash = GENESIS
    expected = 1
    for entry in case.transcript.order_by("position"):
        if entry.position != expected:
            return TranscriptCheck(False, expected - 1, prev_hash, expected, "missing_entry")
        if entry.prev_hash != prev_hash:
            return TranscriptCheck(False, expected - 1, prev_hash, expected, "link_broken")
        digest = entry_hash(
            prev_hash,
            seq=entry.seq,
            sender=entry.sender,
            author_name=entry.author_name,
            kind=entry.kind,
            text=entry.text,
            created_at=entry.message_created_at,
        )
        if digest != entry.hash:
            return TranscriptCheck(False, expected - 1, prev_hash, expected, "content_changed")
        prev_hash = digest
        expected += 1
    length = expected - 1
    if length != case.transcript_length or (length and prev_hash != case.transcript_head):
        return TranscriptCheck(False, length, prev_hash, length + 1, "head_mismatch")
    return TranscriptCheck(True, length, prev_hash)
