"""Audited reads of cases: every page view and export of a case writes an audit event."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import translation

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


def case_open(
    *,
    case_id: int,
    user: AbstractBaseUser,
    view: str = "detail",
    justification: dict[str, str] | None = None,
) -> Case:
    """The case if ``user`` may see it (else ``not_found``), recording ``case.viewed`` with
    the ``justification`` given for opening it, if any (``advice.access_reasons``)."""
    case = case_visible_or_refused(case_id=case_id, user=user, what=view)
    params: dict[str, Any] = {"view": view}
    if justification is not None:
        params["justification"] = justification
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


def case_export_json(*, case_id: int, user: AbstractBaseUser) -> dict[str, Any]:
    case = case_visible_or_refused(case_id=case_id, user=user, what="json")
    with transaction.atomic():
        document = case_document(case, viewer=user, language=translation.get_language() or "en")
        case_audit(
            case=case, action=AuditAction.CASE_EXPORTED, actor=user, params={"format": "json"}
        )
    return document


def case_export_stix(*, case_id: int, user: AbstractBaseUser) -> str:
    """The STIX 2.1 bundle (JSON text) of the case's exportable indicators."""
    case = case_visible_or_refused(case_id=case_id, user=user, what="stix")
    with transaction.atomic():
        bundle = stix_bundle(case)
        case_audit(
            case=case,
            action=AuditAction.CASE_EXPORTED,
            actor=user,
            params={"format": "stix", "indicators": len(stix_indicators(case))},
        )
    return str(bundle.serialize(pretty=True))


def case_print(*, case_id: int, user: AbstractBaseUser) -> Case:
    case = case_visible_or_refused(case_id=case_id, user=user, what="print")
    with transaction.atomic():
        case_audit(
            case=case, action=AuditAction.CASE_EXPORTED, actor=user, params={"format": "print"}
        )
    return case
