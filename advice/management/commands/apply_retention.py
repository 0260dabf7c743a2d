"""Erase what citizens wrote in conversations that ended more than RETENTION_DAYS ago."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from advice.services.retention import retention_apply


class Command(BaseCommand):
    help = "Apply the retention rule (run it daily, e.g. from cron or a systemd timer)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"override RETENTION_DAYS ({settings.RETENTION_DAYS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_apply(days=options["days"])
        self.stdout.write(
            f"Erased {report.messages} messages of {report.conversations} ended conversations."
        )
