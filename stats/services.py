"""Writes of the statistics app: the audit trail of exports."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from advice.audit import audit_record
from core.vocabulary import AuditAction
from stats.params import StatsQuery


def stats_export_record(
    *, user: AbstractBaseUser | AnonymousUser, query: StatsQuery, external: bool
) -> None:
    """Record in the audit trail that ``user`` exported statistics (filters, external)."""
    with transaction.atomic():
        audit_record(
            action=AuditAction.STATISTICS_EXPORTED,
            actor=user,
            object_type="statistics",
            params={**query.filters(), "external": external},
        )
