"""Helpers shared by the case services: locking a case for a change, participants, audit."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from advice.audit import audit_record
from advice.models import AuditEvent, Conversation
from cases.errors import CaseError, CaseErrorCode
from cases.models import Case, CaseConversation, CaseParticipant, CaseStatus
from cases.selectors import case_access, case_editable_by, case_for_user
from core.errors import DomainError, ErrorCode
from core.vocabulary import AuditAction


def case_lock_for_change(
    *, case_id: int, user: AbstractBaseUser, allow_closed: bool = False
) -> Case:
    """The case, locked for update, if ``user`` may change it. Call inside ``atomic``.

    Raises ``not_found`` if the user may not see it, ``not_allowed`` if they may only see
    it, and ``case_closed`` for a closed case unless ``allow_closed``.
    """
    case = case_for_user(case_id, user)
    if not case_editable_by(case, user):
        raise DomainError(ErrorCode.NOT_ALLOWED, "Only the case's unit can change this case.")
    locked = Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
    if locked.status == CaseStatus.CLOSED and not allow_closed:
        raise CaseError(CaseErrorCode.CASE_CLOSED, "The case is closed; reopen it first.")
    return locked


def participant_add(case: Case, user: AbstractBaseUser | None) -> None:
    """Remember that ``user`` worked on ``case`` (they keep seeing it)."""
    if user is not None and user.is_authenticated:
        CaseParticipant.objects.get_or_create(case=case, user_id=user.pk)


def primary_conversation(case: Case) -> Conversation | None:
    conversation_id = (
        CaseConversation.objects.filter(case=case, conversation__isnull=False)
        .values_list("conversation_id", flat=True)
        .first()
    )
    return Conversation(pk=conversation_id) if conversation_id is not None else None


def case_audit(
    *,
    case: Case,
    action: AuditAction,
    actor: AbstractBaseUser,
    params: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record ``action`` on ``case`` by ``actor`` with the basis of their access (the "why")."""
    basis = case_access(case, actor) if actor is not None else None
    return audit_record(
        action=action,
        actor=actor,
        conversation=primary_conversation(case),
        object_type="case",
        object_id=case.pk,
        params={"reference": case.reference, "access": basis or "", **(params or {})},
    )
