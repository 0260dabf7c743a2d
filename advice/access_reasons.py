"""Why a staff member opens a case (or, later, a conversation) that is not assigned to them.

Such an access first asks for a justification: a reason code from :class:`AccessReason` and,
optionally, a short text (required for ``other``). The justification is kept in the staff
member's session for ``JUSTIFICATION_SECONDS`` for that one object and is stored with every
access event written meanwhile (``params["justification"]``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError, ErrorCode

JUSTIFICATION_SECONDS = 30 * 60
JUSTIFICATION_TEXT_MAX = 200
SESSION_KEY = "access_justifications"


class AccessReason(models.TextChoices):
    COVERING = "covering", _("Covering for the assigned officer")
    SUPERVISION = "supervision", _("Supervision or quality review")
    REFERRAL = "referral", _("Deciding on a referral")
    LINKED_CASE = "linked_case", _("A linked case or investigation")
    LEGAL_REQUEST = "legal_request", _("A request from a prosecutor or court")
    OTHER = "other", _("Other (explain below)")


def justification_clean(*, reason: object, text: object) -> dict[str, str]:
    """The justification as stored, or ``invalid_field`` if the reason is unknown, the text
    too long, or ``other`` without a text."""
    if not isinstance(reason, str) or reason not in AccessReason.values:
        raise DomainError(ErrorCode.INVALID_FIELD, "Choose a reason.")
    cleaned = text.strip() if isinstance(text, str) else ""
    if len(cleaned) > JUSTIFICATION_TEXT_MAX:
        raise DomainError(ErrorCode.INVALID_FIELD, f"At most {JUSTIFICATION_TEXT_MAX} characters.")
    if reason == AccessReason.OTHER and not cleaned:
        raise DomainError(ErrorCode.INVALID_FIELD, "Explain the reason.")
    return {"reason": reason, "text": cleaned}


def justification_grant(
    session: SessionBase, *, key: str, justification: dict[str, str], now: datetime | None = None
) -> None:
    """Remember ``justification`` for the object ``key`` (e.g. ``case:12``) in ``session``."""
    until = (now or timezone.now()) + timedelta(seconds=JUSTIFICATION_SECONDS)
    grants: dict[str, Any] = {
        k: v for k, v in session.get(SESSION_KEY, {}).items() if _valid(v, now=now)
    }
    grants[key] = {**justification, "until": until.isoformat()}
    session[SESSION_KEY] = grants


def justification_current(
    session: SessionBase, *, key: str, now: datetime | None = None
) -> dict[str, str] | None:
    """The justification given for ``key`` in this session, if it has not expired."""
    grant = session.get(SESSION_KEY, {}).get(key)
    if not _valid(grant, now=now):
        return None
    return {"reason": grant["reason"], "text": grant["text"]}


def _valid(grant: object, *, now: datetime | None) -> bool:
    if not isinstance(grant, dict) or "until" not in grant:
        return False
    try:
        until = datetime.fromisoformat(grant["until"])
    except (TypeError, ValueError):
        return False
    return until > (now or timezone.now())
