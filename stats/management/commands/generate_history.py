"""``generate_history``: fill the database with synthetic past conversations, fast."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from stats.demo.history import HistoryPlan, history_generate
from stats.rollup import stats_rollup_refresh


class Command(BaseCommand):
    help = (
        "Insert N synthetic ended conversations over the last D days (with ratings and "
        "messages for a sample) for demonstrations and benchmarks. Development only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--conversations", type=int, required=True)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--end", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--officers-per-unit", type=int, default=8)
        parser.add_argument(
            "--message-sample",
            type=float,
            default=0.02,
            help="Share of conversations that get messages (0 to 1).",
        )
        parser.add_argument("--batch", type=int, default=20000)
        parser.add_argument(
            "--no-rollup",
            action="store_true",
            help="Do not build the statistics roll-up of the generated days.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run on a production database (DATABASE_URL set) with DEBUG off.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The embedded database is a demo's; a production one gets synthetic rows only on demand.
        if not (settings.DEBUG or settings.EMBEDDED) and not options["force"]:
            raise CommandError(
                "Refusing to add synthetic history to a production database (see --force)."
            )
        if options["conversations"] < 1 or options["days"] < 1:
            raise CommandError("--conversations and --days must be positive.")
        if not 0 <= options["message_sample"] <= 1:
            raise CommandError("--message-sample must be between 0 and 1.")
        plan = HistoryPlan(
            conversations=options["conversations"],
            days=options["days"],
            seed=options["seed"],
            officers_per_unit=options["officers_per_unit"],
            message_sample=options["message_sample"],
            batch=max(100, options["batch"]),
        )
        if options["end"] is not None:
            plan.end = options["end"]
        began = time.monotonic()
        step = max(plan.batch, plan.conversations // 10)

        def progress(done: int) -> None:
            if done % step < plan.batch or done == plan.conversations:
                self.stdout.write(f"  {done} conversations ({time.monotonic() - began:.1f} s)")

        result = history_generate(plan, progress=progress)
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner and a visibility map for index-only scans.
            # (VACUUM cannot run inside a transaction, e.g. in a test: ANALYZE then.)
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                cursor.execute(f"{verb} advice_conversation")
                cursor.execute(f"{verb} advice_message")
        generated = time.monotonic() - began
        if not options["no_rollup"]:
            rolled = time.monotonic()
            first = plan.end - timedelta(days=plan.days)
            report = stats_rollup_refresh(day=first, days=plan.days + 1)
            self.stdout.write(
                f"  roll-up: {report.cells} cells in {time.monotonic() - rolled:.1f} s"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {result.conversations} conversations and {result.messages} "
                f"messages in {generated:.1f} s "
                f"(units {', '.join(result.units)}; {result.officers} officers)."
            )
        )
