"""Ukrainian and Russian typed in Latin letters ("ne bachu sensu zhyty"), read back as Cyrillic.

People without a Cyrillic keyboard (a borrowed phone, a Polish or Czech layout) write Ukrainian
and Russian in Latin letters, in no fixed scheme: ``shch``/``sch``/``sh4``, ``ya``/``ja``/``ia``,
``zh``, ``kh``/``h``, ``ts``/``c``, ``y``/``i``. Whether a message is such text is decided per
message (``looks_transliterated``): the cues and the model only know Cyrillic for uk and ru, and
a Polish or Czech message must never be rewritten, so the decision needs words that are typical
of transliteration and rare in the Latin-script languages we serve.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# Words that are frequent in Latin-typed Ukrainian or Russian and are not words of pl cs sk en
# de lt nb: "ne", "vse", "den", "bude", "bylo", "tomu", "treba", "tebe", "mene", "zaraz", "karta",
# "foto", "robota", "on", "ona" and the like are left out on purpose.
UK_WORDS = _words(
    """
    shcho scho sho shchos shchob shob yak yaksho yakshcho yakscho tse tsey tsia tsya mnoyu
    khochu hochu mozhu mozhe zhyty zhyt zhyttia zhyttya dopomozhit dopomozhy hroshi
    groshi pryvit vitayu duzhe bilshe nikoho nichoho pyshu dlia dlya potribno chomu koly sogodni
    sohodni siohodni vchora bulo skazav skazala vbyty vbyu ubyty teper vzhe svoyi yoho yiyi yikh
    ikh vona vony sviy moyi moya moye tvoyi nashi donka dytyna ditey batky pryvatbank monobank
    oshchadbank poshta boyusia boyus boiusia zdayetsia zdaietsia nemaye bachu sensu
    pohrozhuie pohrozhuye pogrozhuye hochut khochut rozishle rozishlyu nadishle ya znayu znaiu
    yake yaka yakyi tvoye tvoie vikno pobachysh pobachish rankom vin yiy yomu kazhe kazhut pysav
    pysala robyty zrobyty dopomoha dopomohy hroshei vkraly ukraly pasport pasporty
    pratsiuiemo pratsyuyemo pratsiuiu zhyvemo zhyvu
    """
)
RU_WORDS = _words(
    """
    chto shto chtoby shtoby chtob eto etot eta kak kogda pochemu menya menia mnoy khochu hochu
    mogu mozhet zhit zhizn pozhaluysta pozhalujsta pomogite pomogi dengi dengy privet
    zdravstvuyte zdravstvujte ochen bolshe nikogo nichego pishu nado nuzhno segodnya segodnia
    vchera skazal skazala ubit ubyu ubju seychas sejchas teper uzhe svoi moya moyo tvoi nashi
    dochka rebenok detey roditeli sberbank tinkoff boyus bojus kazhetsya kazhetsia yest yesli
    esli yeyo ikh ugrozhayet ugrozhaet khotyat hotyat intimnye razoshlyu razoshlet vsyo vsio ya
    znayu znaju znaiu tvoyo tvoe uvidish utra utrom yemu govorit pisal pisala pomoshch pomosch
    deneg ukrali pasport pasporta rabotaem rabotayu zhivem zhivu
    """
)
_TRANSLIT_WORDS = UK_WORDS | RU_WORDS
# Enough evidence to rewrite: two such words making up a tenth of the words, or one when the
# browser's or the chosen language is uk or ru (a Latin message from a Ukrainian phone).
MIN_HITS = 2
MIN_SHARE = 0.1

# Spellings that Latin-typed Ukrainian and Russian use all the time and the Latin-script languages
# served here rarely do (half a word of evidence each).
_SHAPE_RE = re.compile(r"shch|zh|kh|^ya|^yu|ya$|yu$|iy$|yy$|yi$|ts'|yut$")
SHAPE_WEIGHT = 0.5
_LATIN_WORD_RE = re.compile(r"[A-Za-z']+")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")

# Longest spellings first; each scheme people use maps to one Cyrillic letter.
_COMMON = (
    ("shch", "щ"),
    ("sch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ya", "я"),
    ("ja", "я"),
    ("yu", "ю"),
    ("ju", "ю"),
    ("iu", "ю"),
    ("a", "а"),
    ("b", "б"),
    ("v", "в"),
    ("w", "в"),
    ("d", "д"),
    ("z", "з"),
    ("k", "к"),
    ("q", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("f", "ф"),
    ("c", "ц"),
    ("x", "кс"),
    ("'", "ь"),
)
_UK = (
    ("ye", "є"),
    ("je", "є"),
    ("ie", "є"),
    ("yi", "ї"),
    ("ji", "ї"),
    ("ia", "я"),
    ("yo", "йо"),
    ("jo", "йо"),
    ("h", "г"),
    ("g", "г"),
    ("e", "е"),
    ("i", "і"),
    ("j", "й"),
    ("y", "и"),
    *_COMMON,
)
_RU = (
    ("yo", "ё"),
    ("jo", "ё"),
    ("ye", "е"),
    ("je", "е"),
    ("ia", "я"),
    ("h", "х"),
    ("g", "г"),
    ("e", "е"),
    ("i", "и"),
    ("j", "й"),
    ("y", "ы"),
    *_COMMON,
)
_VOWELS = frozenset("aeiouy")
# Ukrainian "h" is г in every official scheme, but these everyday words are typed with "h" for х
# ("hochu" = хочу) far more often than with "kh".
_UK_H_IS_KH = frozenset(
    ("hochu", "hochesh", "hoche", "hochemo", "hochut", "hotiv", "hotila", "hto", "hvoryi", "hata")
)
# Longest spelling first, so "shch" wins over "sh" and "ya" over "y".
_UK_TABLE = tuple(sorted(_UK, key=lambda pair: -len(pair[0])))
_RU_TABLE = tuple(sorted(_RU, key=lambda pair: -len(pair[0])))


def looks_transliterated(texts: Sequence[str], *, hint: str = "") -> str:
    """ "uk" or "ru" if ``texts`` look like that language typed in Latin letters, else "".

    ``hint`` is the browser's or the chosen language: uk or ru lowers the evidence needed.
    Text with Cyrillic letters is never rewritten (it is already Cyrillic, or mixed on purpose).
    """
    joined = " ".join(texts)
    if any("\u0400" <= ch <= "\u04ff" for ch in joined):
        return ""
    words = [word.lower() for word in _LATIN_WORD_RE.findall(joined)]
    if not words:
        return ""
    shaped = sum(
        word not in _TRANSLIT_WORDS and _SHAPE_RE.search(word) is not None for word in words
    )
    uk = sum(word in UK_WORDS for word in words)
    ru = sum(word in RU_WORDS for word in words)
    hits = sum(word in _TRANSLIT_WORDS for word in words) + SHAPE_WEIGHT * shaped
    needed = 1 if hint in ("uk", "ru") else MIN_HITS
    if hits < needed or (hint not in ("uk", "ru") and hits < MIN_SHARE * len(words)):
        return ""
    if ru > uk or (ru == uk and hint == "ru"):
        return "ru"
    return "uk"


@lru_cache(maxsize=32768)
def to_cyrillic(word: str, language: str) -> str:
    """``word`` (Latin letters) written in Cyrillic by the common schemes of ``language``.

    Case follows the first letter. A ``y`` or ``i``/``j`` after a vowel is й ("moy" → мой,
    "dobryi" → добрий); elsewhere ``y`` is и in Ukrainian and ы in Russian.
    """
    table = _RU_TABLE if language == "ru" else _UK_TABLE
    lower = word.lower()
    if language == "uk" and lower in _UK_H_IS_KH:
        lower = "kh" + lower[1:]
    out: list[str] = []
    i = 0
    while i < len(lower):
        ch = lower[i]
        after_vowel = i > 0 and lower[i - 1] in _VOWELS
        if ch in "yj" and after_vowel and lower[i : i + 2] not in ("ya", "yu", "ja", "ju", "ye"):
            out.append("й")
            i += 1
            continue
        if lower.startswith("yi", i) and i > 0 and not after_vowel:
            out.append("ий")  # "dobryi" → добрий; "yi" stays ї only after a vowel or first
            i += 2
            continue
        if ch == "i" and after_vowel and i + 1 == len(lower):
            out.append("й")
            i += 1
            continue
        for latin, cyrillic in table:
            if lower.startswith(latin, i):
                out.append(cyrillic)
                i += len(latin)
                break
        else:
            out.append(ch)
            i += 1
    result = "".join(out)
    if word[:1].isupper():
        result = result[:1].upper() + result[1:]
    return result


_LINK_RE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|\S+\.(?:com|org|net|ua|ru|pl|eu)\b\S*")


def _rewrite(match: re.Match[str], language: str) -> str:
    word = match.group(0)
    if not word.isascii():
        return word
    return to_cyrillic(word, language)


def transliterate(text: str, language: str) -> str:
    """``text`` with every Latin word rewritten in Cyrillic; links, addresses, numbers and
    punctuation stay as typed (they are evidence for officers and the model as they are)."""
    text = text.replace("’", "'").replace("ʼ", "'")
    parts: list[str] = []
    position = 0
    for link in _LINK_RE.finditer(text):
        parts.append(_WORD_RE.sub(lambda m: _rewrite(m, language), text[position : link.start()]))
        parts.append(link.group(0))
        position = link.end()
    parts.append(_WORD_RE.sub(lambda m: _rewrite(m, language), text[position:]))
    return "".join(parts)
