"""An audited staff search: every search writes one ``search.performed`` event.

The event records the kind of query (``reference``, ``conversation``, ``indicator`` with
the indicator kinds, or ``words`` with their number), a keyed hash of the normalised query
and the number of results, never the query itself: a search for a victim's phone number or
account must not copy it into the append-only trail, which outlives the cases' retention.
Whoever investigates a misuse hashes the value they suspect (``search_query_hash``) and looks
for it (docs/security.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.crypto import salted_hmac

from advice.audit import audit_record
from advice.models import OfficerProfile
from cases.indicators import Hints
from cases.search import SearchResults, staff_search
from cases.search_query import QueryKind, SearchQuery, search_query_parse
from core.vocabulary import AuditAction

_HASH_SALT = "cases.search_query"


def search_query_hash(normalised: str) -> str:
    """HMAC-SHA-256 (keyed with ``SECRET_KEY``) of a normalised, case-folded query."""
    return salted_hmac(_HASH_SALT, normalised.casefold(), algorithm="sha256").hexdigest()


def search_hints(user: AbstractBaseUser) -> Hints:
    """National formats to read phone numbers and IDs in: the searcher's unit's country."""
    country = (
        OfficerProfile.objects.filter(user_id=user.pk)
        .values_list("unit__country", flat=True)
        .first()
    )
    return Hints(country=country or "")


def staff_search_run(
    *, raw: str, user: AbstractBaseUser
) -> tuple[SearchQuery | None, SearchResults | None]:
    """Parse ``raw``, search ``user``'s scope and record the search (nothing is recorded,
    and nothing searched, for an empty query)."""
    hints = search_hints(user)
    query = search_query_parse(raw, hints=hints)
    if query is None:
        return None, None
    results = staff_search(query=query, user=user, hints=hints)
    params: dict[str, Any] = {
        "kind": query.kind.value,
        "query_hash": search_query_hash(query.text),
        "results": {"cases": len(results.cases), "conversations": len(results.conversations)},
    }
    if query.kind == QueryKind.INDICATOR:
        params["indicator_kinds"] = sorted({item.kind for item in query.indicators})
    if query.kind == QueryKind.WORDS:
        params["words"] = len(query.words)
    with transaction.atomic():
        audit_record(action=AuditAction.SEARCH_PERFORMED, actor=user, params=params)
    return query, results
