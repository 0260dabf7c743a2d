"""Text normalisation shared by language detection and cue matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
# without diacritics. ґ is folded into г because many Ukrainian keyboards lack it.
# Apostrophes inside a word vanish ("don't" = "dont", Ukrainian "вб'є" = "вбє" in any of the
# three apostrophes people type).
_FOLD_EXTRA = str.maketrans(
    {"ł": "l", "ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ґ": "г", "'": "", "’": "", "ʼ": ""}
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
