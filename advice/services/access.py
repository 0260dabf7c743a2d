"""Staff access to conversations: the rule, and the audit event every access writes."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from advice.audit import audit_record
from advice.models import Conversation
from advice.selectors import is_supervisor
from core.errors import DomainError, ErrorCode
from core.vocabulary import AuditAction


def conversation_open_for_staff(
    *, conversation_id: int, user: AbstractBaseUser, audit: bool = True
) -> Conversation:
    """Return the conversation if ``user`` may read it; with ``audit``, record the access.

    Officers read the conversations assigned to them; supervisors read any conversation.
    Callers that write their own, more specific audit event pass ``audit=False``.
    """
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such conversation.")
    if conversation.assigned_officer_id != user.pk and not is_supervisor(user):
        raise DomainError(ErrorCode.NOT_ASSIGNED, "This conversation is not assigned to you.")
    if audit:
        audit_record(action=AuditAction.CONVERSATION_VIEWED, actor=user, conversation=conversation)
    return conversation
