"""The domain's fixed vocabulary: codes stored in the database, sent in frames and shown
translated on staff screens. Labels are lazy translations; ``core.labels`` adds the
longer wordings citizens read.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.TextChoices):
    """Crime categories of the product brief (also ``triage.vocabulary.CATEGORIES``)."""

    PHISHING = "phishing", pgettext_lazy("category", "Phishing")
    BANK_IMPERSONATION = (
        "bank_impersonation",
        pgettext_lazy("category", "Bank or police impersonation"),
    )
    MARKETPLACE_FRAUD = "marketplace_fraud", pgettext_lazy("category", "Marketplace fraud")
    INVESTMENT_FRAUD = "investment_fraud", pgettext_lazy("category", "Investment fraud")
    ROMANCE_SCAM = "romance_scam", pgettext_lazy("category", "Romance scam")
    SEXTORTION = "sextortion", pgettext_lazy("category", "Sextortion")
    ACCOUNT_TAKEOVER = "account_takeover", pgettext_lazy("category", "Account takeover")
    MALWARE_RANSOMWARE = "malware_ransomware", pgettext_lazy("category", "Malware or ransomware")
    IDENTITY_THEFT = "identity_theft", pgettext_lazy("category", "Identity theft")
    HARASSMENT = "harassment", pgettext_lazy("category", "Harassment")
    CHILD_ABUSE = "child_abuse", pgettext_lazy("category", "Child at risk")
    TRAFFICKING = "trafficking", pgettext_lazy("category", "Trafficking")
    OTHER = "other", pgettext_lazy("category", "Other")


class Urgency(models.TextChoices):
    """P1 critical (risk to life or safety) to P4 information, as in the product brief."""

    P1 = "P1", _("P1 critical")
    P2 = "P2", _("P2 urgent")
    P3 = "P3", _("P3 standard")
    P4 = "P4", _("P4 information")


class Outcome(models.TextChoices):
    """What an officer records when closing a conversation (``Conversation.outcome``)."""

    ADVICE_GIVEN = "advice_given", _("Advice given")
    CASE_OPENED = "case_opened", _("Case opened")
    REFERRED = "referred", _("Referred to a partner unit")
    REPORTED_ELSEWHERE = "reported_elsewhere", _("Told where to report")
    NO_CRIME = "no_crime", _("No crime involved")
    CITIZEN_LEFT = "citizen_left", _("Citizen left")
    OTHER = "other", _("Other")


class SafetyAnswer(models.TextChoices):
    """The citizen's answer to "Are you safe right now?" (asked on possible risk only)."""

    SAFE = "safe", _("I'm safe")
    NOT_SAFE = "not_safe", _("I'm not safe")
    NO_ANSWER = "no_answer", _("I'd rather not say")


class StateReason(StrEnum):
    """Why a ``conversation.state`` or ``queue.removed`` frame was sent (``docs/protocol.md``).

    Clients switch on these; the officer console joins or leaves a conversation's group on
    ``JOINS_STAFF`` and ``LEAVES_STAFF`` reasons.
    """

    OPENED = "opened"  # an officer's console opened the conversation
    ASSIGNED = "assigned"  # to the officer's other consoles: it is now theirs
    RESUMED = "resumed"  # the citizen's socket resumed with the token or a resume code
    TRIAGE = "triage"  # language, category or urgency changed
    CITIZEN_CONNECTED = "citizen_connected"
    CITIZEN_DISCONNECTED = "citizen_disconnected"
    OFFICER_JOINED = "officer_joined"
    OFFICER_RECONNECTING = "officer_reconnecting"  # the officer's last console closed
    OFFICER_RETURNED = "officer_returned"  # a console of theirs is back within the grace
    OFFICER_DISCONNECTED = "officer_disconnected"  # grace period over: back in the queue
    TRANSFERRED = "transferred"
    REFERRED = "referred"
    ENDED_BY_CITIZEN = "ended_by_citizen"
    ENDED_BY_OFFICER = "ended_by_officer"
    MESSAGE_LEFT = "message_left"  # the citizen left a message and will come back with a code
    CITIZEN_LEFT = "citizen_left"  # quick exit: the citizen left and the token is revoked
    CITIZEN_ERASED = "citizen_erased"  # the citizen erased the conversation: nothing remains
    # queue.removed only
    CLAIMED = "claimed"
    ABANDONED = "abandoned"
    CLOSED = "closed"


# An officer's console follows a conversation from these reasons on...
JOINS_STAFF = frozenset({StateReason.ASSIGNED})
# ...and stops following it on these.
LEAVES_STAFF = frozenset(
    {
        StateReason.ENDED_BY_OFFICER,
        StateReason.ENDED_BY_CITIZEN,
        StateReason.CITIZEN_LEFT,
        StateReason.CITIZEN_ERASED,
        StateReason.TRANSFERRED,
        StateReason.REFERRED,
        StateReason.OFFICER_DISCONNECTED,
    }
)


class SessionEndReason(StrEnum):
    """Why an open staff socket was closed with 4401 (``session.revoked``)."""

    LOGGED_OUT = "logged_out"
    EXPIRED = "expired"
    ACCOUNT_DISABLED = "account_disabled"
    ROLE_REMOVED = "role_removed"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 - a reason code, not a secret
    DEVICE_REVOKED = "device_revoked"


class AuditAction(StrEnum):
    """Every action the audit trail records (``AuditEvent.action``)."""

    CONVERSATION_STARTED = "conversation.started"
    CONVERSATION_VIEWED = "conversation.viewed"
    CONVERSATION_CLAIMED = "conversation.claimed"
    CONVERSATION_CLOSED = "conversation.closed"
    CONVERSATION_ABANDONED = "conversation.abandoned"
    CONVERSATION_REQUEUED = "conversation.requeued"
    CONVERSATION_TRANSFERRED = "conversation.transferred"
    CONVERSATION_RATED = "conversation.rated"
    CONVERSATION_NOTE_ADDED = "conversation.note_added"
    CONVERSATION_LANGUAGE_CHOSEN = "conversation.language_chosen"
    CONVERSATION_TRIAGE_OVERRIDDEN = "conversation.triage_overridden"
    CONVERSATION_REFERRED = "conversation.referred"
    CONVERSATION_REFERRAL_ACCEPTED = "conversation.referral_accepted"
    CONVERSATION_REFERRAL_DECLINED = "conversation.referral_declined"
    CONVERSATION_ERASED = "conversation.erased"
    CONVERSATION_RESUME_CODE_ISSUED = "conversation.resume_code_issued"
    CONVERSATION_RESUMED_WITH_CODE = "conversation.resumed_with_code"
    CONVERSATION_MESSAGE_LEFT = "conversation.message_left"
    CONVERSATION_SAFETY_ANSWERED = "conversation.safety_answered"
    OFFICER_ON_DUTY = "officer.on_duty"
    OFFICER_OFF_DUTY = "officer.off_duty"
    STAFF_TWO_FACTOR_ENABLED = "staff.two_factor_enabled"
    STATISTICS_EXPORTED = "statistics.exported"
    SOCKET_REFUSED = "socket.refused"
    TRIAGE_CORRECTIONS_EXPORTED = "triage.corrections_exported"
    CASE_ESCALATED = "case.escalated"
    CASE_VIEWED = "case.viewed"
    CASE_LIST_VIEWED = "case.list_viewed"
    CASE_ACCESS_REFUSED = "case.access_refused"
    CASE_UPDATED = "case.updated"
    CASE_STATUS_CHANGED = "case.status_changed"
    CASE_NOTE_ADDED = "case.note_added"
    CASE_LOSS_ADDED = "case.loss_added"
    CASE_LOSS_REMOVED = "case.loss_removed"
    CASE_CHECKLIST_UPDATED = "case.checklist_updated"
    CASE_TRANSCRIPT_APPENDED = "case.transcript_appended"
    CASE_INDICATORS_EXTRACTED = "case.indicators_extracted"
    CASE_INDICATOR_ADDED = "case.indicator_added"
    CASE_INDICATOR_CONFIRMED = "case.indicator_confirmed"
    CASE_INDICATOR_REMOVED = "case.indicator_removed"
    CASE_INDICATOR_SUGGESTED = "case.indicator_suggested"
    CASE_REFERRED = "case.referred"
    CASE_REFERRAL_ACCEPTED = "case.referral_accepted"
    CASE_REFERRAL_DECLINED = "case.referral_declined"
    CASE_EXPORTED = "case.exported"
    CASE_ERASED = "case.erased"
    CASE_LEGAL_HOLD_SET = "case.legal_hold_set"
    CASE_REVIEW_DATE_SET = "case.review_date_set"
    RETENTION_PURGED = "retention.purged"
    SEARCH_PERFORMED = "search.performed"


class StaffGroup(StrEnum):
    """Django auth groups that give staff roles."""

    OFFICERS = "officers"
    SUPERVISORS = "supervisors"
