"""Synthetic conversation history for demonstrations and benchmarks, inserted in bulk.

The rows are written straight into the tables (``COPY`` on PostgreSQL, batched
``executemany`` elsewhere), bypassing the services on purpose: this is generated past data,
not activity, so no audit events or frames are produced. Messages are generated for a
sample of the conversations only. Nothing here is used by the running service.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models, transaction

from advice.models import Conversation, Message, OfficerProfile, SenderKind, Unit
from stats.bulk import insert_rows

HISTORY_UNITS = (
    ("KAT", "Komenda Wojewódzka Policji w Katowicach", "PL", ["pl", "en", "de"], "Europe/Warsaw"),
    ("WRO", "Komenda Wojewódzka Policji we Wrocławiu", "PL", ["pl", "en", "uk"], "Europe/Warsaw"),
    ("SZC", "Komenda Wojewódzka Policji w Szczecinie", "PL", ["pl", "de", "nb"], "Europe/Warsaw"),
    ("OVA", "Krajské ředitelství policie (Ostrava)", "CZ", ["cs", "sk", "pl"], "Europe/Prague"),
    ("LBC", "Krajské ředitelství policie (Liberec)", "CZ", ["cs", "de", "en"], "Europe/Prague"),
    ("OLO", "Krajské ředitelství policie (Olomouc)", "CZ", ["cs", "sk", "en"], "Europe/Prague"),
)
# Relative share of conversations per category and the urgency mix each one gets.
CATEGORIES: dict[str, tuple[float, tuple[float, float, float, float]]] = {
    "phishing": (18, (0.00, 0.25, 0.45, 0.30)),
    "bank_impersonation": (14, (0.00, 0.55, 0.35, 0.10)),
    "marketplace_fraud": (14, (0.00, 0.15, 0.60, 0.25)),
    "investment_fraud": (8, (0.00, 0.30, 0.55, 0.15)),
    "romance_scam": (5, (0.02, 0.20, 0.58, 0.20)),
    "sextortion": (6, (0.30, 0.45, 0.20, 0.05)),
    "account_takeover": (10, (0.00, 0.50, 0.40, 0.10)),
    "malware_ransomware": (4, (0.00, 0.45, 0.40, 0.15)),
    "identity_theft": (5, (0.00, 0.25, 0.60, 0.15)),
    "harassment": (7, (0.10, 0.30, 0.45, 0.15)),
    "child_abuse": (2, (0.70, 0.25, 0.05, 0.00)),
    "trafficking": (1, (0.65, 0.25, 0.10, 0.00)),
    "other": (6, (0.01, 0.09, 0.40, 0.50)),
}
URGENCIES = ("P1", "P2", "P3", "P4")
# Mean seconds until an officer joins, by urgency, at average load.
MEAN_WAIT = {"P1": 35.0, "P2": 80.0, "P3": 210.0, "P4": 360.0}
# Mean patience of a citizen before leaving the queue, by urgency.
MEAN_PATIENCE = {"P1": 3000.0, "P2": 2400.0, "P3": 2000.0, "P4": 1500.0}
ESCALATION_SHARE = {
    "sextortion": 0.45,
    "child_abuse": 0.7,
    "trafficking": 0.6,
    "bank_impersonation": 0.25,
    "investment_fraud": 0.3,
    "harassment": 0.25,
}
# Share of conversations per hour of the day (local time): quiet nights, busy evenings.
HOURLY = (
    2, 1.3, 0.9, 0.7, 0.7, 1, 2, 3.5, 5, 6, 6.5, 6.5,
    6.5, 6.5, 6.5, 6.5, 7, 7.5, 8, 8.5, 8, 7, 5, 3.2,
)  # fmt: skip
WEEKDAY = (1.15, 1.1, 1.05, 1.0, 0.95, 0.8, 0.75)
RATINGS = ((1, 0.07), (2, 0.06), (3, 0.12), (4, 0.30), (5, 0.45))
OUTCOMES = ("advised", "advised", "advised", "report_filed", "no_reply", "referred_elsewhere")
CITIZEN_LINES = (
    "Dzień dobry, chyba padłem ofiarą oszustwa.",
    "I paid for an item online and never received it.",
    "Dobrý den, někdo se mi přihlásil do účtu.",
    "Хтось дзвонив із банку і просив переказати гроші.",
    "Guten Tag, ich habe eine verdächtige SMS bekommen.",
    "Co mam teraz zrobić?",
    "Thank you, that helps.",
)
OFFICER_LINES = (
    "Dzień dobry, jestem policjantem dyżurnym. Proszę opisać, co się stało.",
    "Please keep the screenshots and the bank statement.",
    "Doporučuji okamžitě kontaktovat banku.",
    "Proszę zgłosić sprawę na najbliższym komisariacie.",
)


@dataclass
class HistoryPlan:
    """What to generate: ``conversations`` over ``days`` ending with ``end`` (included)."""

    conversations: int
    days: int = 365
    end: date = field(default_factory=date.today)
    seed: int = 1
    officers_per_unit: int = 8
    message_sample: float = 0.02
    batch: int = 20000


@dataclass
class HistoryResult:
    conversations: int = 0
    messages: int = 0
    units: list[str] = field(default_factory=list)
    officers: int = 0


def _units() -> list[Unit]:
    units = list(Unit.objects.order_by("code"))
    if units:
        return units
    for code, name, country, languages, zone in HISTORY_UNITS:
        Unit.objects.create(
            code=code, name=name, country=country, languages=languages, timezone=zone
        )
    return list(Unit.objects.order_by("code"))


def _officers(units: Sequence[Unit], per_unit: int) -> dict[int, list[tuple[int, str]]]:
    """Synthetic officers (unusable passwords) per unit: ``{unit_id: [(user_id, name)]}``."""
    user_model = get_user_model()
    group, _ = Group.objects.get_or_create(name="officers")
    result: dict[int, list[tuple[int, str]]] = {}
    for unit in units:
        for n in range(1, per_unit + 1):
            username = f"hist.{unit.code.lower()}.{n}"
            user, created = user_model.objects.get_or_create(
                username=username, defaults={"password": make_password(None)}
            )
            if created:
                user.groups.add(group)
            OfficerProfile.objects.get_or_create(
                user=user,
                defaults={
                    "display_name": f"{unit.code} officer {n}",
                    "unit": unit,
                    "languages": unit.languages,
                },
            )
        result[unit.pk] = list(
            OfficerProfile.objects.filter(unit=unit).values_list("user_id", "display_name")
        )
    return result


def _slots(plan: HistoryPlan, zone: ZoneInfo) -> tuple[list[datetime], list[float]]:
    """Every hour of the period (local time) with its cumulative weight."""
    first = plan.end - timedelta(days=plan.days - 1)
    starts: list[datetime] = []
    cumulative: list[float] = []
    total = 0.0
    for d in range(plan.days):
        day = first + timedelta(days=d)
        trend = 0.8 + 0.4 * d / max(1, plan.days - 1)  # the service grows over the year
        season = 1 + 0.1 * math.sin(2 * math.pi * day.timetuple().tm_yday / 365)
        for hour in range(24):
            starts.append(datetime.combine(day, time(hour), tzinfo=zone))
            total += HOURLY[hour] * WEEKDAY[day.weekday()] * trend * season
            cumulative.append(total)
    return starts, cumulative


def _weighted(choices: Sequence[tuple[Any, float]]) -> Callable[[random.Random], Any]:
    values = [c for c, _ in choices]
    cumulative: list[float] = []
    total = 0.0
    for _, weight in choices:
        total += weight
        cumulative.append(total)

    def pick(rng: random.Random) -> Any:
        return rng.choices(values, cum_weights=cumulative)[0]

    return pick


def _columns(model: type[models.Model]) -> tuple[list[str], dict[str, Any]]:
    """Every column of ``model`` and the stored default of each (for columns we do not set).

    Reading the model keeps the generator working when other fields are added later.
    """
    columns: list[str] = []
    defaults: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        column = str(f.column)
        columns.append(column)
        value = f.get_default()
        if isinstance(f, models.JSONField):
            value = json.dumps(value)
        defaults[column] = value
    return columns, defaults


class _Generator:
    def __init__(
        self,
        plan: HistoryPlan,
        units: Sequence[Unit],
        officers: dict[int, list[tuple[int, str]]],
        first_id: int,
    ) -> None:
        self.plan = plan
        self.rng = random.Random(plan.seed)
        self.units = [u for u in units if officers.get(u.pk)]
        self.officers = officers
        self.next_id = first_id
        self.salt = secrets.token_hex(8)
        self.slot_starts, self.slot_weights = _slots(plan, ZoneInfo("Europe/Warsaw"))
        self.pick_unit = _weighted([(u, 1.0 + 0.5 * (i % 3)) for i, u in enumerate(self.units)])
        self.pick_category = _weighted([(c, w) for c, (w, _) in CATEGORIES.items()])
        self.pick_urgency = {
            c: _weighted(list(zip(URGENCIES, mix, strict=True)))
            for c, (_, mix) in CATEGORIES.items()
        }
        self.pick_rating = _weighted(RATINGS)
        self.messages: list[tuple[Any, ...]] = []
        self.conversation_columns, self.conversation_defaults = _columns(Conversation)
        self.message_columns, self.message_defaults = _columns(Message)

    def _language(self, unit: Unit) -> str:
        languages = list(unit.languages) or ["pl"]
        roll = self.rng.random()
        if roll < 0.7:
            return str(languages[0])
        if roll < 0.95:
            return str(self.rng.choice(languages))
        return self.rng.choice(("uk", "ru", "en", "lt"))

    def moments(self, count: int) -> list[datetime]:
        """Start times of ``count`` conversations, in order (as a live service records them)."""
        rng = self.rng
        slots = rng.choices(self.slot_starts, cum_weights=self.slot_weights, k=count)
        return sorted(start + timedelta(seconds=rng.random() * 3600) for start in slots)

    def rows(self, moments: Sequence[datetime]) -> Iterator[tuple[Any, ...]]:
        for created in moments:
            yield self._row(created)

    def _row(self, created: datetime) -> tuple[Any, ...]:
        rng = self.rng
        conversation_id = self.next_id
        self.next_id += 1
        unit = self.pick_unit(rng)
        category = self.pick_category(rng)
        urgency = self.pick_urgency[category](rng)
        language = self._language(unit)
        # Evenings are busier, so waits are longer then.
        load = 0.6 + HOURLY[created.hour] / 8
        wait = rng.expovariate(1 / (MEAN_WAIT[urgency] * load)) + rng.uniform(3, 12)
        patience = rng.expovariate(1 / MEAN_PATIENCE[urgency]) + 5
        values: dict[str, Any] = {
            "unit_id": None,
            "assigned_officer_id": None,
            "claimed_at": None,
            "first_officer_message_at": None,
            "escalated_at": None,
            "referred_at": None,
            "transfer_count": 0,
            "rating": None,
            "outcome": "",
        }
        officer_name = ""
        if patience < wait:
            values["status"] = "abandoned"
            values["closed_at"] = created + timedelta(seconds=patience)
            values["ended_by"] = "citizen" if rng.random() < 0.6 else "timeout"
        else:
            officer_id, officer_name = rng.choice(self.officers[unit.pk])
            claimed = created + timedelta(seconds=wait)
            handle = rng.lognormvariate(math.log(720), 0.6)
            values.update(
                status="closed",
                unit_id=unit.pk,
                assigned_officer_id=officer_id,
                claimed_at=claimed,
                first_officer_message_at=claimed
                + timedelta(seconds=rng.lognormvariate(math.log(25), 0.5)),
                closed_at=claimed + timedelta(seconds=handle),
                ended_by="officer" if rng.random() < 0.85 else "citizen",
                outcome=rng.choice(OUTCOMES),
            )
            if rng.random() < ESCALATION_SHARE.get(category, 0.08):
                values["escalated_at"] = claimed + timedelta(seconds=handle * rng.uniform(0.3, 0.9))
            roll = rng.random()
            if roll < 0.04:
                values["referred_at"] = claimed + timedelta(seconds=handle * 0.5)
            if roll < 0.07:
                values["transfer_count"] = 2 if roll < 0.01 else 1
            if rng.random() < 0.35:
                values["rating"] = self.pick_rating(rng)
        last_seq = 0
        if rng.random() < self.plan.message_sample:
            last_seq = self._messages(conversation_id, created, values, officer_name)
        token = hashlib.sha256(f"{self.salt}:{conversation_id}".encode()).hexdigest()
        row: dict[str, Any] = {
            **self.conversation_defaults,
            "id": conversation_id,
            "token_hash": token,
            "language": language,
            "language_confirmed": True,
            "browser_language": language,
            "category": category,
            "urgency": urgency,
            "triage_reasons": "[]",
            "triage_overridden": False,
            "prechat": "{}",
            "created_at": created,
            "queued_at": created,
            "requeued_at": None,
            "last_seq": last_seq,
            "citizen_open_sockets": 0,
            "citizen_last_seen_at": values["closed_at"],
            "rating_comment": "",
            **values,
        }
        return tuple(row[c] for c in self.conversation_columns)

    def _messages(
        self, conversation_id: int, created: datetime, values: dict[str, Any], officer: str
    ) -> int:
        """Sampled messages: the citizen writes first; after an officer joins they alternate."""
        rng = self.rng
        end = values["closed_at"]
        plan: list[tuple[str, datetime]] = [(SenderKind.CITIZEN, created + timedelta(seconds=2))]
        if values["claimed_at"] is None:
            plan.append((SenderKind.CITIZEN, created + (end - created) / 2))
        else:
            moment = values["first_officer_message_at"]
            for n in range(rng.randint(3, 12)):
                plan.append((SenderKind.OFFICER if n % 2 == 0 else SenderKind.CITIZEN, moment))
                moment += timedelta(seconds=rng.uniform(10, 90))
        for seq, (sender, moment) in enumerate(plan, start=1):
            citizen = sender == SenderKind.CITIZEN
            row = {
                **self.message_defaults,
                "conversation_id": conversation_id,
                "seq": seq,
                "sender": str(sender),
                "author_id": None if citizen else values["assigned_officer_id"],
                "author_name": "" if citizen else officer,
                "kind": "text",
                "text": rng.choice(CITIZEN_LINES if citizen else OFFICER_LINES),
                "client_id": None,
                "created_at": min(moment, end),
            }
            row.pop("id", None)
            self.messages.append(tuple(row[c] for c in self.message_columns if c != "id"))
        return len(plan)


def history_generate(
    plan: HistoryPlan, *, progress: Callable[[int], None] | None = None
) -> HistoryResult:
    """Insert ``plan.conversations`` ended conversations with ratings and sampled messages.

    Uses the existing units (or creates six border units) and ``officers_per_unit``
    synthetic officer accounts per unit with unusable passwords. Ids are taken after the
    current highest id; run it while nothing else writes conversations.
    """
    result = HistoryResult()
    with transaction.atomic():
        units = _units()
        officers = _officers(units, plan.officers_per_unit)
    result.units = [u.code for u in units]
    result.officers = sum(len(v) for v in officers.values())
    first_id = (Conversation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    generator = _Generator(plan, units, officers, first_id)
    moments = generator.moments(plan.conversations)
    done = 0
    while done < plan.conversations:
        size = min(plan.batch, plan.conversations - done)
        with transaction.atomic():
            insert_rows(
                Conversation,
                generator.conversation_columns,
                list(generator.rows(moments[done : done + size])),
            )
            if generator.messages:
                columns = [c for c in generator.message_columns if c != "id"]
                insert_rows(Message, columns, generator.messages)
                result.messages += len(generator.messages)
                generator.messages = []
        done += size
        if progress is not None:
            progress(done)
    result.conversations = done
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Conversation, Message):
                # Table names come from the models, never from input.
                table = model._meta.db_table
                sql = "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM "
                cursor.execute(sql + table + "))", [table])
    return result
