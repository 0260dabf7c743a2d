"""``rollup_statistics``: recompute the statistics roll-up of recent (or given) days."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from stats.rollup import NIGHTLY_DAYS, stats_rollup_refresh


class Command(BaseCommand):
    help = (
        "Recompute the statistics roll-up from the conversations. Without options: the last "
        f"{NIGHTLY_DAYS} days that are over (run it nightly). --since DATE: from DATE up to "
        "yesterday (or --days N days). Safe to repeat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument("--days", type=int, default=None)
        parser.add_argument(
            "--zone", action="append", default=None, help="Only this time zone (repeatable)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        since: date | None = options["since"]
        days: int | None = options["days"]
        if days is not None and days < 1:
            raise CommandError("--days must be positive.")
        if since is not None and days is None:
            days = max(1, (timezone.now().date() - since).days + 1)
        began = time.monotonic()
        report = stats_rollup_refresh(day=since, days=days, zones=options["zone"])
        for zone, (first, last) in sorted(report.days.items()):
            self.stdout.write(f"  {zone}: {first} … {last}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Rolled up {len(report.days)} zone(s), {report.cells} cells in "
                f"{time.monotonic() - began:.1f} s."
            )
        )
