"""Erase every data class past its retention period (run daily from cron or a timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cases.services.purge import purge_expired


class Command(BaseCommand):
    help = (
        "Erase what is past its retention period: ended conversations, cases past review, "
        "old audit events, sessions, two-factor remnants, resume codes, presence, login "
        "attempts. Idempotent; run it daily (docs/security.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="print what is due and change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        report = purge_expired(dry_run=dry_run)
        verb = "due" if dry_run else "erased"
        for name, count in report.counts().items():
            self.stdout.write(f"{name.replace('_', ' ')}: {count} {verb}")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
