"""Word handling shared by suggestion and search: tokens, folding, stop words, crude stems.

Polish, Czech, Slovak and Ukrainian have no stemmer in PostgreSQL or here, so words are matched
by prefix after cutting a likely inflection ending (``przelewu`` → ``przele`` matches
``przelew``, ``przelewem``). Citizens often type without diacritics, so letters are folded
(``przelałem`` → ``przelalem``) before comparing.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)
MIN_PREFIX = 4

# Function words of the supported languages that would otherwise prefix-match content words
# ("nie" → "niebezpieczny"). Kept short on purpose: only words of three letters or more.
STOP_WORDS = frozenset(
    """
    the and for with that this have has had was were are you your not but from what when
    who how can could would will just they them then than there here into out about been
    jest nie sie się ale tak czy jak mnie mam mój moj moja moje przez ktory który oraz jestem
    był byl była byla bylo było bardzo już juz teraz tylko jeszcze dla tego tej ten jego jej
    ich gdy kiedy coś cos żeby zeby jeśli jesli się mój pan pani czy możecie mozecie proszę prosze
    jsem není neni ale jak mne mně byl byla bylo jsme jste jsou což co pro ten tato toto jeho
    její jejich když kdyz také take už uz jen ještě jeste prosím prosim som nie ako alebo aby
    som bola bolo také ktorý ktory
    und der die das ein eine einen einem ist nicht mit auf für fur von sich ich mir mich mein
    meine wir sie ihr haben habe hat war bin sind auch aber oder wenn was wie noch schon
    jetzt bitte kann können konnen
    це що як але або для мене мені мій моя моє вже ще так вони він вона було був була
    через тому коли якщо будь ласка бути маю
    это что как или для меня мне мой моя моё уже еще ещё так они было был была
    через потому когда если пожалуйста быть есть
    og det som med har jeg meg min mitt ikke har var men eller hvis kan til fra
    ir kad bet arba man mano yra buvo jau dar kaip
    """.split()  # noqa: SIM905 - grouped by language, which a list literal would lose
)


def fold(text: str) -> str:
    """Lower case without diacritics: ``Přihlášení`` → ``prihlaseni``, ``Łódź`` → ``lodz``.

    Cyrillic letters whose decomposition carries meaning (й, ї, ё) are kept as they are.
    """
    lowered = text.casefold().replace("ł", "l").replace("ß", "ss").replace("ø", "o")
    result = []
    for char in lowered:
        if "\u0400" <= char <= "\u04ff":
            result.append(char)
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        result.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(result)


_FOLDED_STOP_WORDS = frozenset(fold(word) for word in STOP_WORDS)


def words(text: str) -> list[str]:
    """Folded words of ``text``, in order."""
    return _WORD.findall(fold(text))


def stem(word: str) -> str:
    """A crude stem: words of five letters or more lose up to two final letters."""
    if len(word) < 5 or word.isdigit():
        return word
    return word[: max(MIN_PREFIX, len(word) - 2)]


def terms(text: str) -> list[str]:
    """Distinct search terms of ``text``: folded, without stop words, stemmed, in order.

    Words shorter than three letters are dropped unless they contain digits (``112``).
    """
    result: dict[str, None] = {}
    for word in words(text):
        if word in _FOLDED_STOP_WORDS or (len(word) < 3 and not any(c.isdigit() for c in word)):
            continue
        result[stem(word)] = None
    return list(result)


def plain_terms(text: str) -> list[str]:
    """Distinct lower-case words of ``text`` without stop words, neither folded nor stemmed.

    For search engines that stem the language themselves (PostgreSQL's ``german`` …).
    """
    result: dict[str, None] = {}
    for word in _WORD.findall(text.casefold()):
        if fold(word) in _FOLDED_STOP_WORDS or (len(word) < 3 and not word.isdigit()):
            continue
        result[word] = None
    return list(result)


def matches(term: str, token: str) -> bool:
    """Whether a search term and a document token are the same word, give or take endings."""
    if term == token:
        return True
    if min(len(term), len(token)) < MIN_PREFIX:
        return False
    return token.startswith(term) or term.startswith(token)
