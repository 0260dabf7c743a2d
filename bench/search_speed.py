"""Time of a staff search (``cases.search.staff_search``) over one unit's messages.

Usage (a separate database, never the service's; SQLite or PostgreSQL):
    export SQLITE_PATH=/tmp/search_bench.sqlite3    # or DATABASE_URL=postgres://…/bench
    export DJANGO_DEBUG=1 SECRET_KEY=x
    python manage.py migrate
    python bench/search_speed.py [--conversations 5000] [--messages 10] [--runs 3]

Fills an empty database with ``--conversations`` closed conversations of one unit (KAT),
``--messages`` citizen messages of 25 random words each (one in a thousand holding an
IBAN), then prints the best of ``--runs`` times of four searches: two words that are found,
a word found nowhere (every row read), an IBAN and a case reference.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poradnia.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from advice.models import Conversation, Message, Unit  # noqa: E402
from advice.services.staff import staff_create  # noqa: E402
from cases.indicators import Hints  # noqa: E402
from cases.search import staff_search  # noqa: E402
from cases.search_query import search_query_parse  # noqa: E402

WORDS = [
    "oszustwo",
    "konto",
    "przelew",
    "bank",
    "telefon",
    "olx",
    "blik",
    "pieniądze",
    "policja",
    "pomoc",
    "zdjęcia",
    "szantaż",
    "sprzedawca",
    "kupujący",
    "paczka",
]
IBAN = "PL61 1090 1014 0000 0712 1981 2874"
QUERIES = ("szantaż policja", "nieistniejące", IBAN.replace(" ", ""), "KAT-2026-000001")


def fill(unit: Unit, conversations: int, per: int) -> None:
    rng = random.Random(1)
    rows = [
        Conversation(token_hash=secrets.token_hex(32), unit=unit, status="closed")
        for _ in range(conversations)
    ]
    Conversation.objects.bulk_create(rows, batch_size=2000)
    batch: list[Message] = []
    for conversation_id in Conversation.objects.values_list("pk", flat=True):
        for seq in range(1, per + 1):
            text = " ".join(rng.choice(WORDS) for _ in range(25))
            if rng.random() < 0.001:
                text += " " + IBAN
            batch.append(
                Message(conversation_id=conversation_id, seq=seq, sender="citizen", text=text)
            )
        if len(batch) > 20000:
            Message.objects.bulk_create(batch)
            batch = []
    Message.objects.bulk_create(batch)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=5000)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    unit, _ = Unit.objects.get_or_create(code="KAT", defaults={"name": "KAT", "country": "PL"})
    user = staff_create(
        username="bench" + secrets.token_hex(3),
        password=secrets.token_urlsafe(12),
        display_name="Bench",
        unit=unit,
        languages=["pl"],
        supervisor=False,
    )
    if not Message.objects.exists():
        fill(unit, args.conversations, args.messages)
    hints = Hints(country="PL")
    print(f"{Message.objects.count()} messages on {connection.vendor}")
    for text in QUERIES:
        query = search_query_parse(text, hints=hints)
        if query is None:
            continue
        best = float("inf")
        for _ in range(args.runs):
            start = time.perf_counter()
            found = staff_search(query=query, user=user, hints=hints)
            best = min(best, time.perf_counter() - start)
        print(
            f"{text!r:34} {query.kind:10} {best * 1000:8.1f} ms  "
            f"cases={len(found.cases)} conversations={len(found.conversations)}"
        )


if __name__ == "__main__":
    main()
