"""Finding the cues of every language's data file in a citizen's messages.

A cue term is a phrase of pattern tokens separated by spaces, matched against the folded words
of one message (lower case, no diacritics, mixed scripts repaired):

- ``word``: that word exactly; ``stem*``: any word starting with ``stem`` (inflection);
- ``#``: any number; ``#<18``: a number below 18; ``#>17``: a number above 17;
  ``#past_year``: a year from 1950 to two years before the current one ("in 2019" is long
  past; last year's number may be a few weeks ago);
- ``...``: up to three other words in between;
- ``$`` (last): the end of a sentence (``.``, ``!``, ``?``, ``…``, a line break or the end of the
  message), so "ich kann nicht mehr $" is despair but "ich kann nicht mehr zahlen" is not.

Laughing emoji (``LAUGHS``: 😂 🤣 😆 😄 😁 😜 😅) and embarrassed ones (``EMBARRASSED``: 🙈 😬 🤦
🤷 💀 🫣) are words of their own for the cues, so a cue can say that a message laughs something off
("mama mnie zabije 😂") or is sheepish about a mishap ("mama mnie zabije, zgubiłam klucze 🙈").

Words and stems of at least ``FUZZY_MIN`` letters also match with one typo (a letter missing,
added, replaced, or two neighbours swapped), except in their first two and last two letters
(a different ending is another form of the word, not a typo), and except for a word that is
itself a cue word of some language.

A match directly preceded by a negation word of any language ("nie podałem", "didn't click")
is ignored, except for P1 cues: a denied danger is still worth an officer's look.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from triage.data_files import Cue, DataFileError, language_data
from triage.normalize import WORD_RE, fix_scripts, fold

FUZZY_MIN = 8
FUZZY_TAIL = 2
GAP_MAX = 3
GAP = -1
END = -2
# What ends a sentence (the ``$`` of a cue; ``triage.engine`` splits sentences on it too).
SENTENCE_ENDS = ".!?…\n"
_SENTENCE_END_RE = re.compile(f"[{SENTENCE_ENDS}]")
_BOUND_RE = re.compile(r"#([<>])(\d+)")
PAST_YEAR = "#past_year"
FIRST_PAST_YEAR = 1950
# Emoji read as words by the cues (and by nothing else: the model and the word count ignore
# them): a message that laughs ("mama mnie zabije 😂") is not a threat.
LAUGHS = "\U0001f602\U0001f923\U0001f606\U0001f604\U0001f601\U0001f61c\U0001f605"
# Embarrassment (see-no-evil monkey, grimace, face palm, shrug, skull as in "I'm dead", face with
# peeking eye): sheepish about a mishap, not fear. The gendered and skin-tone forms of face palm
# and shrug ("🤦\u200d♂️") are the base emoji followed by characters that are no token: the
# normaliser drops the zero-width joiner, and the sign and the modifier are no word.
EMBARRASSED = "\U0001f648\U0001f62c\U0001f926\U0001f937\U0001f480\U0001fae3"
_TOKEN_RE = re.compile(rf"{WORD_RE.pattern}|[{LAUGHS}{EMBARRASSED}]")


@dataclass(frozen=True)
class Token:
    text: str  # folded
    start: int
    end: int


@dataclass(frozen=True)
class Match:
    cue: Cue
    quote: str  # the words of the message that matched, as the citizen wrote them
    start: int  # index of the first matched word in the message
    end: int  # index after the last matched word


@dataclass(frozen=True)
class _Pattern:
    cue_index: int
    items: tuple[int, ...]  # pattern-token ids, GAP for "...", END for "$"


@dataclass
class _Index:
    cues: list[Cue]
    exact: dict[str, list[int]]
    stems: dict[str, list[int]]
    stem_lengths: list[int]
    numbers: list[tuple[int, str]]  # (id, bound: "" any number, "<18", ">17", "past_year")
    fuzzy: dict[str, list[tuple[str, bool, int]]]  # first two letters -> (text, is_stem, id)
    by_first: dict[int, list[_Pattern]]
    negations: set[str]


def message_tokens(text: str) -> list[Token]:
    """Folded words of ``text`` with their positions in ``text``."""
    repaired = fix_scripts(text)  # same length as ``text``: positions stay valid
    return [
        Token(fold(match.group(0)), match.start(), match.end())
        for match in _TOKEN_RE.finditer(repaired)
    ]


def _parse_term(term: str) -> list[tuple[str, str]]:
    """Pattern tokens of ``term`` as (kind, value) with kind exact/stem/number/gap/end."""
    parts: list[tuple[str, str]] = []
    for raw in term.split():
        if raw == "...":
            parts.append(("gap", ""))
            continue
        if raw == "$":
            parts.append(("end", ""))
            continue
        if raw == "#" or raw == PAST_YEAR or _BOUND_RE.fullmatch(raw):
            parts.append(("number", raw[1:]))
            continue
        stem = raw.endswith("*")
        words = [fold(word) for word in _TOKEN_RE.findall(raw.rstrip("*"))]
        if not words:
            raise DataFileError(f"cue term {term!r}: {raw!r} has no letters")
        parts.extend(("exact", word) for word in words[:-1])
        parts.append(("stem" if stem else "exact", words[-1]))
    if not parts or parts[0][0] in ("gap", "end") or parts[-1][0] == "gap":
        raise DataFileError(f"cue term {term!r}: must start and end with a word")
    if any(kind == "end" for kind, _ in parts[:-1]) or (
        parts[-1][0] == "end" and parts[-2][0] == "gap"
    ):
        raise DataFileError(f"cue term {term!r}: '$' may only follow the last word")
    return parts


def _build(languages: tuple[str, ...]) -> _Index:
    index = _Index([], {}, {}, [], [], {}, {}, set())
    ids: dict[tuple[str, str], int] = {}

    def token_id(kind: str, value: str) -> int:
        key = (kind, value)
        if key not in ids:
            new = len(ids)
            ids[key] = new
            if kind == "exact":
                index.exact.setdefault(value, []).append(new)
            elif kind == "stem":
                index.stems.setdefault(value, []).append(new)
            else:
                index.numbers.append((new, value))
            if kind in ("exact", "stem") and len(value) >= FUZZY_MIN:
                index.fuzzy.setdefault(value[:2], []).append((value, kind == "stem", new))
        return ids[key]

    for code in languages:
        index.negations.update(language_data(code).negations)
        for cue in language_data(code).cues:
            cue_index = len(index.cues)
            index.cues.append(cue)
            for term in cue.terms:
                items = tuple(
                    GAP if kind == "gap" else END if kind == "end" else token_id(kind, value)
                    for kind, value in _parse_term(term)
                )
                index.by_first.setdefault(items[0], []).append(_Pattern(cue_index, items))
    index.stem_lengths = sorted({len(stem) for stem in index.stems})
    return index


def _within(value: int, bound: str) -> bool:
    """``value`` fits a number token's bound ("" any, "<18" below 18, ">17" above 17)."""
    if not bound:
        return True
    if bound == PAST_YEAR[1:]:
        return FIRST_PAST_YEAR <= value <= datetime.now(tz=UTC).year - 2
    limit = int(bound[1:])
    return value < limit if bound[0] == "<" else value > limit


def _one_edit(word: str, pattern: str, *, stem: bool) -> bool:
    """True if ``word`` (or, for a stem, a prefix of it) is one typo away from ``pattern``."""
    limit = min(len(word), len(pattern))
    i = 0
    while i < limit and word[i] == pattern[i]:
        i += 1
    if i >= len(pattern) - FUZZY_TAIL:
        # A difference in the last letters is inflection ("zaplatit" vs "zaplatil"), not a typo.
        return False

    def rest(word_from: int, pattern_from: int) -> bool:
        tail, wanted = word[word_from:], pattern[pattern_from:]
        return tail.startswith(wanted) if stem else tail == wanted

    return (
        rest(i + 1, i + 1)  # replaced
        or rest(i + 1, i)  # added
        or rest(i, i + 1)  # missing
        or (
            i + 1 < len(pattern)
            and i + 1 < len(word)
            and word[i] == pattern[i + 1]
            and word[i + 1] == pattern[i]
            and rest(i + 2, i + 2)  # swapped
        )
    )


class Matcher:
    """All cues of the given languages, compiled once; ``find`` is pure and cached per word."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        self._index = _build(languages)
        self._token_ids = lru_cache(maxsize=65536)(self._compute_token_ids)

    @property
    def cues(self) -> list[Cue]:
        return self._index.cues

    def _compute_token_ids(self, word: str) -> frozenset[int]:
        index = self._index
        found: set[int] = set()
        if word.isdigit():
            value = int(word)
            found.update(i for i, bound in index.numbers if _within(value, bound))
            return frozenset(found)
        found.update(index.exact.get(word, ()))
        for length in index.stem_lengths:
            if length > len(word):
                break
            found.update(index.stems.get(word[:length], ()))
        # A word that is itself a cue word of some language is not a typo of another one
        # (German "passwort" is not English "passport").
        if len(word) >= FUZZY_MIN - 1 and word not in index.exact:
            for pattern, stem, pattern_id in index.fuzzy.get(word[:2], ()):
                if pattern_id not in found and _one_edit(word, pattern, stem=stem):
                    found.add(pattern_id)
        return frozenset(found)

    def _match_rest(
        self,
        ids: list[frozenset[int]],
        sentence_ends: list[bool],
        items: tuple[int, ...],
        position: int,
    ) -> int | None:
        """End position (exclusive) if ``items`` match from ``position`` on, else None."""
        if not items:
            return position
        head, tail = items[0], items[1:]
        if head == GAP:
            for skip in range(GAP_MAX + 1):
                end = self._match_rest(ids, sentence_ends, tail, position + skip)
                if end is not None:
                    return end
            return None
        if head == END:
            ends_here = position > 0 and sentence_ends[position - 1]
            return self._match_rest(ids, sentence_ends, tail, position) if ends_here else None
        if position < len(ids) and head in ids[position]:
            return self._match_rest(ids, sentence_ends, tail, position + 1)
        return None

    def find(self, text: str) -> Iterator[Match]:
        """Every place a cue is found in ``text``, in order; one cue's matches never overlap."""
        tokens = message_tokens(text)
        ids = [self._token_ids(token.text) for token in tokens]
        # A sentence ends after a word when punctuation or a line break follows it before the
        # next word, and after the last word.
        sentence_ends = [
            _SENTENCE_END_RE.search(
                text, token.end, tokens[i + 1].start if i + 1 < len(tokens) else len(text)
            )
            is not None
            or i + 1 == len(tokens)
            for i, token in enumerate(tokens)
        ]
        # An embarrassed emoji closing a sentence does not hide its end ("ich kann nicht mehr 😬").
        for i in range(len(tokens) - 2, -1, -1):
            if tokens[i + 1].text in EMBARRASSED and sentence_ends[i + 1]:
                sentence_ends[i] = True
        busy_until: dict[int, int] = {}  # cue index -> end of its last match
        for position, token_ids in enumerate(ids):
            for first in sorted(token_ids):
                for pattern in self._index.by_first.get(first, ()):
                    if busy_until.get(pattern.cue_index, 0) > position:
                        continue
                    end = self._match_rest(ids, sentence_ends, pattern.items[1:], position + 1)
                    if end is None or (
                        position > 0
                        and tokens[position - 1].text in self._index.negations
                        and self._index.cues[pattern.cue_index].urgency != "P1"
                    ):
                        continue
                    busy_until[pattern.cue_index] = end
                    quote = text[tokens[position].start : tokens[end - 1].end]
                    yield Match(self._index.cues[pattern.cue_index], quote, position, end)
