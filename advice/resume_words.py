"""Resume codes: six short words a citizen can write down and type on another device.

The words come from one shared list (``advice/data/resume_words.txt``): 4,096 four-letter
consonant–vowel words (``kubo``, ``rani``) built from 13 consonants and five vowels that every
Latin keyboard has and every language of the service spells the same way, without the
combinations that are rude in one of them. Six words carry 6 × 12 = 72 bits of entropy.

Typing is forgiving: case, separators and diacritics are ignored (``Kubo-Ráni``), the words
may run together (every word has four letters), and Cyrillic letters are read as their Latin
twins (``кубо`` is ``kubo``), so a Ukrainian or Russian keyboard works without switching.

Pure functions, no database: ``advice.services.resume_codes`` stores and checks the codes.
"""

from __future__ import annotations

import secrets
import unicodedata
from functools import lru_cache
from math import log2
from pathlib import Path

from django.utils.crypto import salted_hmac

WORDS_FILE = Path(__file__).resolve().parent / "data" / "resume_words.txt"
CODE_WORDS = 6
WORD_LETTERS = 4
# The first words of a code find its conversation (through an HMAC, see ``lookup_key``); the
# whole code is checked against a slow hash.
LOOKUP_WORDS = 2

_CYRILLIC = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "д": "d",
        "е": "e",
        "є": "e",
        "э": "e",
        "ё": "e",
        "ф": "f",
        "г": "g",
        "ґ": "g",
        "и": "i",
        "і": "i",
        "ї": "i",
        "ы": "i",
        "й": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "з": "z",
    }
)


@lru_cache(maxsize=1)
def word_list() -> tuple[str, ...]:
    return tuple(WORDS_FILE.read_text(encoding="ascii").split())


@lru_cache(maxsize=1)
def _word_set() -> frozenset[str]:
    return frozenset(word_list())


def entropy_bits() -> float:
    """Bits of entropy of a code drawn by :func:`code_new`."""
    return CODE_WORDS * log2(len(word_list()))


def code_new() -> str:
    """A fresh random code: six words separated by spaces."""
    words = word_list()
    return " ".join(secrets.choice(words) for _ in range(CODE_WORDS))


def code_normalise(typed: str) -> str | None:
    """The canonical code (six words, single spaces) of what a citizen typed, or None.

    None when the letters do not make six words of the list.
    """
    folded = unicodedata.normalize("NFKD", typed.lower().translate(_CYRILLIC))
    letters = "".join(ch for ch in folded if "a" <= ch <= "z")
    if len(letters) != CODE_WORDS * WORD_LETTERS:
        return None
    words = [letters[i : i + WORD_LETTERS] for i in range(0, len(letters), WORD_LETTERS)]
    if not all(word in _word_set() for word in words):
        return None
    return " ".join(words)


def lookup_key(code: str) -> str:
    """The index key of a canonical code: an HMAC (keyed by ``SECRET_KEY``) of its first words.

    It lets the server find the conversation without scanning every slow hash, and reveals
    nothing about the code to someone who reads the database without the secret key.
    """
    head = " ".join(code.split()[:LOOKUP_WORDS])
    return salted_hmac("advice.resume_code", head, algorithm="sha256").hexdigest()
