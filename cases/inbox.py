"""What the receiving unit reads before it accepts a referral: one row per pending referral.

Urgency, category and language come from the case or the live conversation; "under 18" from
the citizen's pre-chat answers (of the case's first conversation); the wait since the
referral was made (and, for a live conversation, since the citizen started); the referring
officer's name and summary. Codes stay codes here: templates show them in the reader's
language (``{% load vocabulary %}``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from advice.models import OfficerProfile
from cases.models import CaseConversation, Referral


@dataclass(frozen=True)
class PendingReferral:
    referral: Referral
    urgency: str
    category: str
    language: str
    # None when the citizen did not answer the question.
    under_18: bool | None
    citizen_since: datetime | None
    referrer_name: str


def pending_rows(referrals: list[Referral]) -> list[PendingReferral]:
    """Rows for ``referrals`` (pending, with ``case`` and ``conversation`` selected), most
    urgent first, then the longest waiting."""
    case_ids = [r.case_id for r in referrals if r.case_id is not None]
    first_prechat: dict[int, dict[str, object]] = {}
    for case_id, prechat in (
        CaseConversation.objects.filter(case_id__in=case_ids, conversation__isnull=False)
        .order_by("case_id", "linked_at", "pk")
        .values_list("case_id", "conversation__prechat")
    ):
        first_prechat.setdefault(case_id, prechat or {})
    names = dict(
        OfficerProfile.objects.filter(user_id__in={r.created_by_id for r in referrals}).values_list(
            "user_id", "display_name"
        )
    )
    rows = []
    for referral in referrals:
        if referral.case is not None:
            case = referral.case
            urgency, category, language = case.urgency, case.category, case.language
            prechat = first_prechat.get(case.pk, {})
            since = None
        else:
            conversation = referral.conversation
            urgency = conversation.urgency if conversation else ""
            category = conversation.category if conversation else ""
            language = conversation.language if conversation else ""
            prechat = conversation.prechat if conversation else {}
            since = conversation.created_at if conversation else None
        answer = prechat.get("under_18") if isinstance(prechat, dict) else None
        rows.append(
            PendingReferral(
                referral=referral,
                urgency=urgency,
                category=category,
                language=language,
                under_18=answer if isinstance(answer, bool) else None,
                citizen_since=since,
                referrer_name=names.get(referral.created_by_id, ""),
            )
        )
    rows.sort(key=lambda row: (row.urgency or "P9", row.referral.created_at))
    return rows
