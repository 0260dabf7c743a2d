"""Parsing and checking the query parameters of the statistics endpoints."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from advice.models import Unit, Urgency
from core.errors import DomainError, ErrorCode
from stats.access import StatsScope

SHARED_QUEUE = "shared"
GRANULARITIES = ("day", "week", "month")
BREAKDOWNS = ("unit", "language", "category", "urgency", "officer", "heatmap")
MAX_DAYS = 731
MAX_FILTER_VALUES = 50


class QueryParams(Protocol):
    def getlist(self, key: str, default: list[str] | None = None) -> list[str]: ...

    def get(self, key: str, default: str | None = None) -> str | None: ...


@dataclass(frozen=True)
class StatsQuery:
    """A checked request for historical statistics.

    ``start`` and ``end`` are calendar days in ``tz``, both included; a conversation belongs
    to the range by its ``created_at``. Empty filter tuples mean "no filter".
    """

    start: date
    end: date
    tz: ZoneInfo
    granularity: str = "day"
    breakdowns: tuple[str, ...] = BREAKDOWNS
    unit_ids: tuple[int, ...] = ()
    shared_queue: bool = False
    languages: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    urgencies: tuple[str, ...] = ()
    unit_codes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=self.tz)

    @property
    def until(self) -> datetime:
        """First instant after the range (exclusive bound)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=self.tz)

    def conversations_q(self) -> Q:
        """Filter of the conversations this query describes (range and filters)."""
        return Q(created_at__gte=self.since, created_at__lt=self.until) & self.filters_q()

    def filters_q(self) -> Q:
        """Filter on unit, language, category and urgency (fields of conversations and cells)."""
        q = Q()
        if self.unit_ids or self.shared_queue:
            units = Q(unit_id__in=self.unit_ids) if self.unit_ids else Q(pk__in=[])
            q &= units | Q(unit__isnull=True) if self.shared_queue else units
        if self.languages:
            q &= Q(language__in=self.languages)
        if self.categories:
            q &= Q(category__in=self.categories)
        if self.urgencies:
            q &= Q(urgency__in=self.urgencies)
        return q

    def filters(self) -> dict[str, object]:
        """The query as plain data, echoed in responses."""
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "tz": str(self.tz.key),
            "granularity": self.granularity,
            "unit": [*self.unit_codes, *([SHARED_QUEUE] if self.shared_queue else [])],
            "language": list(self.languages),
            "category": list(self.categories),
            "urgency": list(self.urgencies),
        }


def _invalid(name: str, message: str) -> DomainError:
    return DomainError(ErrorCode.INVALID_FIELD, f"Parameter '{name}': {message}")


def _values(params: QueryParams, name: str) -> tuple[str, ...]:
    """Every value of ``name``, given repeated (``?a=x&a=y``) or comma-separated (``?a=x,y``)."""
    found: list[str] = []
    for raw in params.getlist(name):
        found.extend(part.strip() for part in raw.split(",") if part.strip())
    if len(found) > MAX_FILTER_VALUES:
        raise _invalid(name, "too many values.")
    for value in found:
        if len(value) > 32:
            raise _invalid(name, "value too long.")
    return tuple(dict.fromkeys(found))


def _day(params: QueryParams, name: str, default: date) -> date:
    raw = params.get(name)
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _invalid(name, "expected a date YYYY-MM-DD.") from None


def _zone(params: QueryParams, default: str) -> ZoneInfo:
    raw = params.get("tz") or default
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise _invalid("tz", "unknown time zone.") from None


def _units(codes: Sequence[str], scope: StatsScope) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Unit ids of ``codes``; raises ``not_allowed`` for a unit outside the scope."""
    if not codes:
        return (), ()
    found = dict(Unit.objects.filter(code__in=codes).values_list("code", "pk"))
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise _invalid("unit", f"unknown unit {unknown[0]!r}.")
    ids = tuple(found[code] for code in codes)
    if scope.unit_ids is not None and not set(ids) <= scope.unit_ids:
        raise DomainError(ErrorCode.NOT_ALLOWED, "You may see the statistics of your unit only.")
    return ids, tuple(codes)


def default_granularity(days: int) -> str:
    if days <= 62:
        return "day"
    return "week" if days <= 186 else "month"


def stats_query_parse(params: QueryParams | Mapping[str, str], scope: StatsScope) -> StatsQuery:
    """Check the query parameters of a statistics request against ``scope``.

    Parameters: ``from``/``to`` (days, included; default the last 30 days), ``tz`` (IANA
    zone; default the user's unit's zone), ``granularity`` (day/week/month), ``breakdowns``
    (comma list), ``unit`` (codes or ``shared``), ``language``, ``category``, ``urgency``.
    Raises ``invalid_field`` for malformed values and ``not_allowed`` for another unit.
    """
    if not hasattr(params, "getlist"):
        params = _MappingParams(params)
    checked: QueryParams = params  # type: ignore[assignment]
    tz = _zone(checked, scope.timezone or settings.TIME_ZONE)
    today = timezone.now().astimezone(tz).date()
    end = _day(checked, "to", today)
    start = _day(checked, "from", end - timedelta(days=29))
    if start > end:
        raise _invalid("from", "must not be after 'to'.")
    days = (end - start).days + 1
    if days > MAX_DAYS:
        raise _invalid("from", f"the range may span at most {MAX_DAYS} days.")
    granularity = checked.get("granularity") or default_granularity(days)
    if granularity not in GRANULARITIES:
        raise _invalid("granularity", "expected day, week or month.")
    breakdowns = _values(checked, "breakdowns") if checked.get("breakdowns") else BREAKDOWNS
    for name in breakdowns:
        if name not in BREAKDOWNS:
            raise _invalid("breakdowns", f"unknown breakdown {name!r}.")
    codes = _values(checked, "unit")
    shared = SHARED_QUEUE in codes
    unit_ids, unit_codes = _units([c for c in codes if c != SHARED_QUEUE], scope)
    urgencies = _values(checked, "urgency")
    for value in urgencies:
        if value not in Urgency.values:
            raise _invalid("urgency", f"unknown urgency {value!r}.")
    return StatsQuery(
        start=start,
        end=end,
        tz=tz,
        granularity=granularity,
        breakdowns=tuple(breakdowns),
        unit_ids=unit_ids,
        shared_queue=shared,
        languages=_values(checked, "language"),
        categories=_values(checked, "category"),
        urgencies=urgencies,
        unit_codes=unit_codes,
    )


class _MappingParams:
    """Adapts a plain mapping (one value per key) to the ``QueryDict`` interface."""

    def __init__(self, data: Mapping[str, str]) -> None:
        self.data = data

    def getlist(self, key: str, default: list[str] | None = None) -> list[str]:
        return [self.data[key]] if key in self.data else list(default or [])

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.data.get(key, default)
