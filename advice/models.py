"""Models of the conversation domain. Only services in ``advice.services`` change them."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connections, models, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advice.audit_chain import (
    GENESIS,
    SEAL_INSERT_SQL,
    STREAM,
    canonical_prefix,
    chain_seal,
)
from advice.unit_zones import validate_zone, zone_name
from core.vocabulary import Category, Outcome, SafetyAnswer, Urgency


class Unit(models.Model):
    """A police unit taking part in the service (e.g. a regional HQ on one side of a border)."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code")
    languages = models.JSONField(default=list, blank=True)
    # Empty: the country's zone (``advice.unit_zones``).
    timezone = models.CharField(
        max_length=64,
        blank=True,
        default="",
        validators=[validate_zone],
        help_text="IANA time zone staff read times in; empty for the country's.",
    )
    citizen_contact = models.TextField(
        blank=True, help_text="How citizens reach this unit in person (address, hours, phone)."
    )
    # The unit's case retention policy: a case is reviewed (and erased unless on legal hold)
    # this many days after it was opened.
    case_retention_days = models.PositiveIntegerField(
        default=730, help_text="Days after escalation until a case is reviewed for erasure."
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def zone_name(self) -> str:
        """The zone the unit's staff read times in (``advice.unit_zones``)."""
        return zone_name(timezone=self.timezone, country=self.country)


class OfficerProfile(models.Model):
    """Duty data of an officer or supervisor; one per staff user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer_profile"
    )
    display_name = models.CharField(max_length=80)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="officers")
    languages = models.JSONField(default=list, blank=True)
    max_concurrent_chats = models.PositiveSmallIntegerField(default=3)
    on_duty = models.BooleanField(default=False)
    # Presence across server processes: the number of the officer's console leases
    # (``SocketLease``, kept equal by the services and the sweeper) and when the last closed.
    open_sockets = models.IntegerField(default=0)
    last_disconnected_at = models.DateTimeField(null=True, blank=True)
    # Set when the last console closes: then the officer's chats go back to the queue.
    grace_due_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return self.display_name


class ConversationStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    ABANDONED = "abandoned", _("Abandoned")


class Conversation(models.Model):
    """An anonymous conversation, reachable by the citizen only through its token."""

    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.WAITING
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_conversations",
    )
    # Triage results; filled by ``triage`` and overridable by officers.
    language = models.CharField(max_length=8, blank=True, default="")
    language_confirmed = models.BooleanField(default=False)
    language_asked = models.BooleanField(default=False)
    browser_language = models.CharField(max_length=8, blank=True, default="")
    category = models.CharField(
        max_length=32, blank=True, choices=Category.choices, default=Category.OTHER
    )
    urgency = models.CharField(max_length=2, choices=Urgency.choices, default=Urgency.P3)
    triage_reasons = models.JSONField(default=list, blank=True)
    # Set when an officer overrides category/urgency: automatic triage no longer changes them.
    triage_overridden = models.BooleanField(default=False)
    # Below P1, triage sees a real chance of risk to life or safety: the card is marked and the
    # citizen asked once whether they are safe right now; the answer decides from then on.
    possible_risk = models.BooleanField(default=False)
    safety_answer = models.CharField(
        max_length=16, blank=True, default="", choices=SafetyAnswer.choices
    )
    prechat = models.JSONField(default=dict, blank=True)
    # Timestamps recorded when things happen (statistics read them, never reconstruct them).
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    requeued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    first_officer_message_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    referred_at = models.DateTimeField(null=True, blank=True)
    transfer_count = models.PositiveSmallIntegerField(default=0)
    # When the retention rule erased the citizen's words (the figures stay for statistics).
    erased_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=10, blank=True, default="")
    outcome = models.CharField(max_length=32, blank=True, choices=Outcome.choices, default="")
    last_seq = models.PositiveIntegerField(default=0)
    # The number of the citizen's socket leases (``SocketLease``), kept by the services.
    citizen_open_sockets = models.IntegerField(default=0)
    citizen_last_seen_at = models.DateTimeField(null=True, blank=True)
    # Set when the citizen's last socket closes: a conversation still waiting then is abandoned.
    resume_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True, default="")
    # The citizen's resume code (``advice.resume_words``): an HMAC of its first words to find
    # the row, and a slow hash of the whole code; the code itself is never stored.
    resume_lookup = models.CharField(max_length=64, blank=True, default="")
    resume_hash = models.CharField(max_length=200, blank=True, default="")
    # The citizen left a message while nobody answered and will come back with the code.
    left_message = models.BooleanField(default=False)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["resume_lookup"], name="conv_resume_lookup_idx"),
            models.Index(fields=["status", "urgency", "queued_at"], name="conv_queue_idx"),
            models.Index(fields=["assigned_officer", "status"], name="conv_officer_idx"),
            models.Index(fields=["unit", "created_at"], name="conv_unit_created_idx"),
            models.Index(fields=["created_at"], name="conv_created_idx"),
        ]

    def __str__(self) -> str:
        return f"Conversation {self.pk} ({self.status})"


class ProcessHeartbeat(models.Model):
    """A live server process: renewed every few seconds; stale means the process is gone."""

    process_id = models.CharField(max_length=128, primary_key=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.process_id} (beat {self.beat_at:%H:%M:%S})"


class SocketKind(models.TextChoices):
    OFFICER = "officer", "Officer console"
    CITIZEN = "citizen", "Citizen"


class SocketLease(models.Model):
    """One open websocket, held by one server process for as long as its heartbeat is fresh."""

    process_id = models.CharField(max_length=128, db_index=True)
    kind = models.CharField(max_length=8, choices=SocketKind.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="socket_leases",
    )
    conversation = models.ForeignKey(
        Conversation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="socket_leases",
    )
    channel_name = models.CharField(max_length=200, unique=True)
    opened_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.kind} socket on {self.process_id}"


class SenderKind(models.TextChoices):
    CITIZEN = "citizen", "Citizen"
    OFFICER = "officer", "Officer"
    SYSTEM = "system", "System"


class MessageKind(models.TextChoices):
    TEXT = "text", "Text"
    ARTICLE = "article", "Article"
    SYSTEM = "system", "System notice"


class Message(models.Model):
    """One message; ``seq`` is gap-free per conversation and assigned before broadcast."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    seq = models.PositiveIntegerField()
    sender = models.CharField(max_length=8, choices=SenderKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    author_name = models.CharField(max_length=80, blank=True, default="")
    kind = models.CharField(max_length=8, choices=MessageKind.choices, default=MessageKind.TEXT)
    text = models.TextField()
    # Extra structured content (e.g. an inserted article's slug, language and sanitised HTML).
    payload = models.JSONField(default=dict, blank=True)
    # NULL (not "") for server-made messages, so the unique constraint skips them.
    client_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conversation", "seq"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="msg_unique_seq"),
            models.UniqueConstraint(
                fields=["conversation", "sender", "client_id"],
                condition=Q(client_id__isnull=False),
                name="msg_unique_client_id",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} in {self.conversation_id}"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Refuses bulk changes: the audit trail is append-only."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionDenied("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("Audit events are append-only.")

    def bulk_create(self, *args: Any, **kwargs: Any) -> list[AuditEvent]:  # type: ignore[override]
        # Each event must be sealed into the hash chain one by one (see ``AuditEvent.save``).
        raise PermissionDenied("Audit events are written one at a time.")


class AuditChainHead(models.Model):
    """The head of one audit hash chain: its last position and hash, and its anchor (the
    position and hash the first remaining event chains to; ``GENESIS`` until rows are
    purged). See ``advice.audit_chain``."""

    stream = models.CharField(max_length=32, unique=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)
    anchor_seq = models.BigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, default=GENESIS)

    def __str__(self) -> str:
        return f"{self.stream} at {self.seq}"


class AuditEvent(models.Model):
    """Append-only trail of every state change and every staff access.

    The application cannot update or delete rows (here, and by database triggers installed
    by ``advice.db_guard``); the admin shows them read-only. Erasing a conversation only
    detaches its events (``conversation`` becomes NULL) through Django's base manager.
    Every event is sealed into a hash chain when it is inserted (``advice.audit_chain``):
    ``seq`` is its position and ``hash`` covers it and the previous event's hash.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    actor_kind = models.CharField(max_length=10)
    action = models.CharField(max_length=64, db_index=True)
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit"
    )
    object_type = models.CharField(max_length=32, blank=True, default="")
    object_id = models.CharField(max_length=64, blank=True, default="")
    params = models.JSONField(default=dict, blank=True)
    seq = models.BigIntegerField(unique=True, editable=False)
    # The conversation as recorded, kept (and hashed) when ``conversation`` is detached.
    conversation_ref = models.BigIntegerField(null=True, blank=True, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_kind} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A guard, not logic: an existing event must never be rewritten.
        if not self._state.adding:
            raise PermissionDenied("Audit events are append-only.")
        using = kwargs.get("using") or router.db_for_write(AuditEvent, instance=self)
        if connections[using].vendor == "postgresql" and self._seal_insert(using):
            return
        with transaction.atomic(using=using):
            chain_seal(self, heads=AuditChainHead)
            super().save(*args, **kwargs)

    def _seal_insert(self, using: str) -> bool:
        """Seal and insert in one statement (``advice.audit_chain.SEAL_INSERT_SQL``); False,
        with nothing written, when the chain has no head row yet."""
        self.at = timezone.now()
        self.conversation_ref = self.conversation_id
        self.params = json.loads(json.dumps(self.params))  # as the database gives it back
        prefix = canonical_prefix(self)
        with connections[using].cursor() as cursor:
            cursor.execute(
                SEAL_INSERT_SQL,
                {
                    "prefix": prefix,
                    "stream": STREAM,
                    "at": self.at,
                    "actor_id": self.actor_id,
                    "actor_kind": self.actor_kind,
                    "action": self.action,
                    "conversation_id": self.conversation_id,
                    "object_type": self.object_type,
                    "object_id": self.object_id,
                    "params": json.dumps(self.params),
                    "conversation_ref": self.conversation_ref,
                },
            )
            row = cursor.fetchone()
        if row is None:
            return False
        self.pk, self.seq, self.hash = row
        self._state.adding = False
        self._state.db = using
        return True

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("Audit events are append-only.")


class ConversationNote(models.Model):
    """An internal note on a conversation, seen by staff only."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    author_name = models.CharField(max_length=80)
    text = models.TextField()
    client_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    # A supervisor's private note to the conversation's officer (still staff only).
    whisper = models.BooleanField(default=False)

    class Meta:
        ordering = ["conversation", "created_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["conversation", "author", "client_id"], name="note_unique_client_id"
            ),
        ]

    def __str__(self) -> str:
        return f"Note {self.pk} on {self.conversation_id}"


class TriageOverride(models.Model):
    """An officer's correction of automatic triage, kept to improve the rules."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="triage_overrides"
    )
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)
    field = models.CharField(max_length=16)
    old_value = models.CharField(max_length=32)
    new_value = models.CharField(max_length=32)
    # What triage saw when it decided: lets analysts replay the case against new rules.
    reasons = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"
