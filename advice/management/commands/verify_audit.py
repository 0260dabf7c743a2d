"""``manage.py verify_audit``: check the audit hash chain; exit 1 at the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from advice.audit_verify import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain from its anchor to its head."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        if not report.intact:
            where = f"event id {report.event_id}, " if report.event_id is not None else ""
            raise CommandError(
                f"Audit chain broken at position {report.first_broken} ({where}"
                f"{report.checked} events verified before it): {report.problem}."
            )
        self.stdout.write(
            f"Audit chain intact: {report.checked} events, positions "
            f"{report.anchor_seq + 1}–{report.head_seq}."
        )
