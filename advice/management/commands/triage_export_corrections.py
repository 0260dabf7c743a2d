"""Officer corrections of triage, exported by a supervisor for review as corpus lines.

``manage.py triage_export_corrections --supervisor NAME [--since YYYY-MM-DD] [--output F]``

One JSON line per corrected conversation of the supervisor's unit (handled by the unit or
corrected by one of its officers), in the training-corpus format (triage/corpus/README.md):
the citizen's first messages, the labels as corrected, and a ``review`` object with each
correction and the reasons triage had shown. The file is for a person to read, fix and add
to the corpus; nothing retrains itself, and the export is recorded in the audit trail.
Conversations whose text was erased by the retention rule are left out.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q
from django.utils import translation

from advice.audit import audit_record
from advice.models import Message, OfficerProfile, SenderKind, TriageOverride
from advice.selectors import is_supervisor
from core.reason_text import reason_texts
from core.vocabulary import AuditAction

# The corpus holds openings of one to three messages.
OPENING_MESSAGES = 3


def corrections_export(
    *, supervisor: AbstractBaseUser, since: dt.date | None
) -> list[dict[str, Any]]:
    """The corrected conversations of ``supervisor``'s unit as corpus lines (oldest first).

    Raises ``PermissionError`` unless ``supervisor`` is a supervisor with a unit.
    """
    profile = OfficerProfile.objects.filter(user_id=supervisor.pk).select_related("unit").first()
    if not is_supervisor(supervisor) or profile is None:
        raise PermissionError("Only a supervisor of a unit can export its corrections.")
    unit = profile.unit
    overrides = (
        TriageOverride.objects.filter(
            Q(conversation__unit=unit) | Q(officer__officer_profile__unit=unit),
            conversation__erased_at__isnull=True,
        )
        .select_related("conversation")
        .order_by("conversation_id", "at", "pk")
    )
    if since is not None:
        overrides = overrides.filter(at__date__gte=since)
    by_conversation: dict[int, list[TriageOverride]] = {}
    for override in overrides:
        by_conversation.setdefault(override.conversation_id, []).append(override)
    lines = []
    for conversation_id, corrections in by_conversation.items():
        conversation = corrections[0].conversation
        texts = list(
            Message.objects.filter(conversation_id=conversation_id, sender=SenderKind.CITIZEN)
            .order_by("seq")
            .values_list("text", flat=True)[:OPENING_MESSAGES]
        )
        if not texts:
            continue
        lines.append(
            {
                "id": f"review-{unit.code}-{conversation_id}",
                "scenario": f"review-{unit.code}-{conversation_id}",
                "language": conversation.language,
                "texts": texts,
                "category": conversation.category,
                "urgency": conversation.urgency,
                "browser_language": conversation.browser_language,
                "also": [],
                "review": {
                    "unit": unit.code,
                    "corrections": [
                        {
                            "field": correction.field,
                            "from": correction.old_value,
                            "to": correction.new_value,
                            "at": correction.at.isoformat(),
                        }
                        for correction in corrections
                    ],
                    "triage_reasons": english_reasons(corrections[0].reasons),
                    "triage_reason_codes": corrections[0].reasons,
                },
            }
        )
    audit_record(
        action=AuditAction.TRIAGE_CORRECTIONS_EXPORTED,
        actor=supervisor,
        object_type="unit",
        object_id=unit.code,
        params={"conversations": len(lines), "since": since.isoformat() if since else ""},
    )
    return lines


def english_reasons(reasons: object) -> list[str]:
    """The reasons as the reviewer reads them (the corpus and its README are in English)."""
    with translation.override("en"):
        return reason_texts(reasons)


class Command(BaseCommand):
    help = (
        "Export the officer corrections of triage in a supervisor's unit as labelled JSON "
        "lines in the corpus format, for a person to review before adding them to "
        "triage/corpus/. Nothing retrains itself."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--supervisor", required=True, help="the supervisor's username")
        parser.add_argument("--since", type=dt.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--output", type=Path, help="file to write (default: stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["supervisor"]).first()
        if user is None:
            raise CommandError(f"No user {options['supervisor']!r}.")
        try:
            with transaction.atomic():
                lines = corrections_export(supervisor=user, since=options["since"])
        except PermissionError as error:
            raise CommandError(str(error)) from error
        target: Path | None = options["output"]
        if target is None:
            self._write(lines, self.stdout)
        else:
            with target.open("w", encoding="utf-8") as handle:
                self._write(lines, handle)
        self.stderr.write(f"{len(lines)} corrected conversations exported for review.")

    @staticmethod
    def _write(lines: list[dict[str, Any]], stream: Any) -> None:
        writer: TextIO = stream
        for line in lines:
            writer.write(json.dumps(line, ensure_ascii=False) + "\n")
