"""Audited reads of cases: every page view and export of a case writes an audit event.

Staff not assigned to a case must give a justification (``advice.access_reasons``) for the
detail page, the printable report and the JSON and STIX downloads alike; it is stored with
the event, and a read without one is refused (``justification_required``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import translation

from advice.access_reasons import justification_enforced
from advice.audit import audit_record
from cases.exports import case_document, stix_bundle, stix_indicators
from cases.models import Case
from cases.selectors import case_for_user
from cases.services.common import case_audit
from core.errors import DomainError
from core.vocabulary import AuditAction


def case_visible_or_refused(*, case_id: int, user: AbstractBaseUser, what: str) -> Case:
    """``case_for_user``, recording a refused attempt (``case.access_refused``) before the
    ``not_found`` error propagates."""
    try:
        return case_for_user(case_id, user)
    except DomainError:
        audit_record(
            action=AuditAction.CASE_ACCESS_REFUSED,
            actor=user,
            object_type="case",
            object_id=case_id,
            params={"what": what},
        )
        raise


def _justified(
    case: Case, user: AbstractBaseUser, justification: dict[str, str] | None, **params: Any
) -> dict[str, Any]:
    """The audit parameters of a read, with the justification when one is needed."""
    needed = justification_enforced(
        justification, assigned_officer_id=case.assigned_officer_id, user=user
    )
    return {**params, "justification": needed} if needed is not None else params


def case_open(
    *,
    case_id: int,
    user: AbstractBaseUser,
    view: str = "detail",
    justification: dict[str, str] | None = None,
) -> Case:
    """The case if ``user`` may see it (else ``not_found``), recording ``case.viewed`` with
    the ``justification`` given for opening it (``justification_required`` if needed and
    missing)."""
    case = case_visible_or_refused(case_id=case_id, user=user, what=view)
    params = _justified(case, user, justification, view=view)
    with transaction.atomic():
        case_audit(case=case, action=AuditAction.CASE_VIEWED, actor=user, params=params)
    return case


def case_list_viewed(*, user: AbstractBaseUser, count: int, filters: dict[str, str]) -> None:
    """Record that ``user`` listed cases (which filter, how many were shown)."""
    audit_record(
        action=AuditAction.CASE_LIST_VIEWED,
        actor=user,
        object_type="case",
        params={"count": count, "filters": filters},
    )


def case_export_json(
    *, case_id: int, user: AbstractBaseUser, justification: dict[str, str] | None = None
) -> dict[str, Any]:
    case = case_visible_or_refused(case_id=case_id, user=user, what="json")
    params = _justified(case, user, justification, format="json")
    with transaction.atomic():
        document = case_document(case, viewer=user, language=translation.get_language() or "en")
        case_audit(case=case, action=AuditAction.CASE_EXPORTED, actor=user, params=params)
    return document


def case_export_stix(
    *, case_id: int, user: AbstractBaseUser, justification: dict[str, str] | None = None
) -> str:
    """The STIX 2.1 bundle (JSON text) of the case's exportable indicators."""
    case = case_visible_or_refused(case_id=case_id, user=user, what="stix")
    params = _justified(case, user, justification, format="stix")
    with transaction.atomic():
        bundle = stix_bundle(case)
        params["indicators"] = len(stix_indicators(case))
        case_audit(case=case, action=AuditAction.CASE_EXPORTED, actor=user, params=params)
    return str(bundle.serialize(pretty=True))


def case_print(
    *, case_id: int, user: AbstractBaseUser, justification: dict[str, str] | None = None
) -> Case:
    case = case_visible_or_refused(case_id=case_id, user=user, what="print")
    params = _justified(case, user, justification, format="print")
    with transaction.atomic():
        case_audit(case=case, action=AuditAction.CASE_EXPORTED, actor=user, params=params)
    return case
