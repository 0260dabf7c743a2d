"""Load demo units, officers and a supervisor so a newcomer sees a working service."""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from advice.models import Conversation, Unit
from advice.services.staff import staff_create

UNITS = [
    ("KAT", "Komenda Wojewódzka Policji w Katowicach", "PL", ["pl", "en", "de"], "Europe/Warsaw"),
    ("WRO", "Komenda Wojewódzka Policji we Wrocławiu", "PL", ["pl", "en", "uk"], "Europe/Warsaw"),
    (
        "OVA",
        "Krajské ředitelství policie Moravskoslezského kraje (Ostrava)",
        "CZ",
        ["cs", "sk", "pl"],
        "Europe/Prague",
    ),
    (
        "LBC",
        "Krajské ředitelství policie Libereckého kraje (Liberec)",
        "CZ",
        ["cs", "de", "en"],
        "Europe/Prague",
    ),
]

STAFF = [
    # username, display name, unit, languages, supervisor
    ("anna", "Anna (KAT)", "KAT", ["pl", "en", "de"], False),
    ("olena", "Olena (WRO)", "WRO", ["uk", "ru", "pl"], False),
    ("petr", "Petr (OVA)", "OVA", ["cs", "sk", "pl"], False),
    ("jana", "Jana (LBC)", "LBC", ["cs", "de", "en"], False),
    ("marek", "Marek (KAT, supervisor)", "KAT", ["pl", "en", "lt"], True),
]


class Command(BaseCommand):
    help = "Create demo units and staff accounts (idempotent); prints the demo password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--history",
            type=int,
            default=3000,
            help="ended conversations of the last 60 days to generate for the supervisor "
            "dashboard, only into a database that has none yet (0: none)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("DEMO_PASSWORD") or self._stored_password()
        units = {}
        for code, name, country, languages, tz in UNITS:
            units[code], _ = Unit.objects.update_or_create(
                code=code,
                defaults={"name": name, "country": country, "languages": languages, "timezone": tz},
            )
        for username, display, unit, languages, supervisor in STAFF:
            staff_create(
                username=username,
                password=password,
                display_name=display,
                unit=units[unit],
                languages=languages,
                supervisor=supervisor,
            )
        call_command("load_knowledge_base", verbosity=0)
        if options["history"] > 0 and not Conversation.objects.exists():
            call_command(
                "generate_history",
                conversations=options["history"],
                days=60,
                officers_per_unit=2,
                message_sample=0,
                verbosity=0,
            )
        names = ", ".join(s[0] for s in STAFF)
        self.stdout.write(
            f"Demo staff: {names} (marek is a supervisor). Password: {password}\n"
            "Console: /console/   Citizen chat: /   Supervisor: /supervisor/"
        )

    def _stored_password(self) -> str:
        path = settings.VAR_DIR / "demo-password"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(9))
        return path.read_text().strip()
