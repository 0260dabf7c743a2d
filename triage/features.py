"""Hashed text features of the triage model, the same at training time and in production.

A message set becomes a sparse vector of ``2 ** HASH_BITS`` buckets (stateless feature hashing:
there is no vocabulary to store, so the model artefact is only weights):

- character n-grams of ``CHAR_MIN``..``CHAR_MAX`` letters inside each word padded with spaces
  (``" dom"``, ``"dom "``: typos and inflections share most of them);
- whole words, and pairs of neighbouring words (``"nie chce"``, ``"will kill"``).

Words are the folded words of the normalised text (``triage.normalize``: lower case, no
diacritics, Latin-typed Ukrainian/Russian in Cyrillic). A number of one or two digits is kept
(ages: "mam 13 lat"); a longer one becomes its length ("#4": an amount, a year).
Counts are dampened (``log1p``) here; the model multiplies them by the inverse document
frequency of the training corpus and scales the vector to unit length (``triage.model``).

``zlib.crc32`` is the hash: fixed by its standard, so an artefact trained on one machine means
the same on any other and after any library upgrade.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from triage.normalize import WORD_RE, fold

HASH_BITS = 18
CHAR_MIN = 2
CHAR_MAX = 5
SETTINGS = {
    "hash": "crc32",
    "hash_bits": HASH_BITS,
    "char_wb": [CHAR_MIN, CHAR_MAX],
    "word_ngrams": [1, 2],
    "numbers": "1-2 digits kept, longer as '#<length>'",
    "scaling": "log1p counts x idf (buckets unseen in training dropped), L2 norm",
}
_MASK = (1 << HASH_BITS) - 1


@dataclass(frozen=True)
class Word:
    text: str  # folded, as the model reads it
    quote: str  # as written (after normalisation), for the officers' reasons


@dataclass(frozen=True)
class Features:
    """A sparse vector: ``indices`` (sorted, unique buckets), ``counts`` (occurrences) and
    ``values`` (dampened counts, before idf and scaling), and the ``words`` it came from."""

    indices: list[int]
    counts: list[int]
    values: list[float]
    words: list[Word]


def _bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & _MASK


def _model_word(word: str) -> str:
    if word.isdigit():
        return word if len(word) <= 2 else f"#{len(word)}"
    return fold(word)


@lru_cache(maxsize=65536)
def word_buckets(word: str) -> tuple[int, ...]:
    """Buckets of the word itself and of its character n-grams (with repeats)."""
    buckets = [_bucket("w:" + word)]
    padded = f" {word} "
    for size in range(CHAR_MIN, CHAR_MAX + 1):
        if size > len(padded):
            break
        buckets.extend(
            _bucket("c:" + padded[start : start + size]) for start in range(len(padded) - size + 1)
        )
    return tuple(buckets)


def words_of(texts: Sequence[str]) -> list[Word]:
    """The words of the messages in order (a message boundary is not marked)."""
    return [
        Word(_model_word(match.group(0)), match.group(0))
        for text in texts
        for match in WORD_RE.finditer(text)
    ]


def pair_bucket(first: str, second: str) -> int:
    """Bucket of two neighbouring words."""
    return _bucket(f"b:{first} {second}")


def featurize(texts: Sequence[str]) -> Features:
    """The feature counts of normalised messages (``NormalizedMessages.texts``)."""
    words = words_of(texts)
    counts: Counter[int] = Counter()
    for word in words:
        counts.update(word_buckets(word.text))
    counts.update(pair_bucket(first.text, second.text) for first, second in pairwise(words))
    indices = sorted(counts)
    occurrences = [counts[index] for index in indices]
    return Features(indices, occurrences, [math.log1p(count) for count in occurrences], words)
