"""Resume codes: a citizen returns to a conversation from another tab or device.

A code (six words, ``advice.resume_words``) is shown to the citizen and stored only as a slow
hash (scrypt through ``make_password``) beside an HMAC of its first two words, the lookup
key, so a code finds its row through an index without hashing against every conversation.
A conversation has at most one code: asking again replaces it, and the old code stops working.

Resuming with a code gives this tab a fresh token and revokes the previous one (the token
hash is replaced), so a tab left open on a shared computer cannot reconnect once the citizen
has moved on. Attempts are counted per client address and per lookup key in the cache
(``RESUME_CODE_ATTEMPTS`` per ``RESUME_CODE_WINDOW_SECONDS``), successful or not.

The slow hashing runs outside the database thread: :func:`resume_code_new` and
:func:`resume_code_verify` touch no database; callers run them off the event loop and the
database thread, and pass their results to the writing services here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from advice.audit import audit_record
from advice.events.publish import publish_queue_entry, publish_state
from advice.models import Conversation, ConversationStatus, Message, SenderKind
from advice.resume_words import code_new, code_normalise, lookup_key
from advice.services.conversations import OPEN_STATUSES, StartedConversation
from advice.tokens import token_hash, token_new
from core.errors import DomainError, ErrorCode
from core.vocabulary import AuditAction, StateReason

# Conversations sharing one lookup key that are checked against the slow hash (two codes
# share a key with probability 1 in 16.7 million, so one is the rule).
MAX_CANDIDATES = 3


@dataclass(frozen=True)
class IssuedCode:
    """A new code with its lookup key and slow hash; ``code`` is shown once, never stored."""

    code: str
    lookup: str
    encoded: str


@dataclass(frozen=True)
class Candidate:
    conversation_id: int
    encoded: str


def resume_code_new() -> IssuedCode:
    """Draw a code and hash it (slow on purpose; touches no database)."""
    code = code_new()
    return IssuedCode(
        code=code, lookup=lookup_key(code), encoded=make_password(code, hasher="scrypt")
    )


def resume_code_store(*, conversation_id: int, issued: IssuedCode) -> Conversation:
    """Make ``issued`` the code of an open conversation (a previous code stops working)."""
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
        if conversation is None:
            raise DomainError(ErrorCode.NOT_FOUND, "No such conversation.")
        if conversation.status not in OPEN_STATUSES:
            raise DomainError(ErrorCode.CONVERSATION_ENDED, "The conversation has ended.")
        replaced = bool(conversation.resume_hash)
        conversation.resume_lookup = issued.lookup
        conversation.resume_hash = issued.encoded
        conversation.save(update_fields=["resume_lookup", "resume_hash"])
        audit_record(
            action=AuditAction.CONVERSATION_RESUME_CODE_ISSUED,
            actor_kind="citizen",
            conversation=conversation,
            params={"replaced": replaced},
        )
    return conversation


def _count_attempt(key: str) -> int:
    """Count one attempt under ``key`` in a fixed window; return the count so far.

    The key lives in ``LIMITS_NAMESPACE``, like every abuse counter: deployments (and test
    runs) sharing one Redis keep separate counts.
    """
    window = settings.RESUME_CODE_WINDOW_SECONDS
    key = f"resume-code:{settings.LIMITS_NAMESPACE}:{key}"
    cache.add(key, 0, timeout=window)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def _too_many() -> DomainError:
    minutes = max(1, settings.RESUME_CODE_WINDOW_SECONDS // 60)
    return DomainError(
        ErrorCode.TOO_MANY_ATTEMPTS,
        f"Too many attempts with a code. Try again in {minutes} minutes.",
    )


def resume_code_lookup(*, code: str, address: str) -> list[Candidate]:
    """The conversations a typed code may belong to (fast: no slow hash is computed).

    Counts the attempt for the client ``address`` and for the code's lookup key; raises
    ``too_many_attempts`` beyond the limit and ``invalid_code`` when the words are not a code
    or no conversation that can still be resumed has its lookup key.
    """
    # The address is only a counter's name; it is not kept in readable form even there.
    address_key = salted_hmac("advice.resume_address", address).hexdigest()
    if _count_attempt(f"address:{address_key}") > settings.RESUME_CODE_ATTEMPTS:
        raise _too_many()
    canonical = code_normalise(code)
    if canonical is None:
        raise DomainError(ErrorCode.INVALID_CODE, "These words are not a conversation code.")
    lookup = lookup_key(canonical)
    if _count_attempt(f"lookup:{lookup}") > settings.RESUME_CODE_ATTEMPTS:
        raise _too_many()
    ended_since = timezone.now() - timedelta(seconds=settings.CITIZEN_CODE_RESUME_SECONDS)
    rows = (
        Conversation.objects.filter(resume_lookup=lookup, erased_at__isnull=True)
        .exclude(
            status__in=(ConversationStatus.CLOSED, ConversationStatus.ABANDONED),
            closed_at__lt=ended_since,
        )
        .order_by("-created_at")
        .values_list("pk", "resume_hash")[:MAX_CANDIDATES]
    )
    candidates = [Candidate(conversation_id=pk, encoded=encoded) for pk, encoded in rows]
    if not candidates:
        raise DomainError(ErrorCode.INVALID_CODE, "No conversation has this code.")
    return candidates


def resume_code_verify(*, code: str, candidates: list[Candidate]) -> Candidate:
    """The candidate whose slow hash matches ``code`` (slow on purpose; no database).

    Raises ``invalid_code`` when none matches.
    """
    canonical = code_normalise(code) or ""
    for candidate in candidates:
        if candidate.encoded and check_password(canonical, candidate.encoded):
            return candidate
    raise DomainError(ErrorCode.INVALID_CODE, "No conversation has this code.")


def conversation_resume_with_code(*, candidate: Candidate) -> StartedConversation:
    """Attach a citizen who proved the code of ``candidate``: a fresh token for this tab.

    The previous token stops working. Counts the citizen's socket as connected, like a
    resume with the token. Raises ``invalid_code`` if the code was replaced meanwhile.
    """
    token = token_new()
    with transaction.atomic():
        updated = Conversation.objects.filter(
            pk=candidate.conversation_id, resume_hash=candidate.encoded
        ).update(
            token_hash=token_hash(token),
            citizen_open_sockets=F("citizen_open_sockets") + 1,
            citizen_last_seen_at=timezone.now(),
        )
        if updated != 1:
            raise DomainError(ErrorCode.INVALID_CODE, "No conversation has this code.")
        conversation = Conversation.objects.get(pk=candidate.conversation_id)
        audit_record(
            action=AuditAction.CONVERSATION_RESUMED_WITH_CODE,
            actor_kind="citizen",
            conversation=conversation,
        )
        if conversation.status in OPEN_STATUSES:
            publish_state(conversation, reason=StateReason.CITIZEN_CONNECTED)
    return StartedConversation(conversation=conversation, token=token)


def conversation_leave_message(*, conversation_id: int) -> Conversation:
    """The citizen leaves what they wrote for the next officer and will return with the code.

    Only a waiting conversation with a code and at least one message of the citizen. It is
    marked ``left_message`` (the console lists it under "Messages left") and is not abandoned
    when the citizen goes away: it waits for an officer.
    """
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
        if conversation is None:
            raise DomainError(ErrorCode.NOT_FOUND, "No such conversation.")
        if conversation.status != ConversationStatus.WAITING:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, "Only a conversation still waiting can be left."
            )
        if not conversation.resume_hash:
            raise DomainError(ErrorCode.INVALID_TRANSITION, "Get a code before leaving.")
        wrote = Message.objects.filter(
            conversation_id=conversation_id, sender=SenderKind.CITIZEN
        ).exists()
        if not wrote:
            raise DomainError(ErrorCode.TEXT_EMPTY, "Write your message before leaving it.")
        if not conversation.left_message:
            conversation.left_message = True
            conversation.save(update_fields=["left_message"])
            audit_record(
                action=AuditAction.CONVERSATION_MESSAGE_LEFT,
                actor_kind="citizen",
                conversation=conversation,
            )
            publish_queue_entry(conversation)
        publish_state(conversation, reason=StateReason.MESSAGE_LEFT)
    return conversation
