"""Writing the audit trail, always inside the transaction of the change it records."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from advice.models import AuditEvent, Conversation
from core.vocabulary import AuditAction

Actor = AbstractBaseUser | AnonymousUser | None


def audit_record(
    *,
    action: AuditAction,
    actor: Actor = None,
    actor_kind: str | None = None,
    conversation: Conversation | None = None,
    object_type: str = "",
    object_id: str | int = "",
    params: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Call it inside the transaction that makes the change.

    ``action`` must be a member of ``core.vocabulary.AuditAction`` (a plain string that is
    not one raises ``ValueError``), so the trail never holds an action nobody defined.
    """
    action = AuditAction(action)
    user: Any = actor if actor is not None and actor.is_authenticated else None
    kind = actor_kind or ("staff" if user is not None else "citizen")
    return AuditEvent.objects.create(
        actor=user,
        actor_kind=kind,
        action=action,
        conversation=conversation,
        object_type=object_type,
        object_id=str(object_id),
        params=params or {},
    )
