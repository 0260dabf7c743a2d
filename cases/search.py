"""Staff search across the conversations and cases of the searcher's unit (reads only).

Scope: cases the permission model lets the searcher open (``cases_visible_to``: their unit's,
those referred to it and pending, those they worked on) and conversations of their unit or
assigned to them. Nothing of another unit is searched, for supervisors either.

Matching is a substring match over the text in lower case with invisible formatting removed
(``cases.search_sql.text_contains``), on SQLite and PostgreSQL alike: a scan of a unit's
messages, no index (docs/security.md gives the figures). At the scale of one unit that is
fast enough, and full-text ranking would add little to finding one word, one account or
one phone number.
Indicators are compared by their normalised values (``cases.indicators``): on cases through
the ``Indicator`` rows; in conversations not yet made a case by running the extractors over
the messages that contain the value's last characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from advice.models import Conversation, ConversationNote, Message, SenderKind
from advice.selectors import is_supervisor
from advice.text import without_invisible_format
from cases.indicators import Found, Hints, extract_indicators
from cases.models import (
    Case,
    CaseConversation,
    CaseNote,
    Indicator,
    IndicatorStatus,
    TranscriptEntry,
)
from cases.search_query import QueryKind, SearchQuery
from cases.search_sql import text_contains
from cases.selectors import cases_visible_to, staff_unit_id

RESULTS_MAX = 50
# Messages read in Python to confirm an indicator in conversations not made a case yet.
CANDIDATES_MAX = 500
SNIPPET_CONTEXT = 60


@dataclass(frozen=True)
class Snippet:
    """A short excerpt of stored text around what matched (plain text, escaped when shown)."""

    before: str
    match: str
    after: str


@dataclass(frozen=True)
class SearchHit:
    """One result. ``opens`` says where its link leads: ``case`` (the case page, through the
    justification asked for a case not assigned to the searcher), ``watch`` (a supervisor's
    read-only view), ``console`` (an active conversation of the searcher's), or ``""``."""

    kind: str  # "case" or "conversation"
    object_id: int
    label: str
    unit_code: str
    category: str
    urgency: str
    status: str
    at: datetime
    snippet: Snippet | None
    opens: str
    case_id: int | None


@dataclass(frozen=True)
class SearchResults:
    cases: list[SearchHit]
    conversations: list[SearchHit]


def _visible_has(model: Any, link: str, field: str, word: str) -> Exists:
    """Rows of ``model`` linked to the outer row whose visible ``field`` contains ``word``."""
    rows = model.objects.filter(text_contains(field, [word]), **{link: OuterRef("pk")})
    return Exists(rows)


def search_scope_conversations(user: AbstractBaseUser) -> QuerySet[Conversation]:
    """Conversations of ``user``'s unit and those assigned to them."""
    unit_id = staff_unit_id(user)
    if unit_id is None:
        return Conversation.objects.none()
    return Conversation.objects.filter(Q(unit_id=unit_id) | Q(assigned_officer_id=user.pk))


def staff_search(*, query: SearchQuery, user: AbstractBaseUser, hints: Hints) -> SearchResults:
    """The cases and conversations in ``user``'s scope that match ``query``, newest first."""
    cases = cases_visible_to(user).select_related("unit")
    conversations = search_scope_conversations(user).select_related("unit")
    conversation_snippets: dict[int, Snippet] = {}
    if query.kind == QueryKind.REFERENCE:
        case_rows = list(cases.filter(reference__icontains=query.text)[:RESULTS_MAX])
        conversation_rows: list[Conversation] = []
    elif query.kind == QueryKind.CONVERSATION:
        case_rows = []
        conversation_rows = list(conversations.filter(pk=query.conversation_id or 0))
    elif query.kind == QueryKind.INDICATOR:
        case_rows = list(_cases_with_indicators(cases, query.indicators))
        conversation_snippets = _conversations_with_indicators(
            conversations, query.indicators, hints
        )
        conversation_rows = list(
            conversations.filter(pk__in=conversation_snippets).order_by("-created_at", "-pk")
        )
    else:
        case_rows = list(_cases_with_words(cases, query.words))
        conversation_rows = list(_conversations_with_words(conversations, query.words))
    linked = _case_of(conversation_rows)
    shown_cases = {c.pk for c in case_rows}
    # A conversation made a case that is already listed adds nothing.
    conversation_rows = [c for c in conversation_rows if linked.get(c.pk) not in shown_cases]
    if query.kind == QueryKind.WORDS:
        conversation_snippets = _message_snippets([c.pk for c in conversation_rows], query.words)
    case_snippets = _case_snippets(case_rows, query)
    supervisor = is_supervisor(user)
    unit_id = staff_unit_id(user)
    return SearchResults(
        cases=[_case_hit(c, case_snippets.get(c.pk)) for c in case_rows],
        conversations=[
            _conversation_hit(
                c,
                conversation_snippets.get(c.pk),
                case_id=linked.get(c.pk),
                opens=_conversation_opens(
                    c, linked.get(c.pk), user=user, supervisor=supervisor, unit_id=unit_id
                ),
            )
            for c in conversation_rows
        ],
    )


def _cases_with_indicators(cases: QuerySet[Case], found: Sequence[Found]) -> QuerySet[Case]:
    pairs = Q()
    for item in found:
        pairs |= Q(kind=item.kind, value=item.value)
    matching = Indicator.objects.filter(pairs, case_id=OuterRef("pk")).exclude(
        status=IndicatorStatus.REMOVED
    )
    return cases.filter(Exists(matching)).order_by("-created_at", "-pk")[:RESULTS_MAX]


def _conversations_with_indicators(
    conversations: QuerySet[Conversation], found: Sequence[Found], hints: Hints
) -> dict[int, Snippet]:
    """Conversations with a message holding one of ``found`` (by normalised value), with
    the message's excerpt. Messages are first narrowed to those containing the last
    characters of a value (every written form keeps them together), then read in Python."""
    wanted = {(item.kind, item.value) for item in found}
    tails = {_tail(item.value) for item in found}
    candidates = (
        Message.objects.filter(
            text_contains("text", sorted(tails)),
            conversation__in=conversations.values("pk"),
            sender=SenderKind.CITIZEN,
        )
        .order_by("-conversation_id", "seq")
        .values_list("conversation_id", "text", "conversation__language")[:CANDIDATES_MAX]
    )
    hits: dict[int, Snippet] = {}
    for conversation_id, text, language in candidates:
        if conversation_id in hits or len(hits) >= RESULTS_MAX:
            continue
        visible = without_invisible_format(text)
        for item in extract_indicators(visible, Hints(country=hints.country, language=language)):
            if (item.kind, item.value) in wanted:
                hits[conversation_id] = _cut(visible, item.start, item.end)
                break
    return hits


def _tail(value: str) -> str:
    """The last four letters or digits of a normalised value (three for short ones)."""
    characters = [ch for ch in value if ch.isalnum()]
    size = 4 if len(characters) >= 8 else 3
    return "".join(characters[-size:])


def _cases_with_words(cases: QuerySet[Case], words: Sequence[str]) -> QuerySet[Case]:
    rows = cases
    for word in words:
        rows = rows.filter(
            text_contains("summary", [word])
            | _visible_has(CaseNote, "case_id", "text", word)
            | _visible_has(TranscriptEntry, "case_id", "text", word)
        )
    return rows.order_by("-created_at", "-pk")[:RESULTS_MAX]


def _conversations_with_words(
    conversations: QuerySet[Conversation], words: Sequence[str]
) -> QuerySet[Conversation]:
    rows = conversations
    for word in words:
        rows = rows.filter(
            _visible_has(Message, "conversation_id", "text", word)
            | _visible_has(ConversationNote, "conversation_id", "text", word)
        )
    return rows.order_by("-created_at", "-pk")[:RESULTS_MAX]


def _case_of(conversations: Sequence[Conversation]) -> dict[int, int]:
    """``{conversation id: case id}`` of the conversations made (part of) a case."""
    return dict(
        CaseConversation.objects.filter(
            conversation_id__in=[c.pk for c in conversations]
        ).values_list("conversation_id", "case_id")
    )


def _first_hit(text: str, words: Sequence[str]) -> Snippet | None:
    visible = without_invisible_format(text)
    folded = visible.casefold()
    for word in words:
        start = folded.find(word.casefold())
        if start >= 0:
            return _cut(visible, start, start + len(word))
    return None


def _cut(text: str, start: int, end: int) -> Snippet:
    before = text[max(0, start - SNIPPET_CONTEXT) : start]
    after = text[end : end + SNIPPET_CONTEXT]
    return Snippet(
        before=("…" if start > SNIPPET_CONTEXT else "") + before,
        match=text[start:end],
        after=after + ("…" if end + SNIPPET_CONTEXT < len(text) else ""),
    )


def _message_snippets(conversation_ids: list[int], words: Sequence[str]) -> dict[int, Snippet]:
    """The first message (or note) of each conversation showing one of ``words``."""
    snippets: dict[int, Snippet] = {}
    for model in (Message, ConversationNote):
        missing = [i for i in conversation_ids if i not in snippets]
        if not missing:
            break
        rows = (
            model.objects.filter(text_contains("text", words), conversation_id__in=missing)
            .order_by("conversation_id", "pk")
            .values_list("conversation_id", "text")
        )
        for conversation_id, text in rows:
            if conversation_id not in snippets:
                snippet = _first_hit(text, words)
                if snippet is not None:
                    snippets[conversation_id] = snippet
    return snippets


def _case_snippets(cases: Sequence[Case], query: SearchQuery) -> dict[int, Snippet]:
    if not cases:
        return {}
    if query.kind == QueryKind.INDICATOR:
        values = Q()
        for item in query.indicators:
            values |= Q(kind=item.kind, value=item.value)
        found = Indicator.objects.filter(values, case_id__in=[c.pk for c in cases])
        return {
            i.case_id: Snippet(before="", match=i.display, after="") for i in found.order_by("-pk")
        }
    if query.kind != QueryKind.WORDS:
        return {c.pk: Snippet(before=_shorten(c.summary), match="", after="") for c in cases}
    snippets: dict[int, Snippet] = {}
    for case in cases:
        snippet = _first_hit(case.summary, query.words)
        if snippet is not None:
            snippets[case.pk] = snippet
    for model in (TranscriptEntry, CaseNote):
        missing = [c.pk for c in cases if c.pk not in snippets]
        if not missing:
            break
        rows = (
            model.objects.filter(text_contains("text", query.words), case_id__in=missing)
            .order_by("case_id", "pk")
            .values_list("case_id", "text")
        )
        for case_id, text in rows:
            if case_id not in snippets:
                hit = _first_hit(text, query.words)
                if hit is not None:
                    snippets[case_id] = hit
    return snippets


def _shorten(text: str) -> str:
    visible = without_invisible_format(text)
    return visible if len(visible) <= 2 * SNIPPET_CONTEXT else visible[: 2 * SNIPPET_CONTEXT] + "…"


def _case_hit(case: Case, snippet: Snippet | None) -> SearchHit:
    return SearchHit(
        kind="case",
        object_id=case.pk,
        label=case.reference,
        unit_code=case.unit.code,
        category=case.category,
        urgency=case.urgency,
        status=case.status,
        at=case.created_at,
        snippet=snippet,
        opens="case",
        case_id=case.pk,
    )


def _conversation_hit(
    conversation: Conversation, snippet: Snippet | None, *, case_id: int | None, opens: str
) -> SearchHit:
    return SearchHit(
        kind="conversation",
        object_id=conversation.pk,
        label=f"#{conversation.pk}",
        unit_code=conversation.unit.code if conversation.unit else "",
        category=conversation.category,
        urgency=conversation.urgency,
        status=conversation.status,
        at=conversation.created_at,
        snippet=snippet,
        opens=opens,
        case_id=case_id,
    )


def _conversation_opens(
    conversation: Conversation,
    case_id: int | None,
    *,
    user: AbstractBaseUser,
    supervisor: bool,
    unit_id: int | None,
) -> str:
    if case_id is not None:
        return "case"
    if supervisor and conversation.unit_id == unit_id:
        return "watch"
    if conversation.assigned_officer_id == user.pk and conversation.status == "active":
        return "console"
    return ""
