"""Staff access to conversations: the rule, and the audit event every access writes."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from advice.access_reasons import justification_enforced
from advice.audit import audit_record
from advice.models import Conversation
from advice.selectors import is_supervisor
from core.errors import DomainError, ErrorCode
from core.vocabulary import AuditAction


def conversation_open_for_staff(
    *,
    conversation_id: int,
    user: AbstractBaseUser,
    audit: bool = True,
    justification: dict[str, str] | None = None,
) -> Conversation:
    """Return the conversation if ``user`` may read it; with ``audit``, record the access.

    Officers read the conversations assigned to them; supervisors read any conversation,
    but one not assigned to them (held by someone else, waiting or ended) only with a
    ``justification`` (``advice.access_reasons``; ``justification_required`` without),
    which is stored with the ``conversation.viewed`` event. Callers that write their own,
    more specific audit event (a note, not a read) pass ``audit=False``.
    """
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such conversation.")
    if conversation.assigned_officer_id != user.pk and not is_supervisor(user):
        raise DomainError(ErrorCode.NOT_ASSIGNED, "This conversation is not assigned to you.")
    if audit:
        given = justification_enforced(
            justification, assigned_officer_id=conversation.assigned_officer_id, user=user
        )
        audit_record(
            action=AuditAction.CONVERSATION_VIEWED,
            actor=user,
            conversation=conversation,
            params={"justification": given} if given is not None else None,
        )
    return conversation
