"""Triage JSON lines from standard input: ``python manage.py triage < messages.jsonl``."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from triage.jsonl import dumps, triage_line


class Command(BaseCommand):
    help = (
        'Reads JSON lines {"text": "...", "browser_language": "pl"} from standard input and '
        "writes one JSON line per input: language, category, urgency and reasons, or "
        '{"error": "..."} for a line that cannot be read. Blank lines are skipped.'
    )
    # call_command(..., stdin=...) passes the input in tests.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--full",
            action="store_true",
            help="Also write language_confident and language_candidates.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stream = options.get("stdin") or sys.stdin
        for line in stream:
            if line.strip():
                self.stdout.write(dumps(triage_line(line, full=options["full"])))
