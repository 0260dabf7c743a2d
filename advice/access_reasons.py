"""Why a staff member opens a case or a conversation that is not assigned to them.

Such an access first asks for a justification: a reason code from :class:`AccessReason` and,
optionally, a short text (required for ``other``). The justification is kept in the staff
member's session for ``JUSTIFICATION_SECONDS`` for that one object (key :func:`case_key` or
:func:`conversation_key`) and is stored with every access event written meanwhile
(``params["justification"]``). Pages ask for it with a form (``cases.views.justify``);
sockets take it in the ``conversation.open`` frame or find the one the session holds
(:func:`justification_stored`). Services refuse an access that needs one and has none
(:func:`justification_enforced`, ``justification_required``), so no view can forget to ask.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
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


def case_key(case_id: int) -> str:
    return f"case:{case_id}"


def conversation_key(conversation_id: int) -> str:
    return f"conversation:{conversation_id}"


def justification_needed(*, assigned_officer_id: int | None, user: AbstractBaseUser) -> bool:
    """Whether ``user`` must say why they open an object assigned to ``assigned_officer_id``
    (anyone but the assigned officer must, also when nobody is assigned)."""
    return assigned_officer_id is None or assigned_officer_id != user.pk


def justification_enforced(
    justification: dict[str, str] | None,
    *,
    assigned_officer_id: int | None,
    user: AbstractBaseUser,
) -> dict[str, str] | None:
    """``justification`` as it is to be recorded: None for the assigned officer (never asked),
    else the given one; ``justification_required`` when it is needed and missing."""
    if not justification_needed(assigned_officer_id=assigned_officer_id, user=user):
        return None
    if justification is None:
        raise DomainError(
            ErrorCode.JUSTIFICATION_REQUIRED,
            "You are not assigned to this: give a reason for opening it.",
        )
    return justification


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


def justification_stored(*, session_key: str | None, key: str) -> dict[str, str] | None:
    """The justification for ``key`` that the session ``session_key`` holds now.

    For sockets: their session was read at the handshake, so a justification given later on
    a page would not be in it; this reads the session afresh (blocking: one query).
    """
    if not session_key:
        return None
    store: SessionBase = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return justification_current(store, key=key)
