"""Language of a citizen's messages: langdetect's n-gram profiles, scored deterministically.

How a guess is made (docs/triage.md explains it with figures):

1. ``chosen_language`` (the citizen's pick or an officer's correction) always wins.
2. The messages are joined (evidence accumulates as the citizen writes), lower-cased (langdetect
   skips words written in capitals) and their mixed-script words repaired.
3. The script decides the field: Cyrillic text is uk or ru, Latin text one of the others.
4. Each supported language gets a log-score: the browser's language as a prior, plus the
   character 1-3-grams of langdetect's Wikipedia profiles (its own ``DetectorFactory`` restricted
   to our languages; every n-gram counted instead of langdetect's seeded random sampling, so the
   result is deterministic and carries a usable margin), plus the letters, frequent words and
   typical endings listed per language in ``triage/data/<lang>.json``, plus a small lean
   towards uk over ru.
5. Below the confidence threshold the browser's language is kept, and uk/ru is never asserted
   without the letters that only that language has (і ї є vs ы э ъ ё).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import langdetect
from langdetect.detector_factory import DetectorFactory
from langdetect.utils.lang_profile import LangProfile

from triage.data_files import language_data
from triage.normalize import fix_scripts, fold

SUPPORTED = ("pl", "cs", "sk", "en", "uk", "ru", "de", "lt", "nb")
UI_LANGUAGES = ("pl", "cs", "en", "uk", "de")
CYRILLIC = frozenset({"uk", "ru"})
LATIN = frozenset(SUPPORTED) - CYRILLIC
DEFAULT_LANGUAGE = "en"
# langdetect names Norwegian Bokmål "no". Danish and Nynorsk are not loaded: their speakers are
# served by nb officers, and a Norwegian message can therefore never be routed as Danish.
_PROFILE_NAMES = {"nb": "no"}
_PROFILES_DIR = Path(langdetect.__file__).parent / "profiles"

# Overlapping 1-, 2- and 3-grams count each character about three times: tempering the sum
# keeps the posterior honest enough for a threshold to mean something.
NGRAM_WEIGHT = 1 / 3
# Per occurrence of a letter listed by one language only (ř, ł, є, ы…) or by several (ä, ą).
# Wikipedia's pruned n-gram profiles miss most n-grams with these letters, and they are the
# most reliable evidence in a short text.
LETTER_BONUS_OWN = 3.0
LETTER_BONUS_SHARED = 1.0
LETTER_BONUS_CAP = 6
WORD_BONUS = 1.5  # per common word of a language (diacritics-free text relies on these)
WORD_BONUS_CAP = 8
ENDING_BONUS = 1.0  # per word with an ending typical of a language ("-ння" uk, "-ние" ru)
ENDING_BONUS_CAP = 6
UK_OVER_RU = 1.0
# The browser's language holds this share of the prior; the rest is spread evenly.
PRIOR_SHARE = 0.6
CONFIDENT = 0.95
# Fewer letters than this never overrule the browser's language ("hello" on a Polish phone).
MIN_LETTERS_TO_SWITCH = 15
# Fewer letters than this are never confident without the browser agreeing.
MIN_LETTERS_ALONE = 8
MAX_LETTERS = 1500

_SMOOTHING = 0.5 / 10000  # langdetect's alpha / BASE_FREQ
# Addresses, file names and identifiers are not language.
_URL_RE = re.compile(r"https?://\S+|www\.\S+|\S*[@/\\_]\S*|\S+\.(?:html?|php|com|org|net)\b")
_WORD_RE = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class LanguageGuess:
    language: str
    confident: bool
    candidates: list[str]
    reason: str = ""


@dataclass(frozen=True)
class _Model:
    ngrams: dict[str, tuple[float, ...]]
    letters: dict[str, tuple[int, ...]]  # letter -> indexes of languages that use it
    words: dict[str, tuple[int, ...]]  # word as written -> languages it is common in
    folded_words: dict[str, tuple[int, ...]]  # the same without diacritics
    endings: dict[str, tuple[int, ...]]  # word ending -> languages it is typical of
    ending_lengths: tuple[int, ...]
    uk_only: frozenset[str]
    ru_only: frozenset[str]


def _factory() -> DetectorFactory:
    """langdetect's factory with our languages only, seeded so its own detector is stable."""
    factory = DetectorFactory()
    factory.set_seed(0)
    for index, code in enumerate(SUPPORTED):
        path = _PROFILES_DIR / _PROFILE_NAMES.get(code, code)
        profile = LangProfile(**json.loads(path.read_text(encoding="utf-8")))
        profile.name = code
        factory.add_profile(profile, index, len(SUPPORTED))
    return factory


@lru_cache(maxsize=1)
def _model() -> _Model:
    factory = _factory()
    ngrams = {
        gram: tuple(math.log(p + _SMOOTHING) for p in probs)
        for gram, probs in factory.word_lang_prob_map.items()
        if gram == gram.lower()
    }
    # Capitalised n-grams fold into their lower-case form (text is lower-cased before scoring).
    for gram, probs in factory.word_lang_prob_map.items():
        low = gram.lower()
        if low != gram and low not in ngrams:
            ngrams[low] = tuple(math.log(p + _SMOOTHING) for p in probs)
    letters: dict[str, list[int]] = {}
    words: dict[str, list[int]] = {}
    folded_words: dict[str, list[int]] = {}
    endings: dict[str, list[int]] = {}
    for index, code in enumerate(SUPPORTED):
        data = language_data(code)
        for ending in data.endings:
            endings.setdefault(ending, []).append(index)
        for letter in data.letters:
            letters.setdefault(letter, []).append(index)
        for word in data.words:
            words.setdefault(word, []).append(index)
            folded_words.setdefault(fold(word), []).append(index)
    return _Model(
        ngrams=ngrams,
        letters={key: tuple(value) for key, value in letters.items()},
        words={key: tuple(value) for key, value in words.items()},
        folded_words={key: tuple(sorted(set(value))) for key, value in folded_words.items()},
        endings={key: tuple(value) for key, value in endings.items()},
        ending_lengths=tuple(sorted({len(key) for key in endings})),
        uk_only=frozenset(language_data("uk").letters),
        ru_only=frozenset(language_data("ru").letters),
    )


@lru_cache(maxsize=65536)
def _word_ngram_score(word: str) -> tuple[float, ...]:
    """Sum of the log-probabilities of the 1-3-grams of `` word `` (as langdetect forms them)."""
    model = _model()
    padded = f" {word} "
    total = [0.0] * len(SUPPORTED)
    for size in (1, 2, 3):
        for start in range(len(padded) - size + 1):
            gram = padded[start : start + size]
            if gram == " ":
                continue
            probs = model.ngrams.get(gram)
            if probs is not None:
                for index, value in enumerate(probs):
                    total[index] += value
    return tuple(total)


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _prior(browser_language: str, allowed: frozenset[str]) -> dict[str, float]:
    if browser_language in allowed and len(allowed) > 1:
        rest = (1 - PRIOR_SHARE) / (len(allowed) - 1)
        return {code: PRIOR_SHARE if code == browser_language else rest for code in allowed}
    return {code: 1 / len(allowed) for code in allowed}


def _posterior(scores: dict[str, float]) -> list[tuple[str, float]]:
    best = max(scores.values())
    weights = {code: math.exp(value - best) for code, value in scores.items()}
    total = sum(weights.values())
    return sorted(
        ((code, weight / total) for code, weight in weights.items()),
        key=lambda item: (-item[1], SUPPORTED.index(item[0])),
    )


def _evidence(words: list[str], allowed: frozenset[str]) -> dict[str, float]:
    """Log-likelihood of ``words`` under each allowed language (without the prior)."""
    model = _model()
    totals = [0.0] * len(SUPPORTED)
    letter_hits = [0.0] * len(SUPPORTED)
    letter_counts = [0] * len(SUPPORTED)
    ending_hits = [0] * len(SUPPORTED)
    word_hits = [0] * len(SUPPORTED)
    for word in words:
        for index, value in enumerate(_word_ngram_score(word)):
            totals[index] += value * NGRAM_WEIGHT
        for ch in word:
            users = model.letters.get(ch, ())
            bonus = LETTER_BONUS_OWN if len(users) == 1 else LETTER_BONUS_SHARED
            for index in users:
                if letter_counts[index] < LETTER_BONUS_CAP:
                    letter_counts[index] += 1
                    letter_hits[index] += bonus
        for size in model.ending_lengths:
            if len(word) >= size + 2:
                for index in model.endings.get(word[-size:], ()):
                    ending_hits[index] += 1
        # Written as in the list ("być" is Polish only); else without diacritics ("byc").
        found = model.words.get(word)
        for index in found if found is not None else model.folded_words.get(fold(word), ()):
            word_hits[index] += 1
    return {
        code: totals[index]
        + letter_hits[index]
        + ENDING_BONUS * min(ending_hits[index], ENDING_BONUS_CAP)
        + WORD_BONUS * min(word_hits[index], WORD_BONUS_CAP)
        for index, code in enumerate(SUPPORTED)
        if code in allowed
    }


def _clip(words: list[str]) -> list[str]:
    kept: list[str] = []
    letters = 0
    for word in words:
        kept.append(word)
        letters += len(word)
        if letters >= MAX_LETTERS:
            break
    return kept


def detect_language(
    texts: Sequence[str], *, browser_language: str = "", chosen_language: str = ""
) -> LanguageGuess:
    """The language of ``texts``; see the module docstring for the method.

    Guarantees: ``language`` and every candidate are in ``SUPPORTED``; ``candidates`` starts
    with ``language``; a uk/ru guess is confident only when that language's own letters occur
    and the other's do not dominate.
    """
    if chosen_language in SUPPORTED:
        return LanguageGuess(chosen_language, True, [chosen_language], "")
    prior_language = browser_language if browser_language in SUPPORTED else ""
    cleaned = fix_scripts(_URL_RE.sub(" ", "\n".join(texts))).lower()
    words = _clip(_WORD_RE.findall(cleaned))
    letters = sum(len(word) for word in words)
    if not words:
        language = prior_language or DEFAULT_LANGUAGE
        others = [code for code in UI_LANGUAGES if code != language]
        return LanguageGuess(language, False, [language, *others], "")

    cyrillic = sum(1 for word in words for ch in word if _is_cyrillic(ch))
    # Latin brand names and codes are common in Cyrillic messages, rarely the other way round.
    allowed = CYRILLIC if cyrillic * 3 > letters else LATIN
    evidence = _evidence(words, allowed)
    if allowed is CYRILLIC:
        # Mistaking a Ukrainian for a Russian speaker costs more than the reverse.
        evidence["uk"] += UK_OVER_RU
    prior = _prior(prior_language, allowed)
    ranked = _posterior({code: evidence[code] + math.log(prior[code]) for code in allowed})
    best, best_p = ranked[0]
    candidates = [code for code, p in ranked if p >= 0.01][:4] or [best]

    if prior_language in allowed and best != prior_language:
        if best_p < CONFIDENT or letters < MIN_LETTERS_TO_SWITCH:
            ordered = [prior_language, *[c for c in candidates if c != prior_language]]
            return LanguageGuess(prior_language, False, ordered[:4], "")
        return LanguageGuess(best, True, candidates, "")
    confident = best_p >= CONFIDENT and (best == prior_language or letters >= MIN_LETTERS_ALONE)
    if best in CYRILLIC:
        return _cyrillic_guess(words, best, confident, candidates)
    return LanguageGuess(best, confident, candidates, "")


def _cyrillic_guess(
    words: list[str], best: str, confident: bool, candidates: list[str]
) -> LanguageGuess:
    """Withhold confidence from uk/ru unless the letters of only that language back it.

    Calling a Ukrainian's message Russian is worse than asking, so without ``і ї є`` (uk) or
    ``ы э ъ ё`` (ru) evidence the citizen is asked to choose.
    """
    model = _model()
    uk_letters = sum(1 for word in words for ch in word if ch in model.uk_only)
    ru_letters = sum(1 for word in words for ch in word if ch in model.ru_only)
    own, other = (uk_letters, ru_letters) if best == "uk" else (ru_letters, uk_letters)
    both = [best, "ru" if best == "uk" else "uk"]
    if own == 0 or other * 4 > own:
        return LanguageGuess(
            best, False, both, f"language uncertain between {both[0]} and {both[1]}"
        )
    return LanguageGuess(best, confident, both if not confident else candidates, "")
