"""Text normalisation shared by language detection, cue matching and the statistical model."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from triage.translit import looks_transliterated, transliterate

# Letters that look alike in the two scripts. A word written mostly in one script with a few
# letters of the other (a keyboard switch, a spam-filter trick, a Ukrainian "i" typed on a Latin
# layout) is read as written entirely in its main script. Lower-case Latin b/h/m/t do not look
# like в/н/м/т, so those pairs only map in upper case.
_LATIN_TO_CYRILLIC = str.maketrans(
    "aAcCeEiIoOpPxXyKkMHTBï",
    "аАсСеЕіІоОрРхХуКкМНТВї",
)
_CYRILLIC_TO_LATIN = str.maketrans(
    "аАсСеЕіІоОрРхХуКкМНТВјЈ",
    "aAcCeEiIoOpPxXyKkMHTBjJ",
)
# Letters without a Unicode decomposition that people replace by a plain letter when typing
# without diacritics. ґ is folded into г because many Ukrainian keyboards lack it; the soft and
# hard signs vanish because Latin-typed text rarely marks them ("zhit" = жить).
# Apostrophes inside a word vanish ("don't" = "dont", Ukrainian "вб'є" = "вбє" in any of the
# three apostrophes people type).
_FOLD_EXTRA = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "æ": "ae",
        "ß": "ss",
        "đ": "d",
        "ґ": "г",
        "ь": "",
        "ъ": "",
        "'": "",
        "’": "",
        "ʼ": "",
    }
)

WORD_RE = re.compile(r"\d+|[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_MIXED_RE = re.compile(r"[^\W\d_]+")


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _fix_word_script(word: str) -> str:
    cyrillic = sum(1 for ch in word if _is_cyrillic(ch))
    if cyrillic == 0 or cyrillic == len(word):
        return word
    if cyrillic * 2 >= len(word):
        return word.translate(_LATIN_TO_CYRILLIC)
    return word.translate(_CYRILLIC_TO_LATIN)


def fix_scripts(text: str) -> str:
    """``text`` with every mixed-script word rewritten in its main script (case kept)."""
    return _MIXED_RE.sub(lambda match: _fix_word_script(match.group(0)), text)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower-case ``word`` and strip its diacritics (``Pieniądze`` → ``pieniadze``).

    Cyrillic is folded the same way (й → и, ї → і, ё → е), so data files and citizens'
    messages meet in one spelling whether or not diacritics were typed.
    """
    decomposed = unicodedata.normalize("NFKD", word.lower().translate(_FOLD_EXTRA))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Folded words and digit runs of ``text``, in order (``"Ukradł 500zł!"`` → 3 tokens)."""
    return [fold(token) for token in WORD_RE.findall(fix_scripts(text))]


# Characters that change nothing a reader sees but split a word for a matcher: zero-width
# spaces and joiners, directional marks and embeddings/isolates, word joiners, the byte order
# mark and the soft hyphen ("sex\u200btortion" reads as "sextortion").
_INVISIBLE_RE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# Greek and other look-alikes of Latin letters (Cyrillic ones are repaired per word by
# ``fix_scripts``); full-width and mathematical letters are folded by NFKC.
_HOMOGLYPHS = str.maketrans(
    {
        "α": "a", "Α": "A", "β": "b", "Β": "B", "ε": "e", "Ε": "E", "Η": "H", "ι": "i",
        "Ι": "I", "κ": "k", "Κ": "K", "Μ": "M", "ν": "v", "Ν": "N", "ο": "o", "Ο": "O",
        "ρ": "p", "Ρ": "P", "τ": "t", "Τ": "T", "υ": "u", "χ": "x", "Χ": "X", "Ζ": "Z",
        "ɑ": "a", "ı": "i", "ȷ": "j", "ℓ": "l",
    }
)  # fmt: skip
# A letter typed three or more times in a row is emphasis ("pleeeease", "HELPPPP"), never a
# spelling in the languages served; it is written once (doubled letters are kept as typed).
_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
_LATIN_RE = re.compile("[A-Za-z]")
_REPEATED_RE = re.compile(r"([^\W\d_])\1{2,}")


def clean(text: str) -> str:
    """``text`` as a reader sees it: invisible characters removed, compatibility forms and
    look-alike letters folded (NFKC, Greek, mixed Latin/Cyrillic words), a letter repeated
    three or more times written once. Case and punctuation are kept.
    """
    text = unicodedata.normalize("NFKC", _INVISIBLE_RE.sub("", text))
    text = _REPEATED_RE.sub(r"\1", text.translate(_HOMOGLYPHS))
    # Only text with letters of both scripts can hold a mixed-script word.
    if _CYRILLIC_RE.search(text) and _LATIN_RE.search(text):
        return fix_scripts(text)
    return text


@dataclass(frozen=True)
class NormalizedMessages:
    texts: list[str]  # what rules and model read
    cleaned: list[str]  # before transliteration: what the citizen typed, made readable
    translit: str  # "uk" or "ru" when read as transliterated, else ""


def normalize_messages(texts: Sequence[str], *, language_hint: str = "") -> NormalizedMessages:
    """The messages as rules and model read them: ``clean`` and, when the messages look like
    Ukrainian or Russian typed in Latin letters (``triage.translit``), written in Cyrillic.

    ``language_hint`` is the chosen or the browser's language (uk/ru lowers the evidence
    needed to read Latin text as transliterated).
    """
    cleaned = [clean(text) for text in texts]
    translit = looks_transliterated(cleaned, hint=language_hint)
    if translit:
        return NormalizedMessages([transliterate(t, translit) for t in cleaned], cleaned, translit)
    return NormalizedMessages(cleaned, cleaned, "")
