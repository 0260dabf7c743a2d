"""Models of case records. Only services in ``cases.services`` change them."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from advice.models import Conversation, Unit, Urgency


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    # Handed over for formal proceedings (a formal report was filed or forwarded).
    REFERRED = "referred", _("Referred for proceedings")
    CLOSED = "closed", _("Closed")


class ReferenceCounter(models.Model):
    """Last case number used by a unit in a year; the row is the lock of numbering."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["unit", "year"], name="case_counter_unit_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last_number}"


class Case(models.Model):
    """A case record made from one or more conversations; ``reference`` never changes."""

    reference = models.CharField(max_length=32, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases")
    category = models.CharField(max_length=32, default="other")
    urgency = models.CharField(max_length=2, choices=Urgency.choices, default=Urgency.P3)
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(blank=True, default="")
    incident_at = models.DateTimeField(null=True, blank=True)
    # Language of the citizen's conversation: the citizen notice and checklist labels use it.
    language = models.CharField(max_length=8, blank=True, default="")
    # Hash and length of the transcript chain: removing entries from its end shows too.
    transcript_head = models.CharField(max_length=64, blank=True, default="")
    transcript_length = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Retention: past ``review_at`` (set at escalation from ``Unit.case_retention_days``) a
    # case not on legal hold is erased down to its metadata; ``erased_at`` says when.
    review_at = models.DateTimeField(null=True, blank=True, db_index=True)
    legal_hold = models.BooleanField(default=False)
    # Why and since when the case is held (a supervisor sets both with the hold; cleared
    # when it is lifted — the audit trail keeps every change).
    legal_hold_reason = models.CharField(max_length=200, blank=True, default="")
    legal_hold_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["unit", "status"], name="case_unit_status_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


class CaseConversation(models.Model):
    """A conversation linked to a case (the escalated one and any linked later)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conversation_links")
    # SET_NULL: erasing a conversation under retention rules leaves the frozen transcript.
    conversation = models.ForeignKey(
        Conversation, null=True, on_delete=models.SET_NULL, related_name="case_links"
    )
    linked_at = models.DateTimeField(auto_now_add=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["linked_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # A conversation belongs to at most one case (NULLs of erased ones do not collide).
            models.UniqueConstraint(fields=["conversation"], name="case_conversation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} ← {self.conversation_id}"


class CaseParticipant(models.Model):
    """A staff member who worked on a case (escalated, was assigned, edited or noted)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    since = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["case", "user"], name="case_participant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.case_id}"


class EvidenceItem(models.Model):
    """One item of the category's evidence checklist and whether the victim has it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence_items")
    code = models.CharField(max_length=48)
    # In the unit's staff language when the case got it (knowledge-base items have no codes
    # shared across languages).
    label = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)
    have = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["case", "code"], name="case_evidence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.have}"


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("Bank transfer")
    CARD = "card", _("Payment card")
    BLIK = "blik", _("BLIK / mobile payment")
    CRYPTO = "crypto", _("Cryptocurrency")
    CASH = "cash", _("Cash")
    VOUCHER = "voucher", _("Voucher / gift card")
    OTHER = "other", _("Other")


class FinancialLoss(models.Model):
    """One amount the victim lost; a case has any number of them, in any currencies."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="losses")
    # Eight decimal places so that cryptocurrency amounts are kept exactly.
    amount = models.DecimalField(max_digits=20, decimal_places=8)
    currency = models.CharField(max_length=8)
    method = models.CharField(
        max_length=10, choices=PaymentMethod.choices, default=PaymentMethod.TRANSFER
    )
    occurred_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


class CaseNote(models.Model):
    """An internal note on a case; staff only, never shown to the citizen."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=80)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note {self.pk} on {self.case_id}"


class TranscriptEntry(models.Model):
    """A frozen copy of one message, hash-chained to the previous entry of the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transcript")
    position = models.PositiveIntegerField()
    # A plain number, not a foreign key: the record outlives the conversation's erasure.
    conversation_ref = models.BigIntegerField()
    seq = models.PositiveIntegerField()
    sender = models.CharField(max_length=8)
    author_name = models.CharField(max_length=80, blank=True, default="")
    kind = models.CharField(max_length=8)
    text = models.TextField()
    message_created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    appended_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "position"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["case", "position"], name="transcript_position_once"),
            models.UniqueConstraint(
                fields=["case", "conversation_ref", "seq"], name="transcript_message_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.position}"


class IndicatorKind(models.TextChoices):
    PHONE = "phone", _("Phone number")
    IBAN = "iban", _("Bank account (IBAN)")
    CARD = "card", _("Payment card (masked)")
    EMAIL = "email", _("E-mail address")
    URL = "url", _("URL")
    DOMAIN = "domain", _("Domain")
    CRYPTO = "crypto", _("Crypto wallet")
    HANDLE = "handle", _("Social-media handle")
    NATIONAL_ID = "national_id", _("National ID number")


class IndicatorStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    CONFIRMED = "confirmed", _("Confirmed")
    REMOVED = "removed", _("Removed")


class IndicatorParty(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    SUSPECT = "suspect", _("Suspect")
    VICTIM = "victim", _("Victim")


class Indicator(models.Model):
    """A normalised value found in the citizen's messages (or added by an officer).

    ``value`` is the normalised form used for matching across cases; payment cards keep only
    their first six and last four digits, never the full number.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(max_length=12, choices=IndicatorKind.choices)
    value = models.CharField(max_length=255)
    display = models.CharField(max_length=300)
    details = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=IndicatorStatus.choices, default=IndicatorStatus.SUGGESTED
    )
    party = models.CharField(
        max_length=8, choices=IndicatorParty.choices, default=IndicatorParty.UNKNOWN
    )
    # [[conversation id, seq], ...] of the messages the value was found in.
    seen_in = models.JSONField(default=list, blank=True)
    manual = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["case", "kind", "value"], name="indicator_once"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["kind", "value", "status"], name="indicator_match_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.display}"


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ReferralReason(models.TextChoices):
    JURISDICTION = "jurisdiction", _("Victim lives in the receiving unit's area")
    SUSPECT_LOCATION = "suspect_location", _("Suspect or money is in the receiving unit's area")
    LANGUAGE = "language", _("The receiving unit speaks the citizen's language")
    EXPERTISE = "expertise", _("The receiving unit specialises in this crime")
    CAPACITY = "capacity", _("Our unit has no capacity now")
    OTHER = "other", _("Other (see summary)")


class Referral(models.Model):
    """A case or a live conversation referred from one unit to another."""

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="referrals"
    )
    conversation = models.ForeignKey(
        Conversation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="unit_referrals",
    )
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="referrals_out")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="referrals_in")
    reason = models.CharField(max_length=20, choices=ReferralReason.choices)
    summary = models.TextField()
    status = models.CharField(
        max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending", case__isnull=False),
                name="referral_one_pending_case",
            ),
            models.UniqueConstraint(
                fields=["conversation"],
                condition=Q(status="pending", conversation__isnull=False, case__isnull=True),
                name="referral_one_pending_conversation",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["to_unit", "status"], name="referral_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} {self.from_unit_id}→{self.to_unit_id} ({self.status})"
