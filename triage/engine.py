"""Triage engine: language, crime category and urgency of a conversation, with reasons.

The engine is small on purpose; the knowledge lives in ``triage/data/`` (docs/triage.md):

1. Language: ``triage.language.detect_language``.
2. Cues: the cues of every likely language (the language candidates, the browser's and the
   chosen language, and English) are looked for in every message. Words inside a figure of
   speech (a cue tagged ``figure_of_speech``: "this price kills me", "I killed the process")
   count for nothing else.
3. Category: the highest sum of cue weights (a cue found in several places counts up to
   ``CUE_REPEAT_MAX`` times), of the ``category_rules`` whose tags were all found and of the
   pre-chat answer's weight; ties go to the earlier category of ``category_priority``; below
   ``min_category_score`` it is "other".
   Tags of ``tag_rules`` are added when all their tags were found.
4. Urgency: the most urgent of (a) cues with an urgency of their own, (b) the ``urgency_rules``
   whose tags (from cues and pre-chat answers) and category fit, (c) the default P3. P1 always
   wins; P4 only stands when nothing more urgent applies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from triage.combine import combine
from triage.data_files import CATEGORIES, rules
from triage.features import featurize
from triage.language import SUPPORTED, LanguageGuess, detect_language
from triage.matcher import SENTENCE_ENDS, Match, Matcher
from triage.model import default_model
from triage.normalize import WORD_RE, NormalizedMessages, fold, normalize_messages
from triage.reason_codes import reason, reason_code
from triage.vocabulary import Reason, TriageReason

DEFAULT_URGENCY = "P3"
MAX_CATEGORY_REASONS = 3
# A cue found in several places adds its weight at most this many times.
CUE_REPEAT_MAX = 2
_QUOTE_MAX = 40
FIGURE_OF_SPEECH = "figure_of_speech"
_TRANSLIT_REASONS = {"uk": TriageReason.TRANSLIT_UK, "ru": TriageReason.TRANSLIT_RU}
_PRECHAT_REASONS = {
    "prechat:in_danger": TriageReason.PRECHAT_IN_DANGER,
    "prechat:happening_now": TriageReason.PRECHAT_HAPPENING_NOW,
    "prechat:under_18": TriageReason.PRECHAT_UNDER_18,
}


@dataclass(frozen=True)
class Assessment:
    language: str  # one of triage.language.SUPPORTED
    language_confident: bool  # False: the UI asks the citizen to pick among the candidates
    category: str  # one of triage.data_files.CATEGORIES
    urgency: str  # "P1".."P4"
    # Urgency reasons first; codes and the quoted words (``core.triage_reasons``), shown to
    # officers in their language by ``core.reason_text``.
    reasons: list[Reason] = field(default_factory=list)
    language_candidates: list[str] = field(default_factory=list)  # best first
    # Below P1, the model sees a real chance of risk to life or safety: the card is marked
    # for officers and the citizen is asked whether they are safe right now.
    possible_risk: bool = False
    risk_probability: float = 0.0  # the model's P1 probability (0 without a model)


@lru_cache(maxsize=1)
def matcher() -> Matcher:
    """The compiled cues of every supported language (built once per process)."""
    return Matcher(SUPPORTED)


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_MAX else text[: _QUOTE_MAX - 1] + "…"


_SENTENCE_RE = re.compile(f"[^{SENTENCE_ENDS}]*[{SENTENCE_ENDS}]*")
_QUOTE_MARKS = '"„“”«»'
# A question that asks for help with what happened ("what should I do?", "co mam robić?",
# "was soll ich tun?", "should I call the police?") rather than about a topic: matched on the
# folded sentence, in the nine languages (the fifth precision round's list).
_HELP_REQUEST_RE = re.compile(
    "|".join(
        (
            r"what (should|shall|can|do|could) (i|we) do",
            r"what do (i|we) do",
            r"what now",
            r"help",
            r"what to do",
            r"\b(911|112|999|police)\b",
            r"\bco (mam|mamy|mozna|moge|powinn\w*|robic|zrobic|delat|udelat|robit|urobit|mame)\b",
            r"pomoc\w*|pomoz\w*",
            r"\bpolic\w*",
            r"(что|що)( \w+){0,2} (делат|сделат|робит|зробит|діят)",
            r"помог\w*|помощ\w*|допомо\w*",
            r"полиц\w*|поліц\w*",
            r"\bwas (soll|sollen|kann|konnen|mache|machen|tun)\b",
            r"\bhilfe|helfen",
            r"\bka (man |mums )?(daryti|padaryti)\b",
            r"padek\w*|pagalb\w*",
            r"\bhva (skal|gjor|kan|bor) (jeg|vi)\b",
            r"hjelp\w*",
        )
    )
)
# Signals of how the opening is put that only the P1 verifier reads (``triage.model.Verifier``);
# the risk head reads "form:all_questions" alone (docs/triage.md, "Seventh precision round").
VERIFIER_FORMS = frozenset(
    (
        "form:question",
        "form:first_question",
        "form:mostly_questions",
        "form:topic_question",
        "form:help_question",
    )
)


def _form_signals(texts: Sequence[str]) -> set[str]:
    """How the opening is put, whatever its language. Victims ask questions too, so these are
    signals for the risk head and the P1 verifier, never rules (docs/triage.md, "Fourth
    precision round" and "Seventh…"):

    - "form:all_questions": every sentence is a question ("is this a scam? what should
      parents do?"), a person asking about a topic rather than telling what happened;
    - "form:question": some sentence is a question; "form:first_question": the first one is;
      "form:mostly_questions": half the sentences or more are;
    - "form:topic_question": a question asks something other than what to do or for help
      ("is snapchat ok for an 11 year old?"); "form:help_question": one asks what to do or
      for help ("what should I do?", "should I call 112?").

    A question inside quotation marks ("your wife jogs alone, right?") is a quote, not a
    question of the person writing (for every signal but "form:all_questions", which counts
    every sentence ending with "?" as the fourth round measured it).
    """
    sentences = [
        part for text in texts for part in _SENTENCE_RE.findall(text) if WORD_RE.search(part)
    ]
    found = set()
    if sentences and all(sentence.rstrip().endswith("?") for sentence in sentences):
        found.add("form:all_questions")
    questions = []
    quote_marks = 0
    for sentence in sentences:
        quote_marks += sum(sentence.count(mark) for mark in _QUOTE_MARKS)
        if sentence.rstrip().endswith("?") and quote_marks % 2 == 0:
            questions.append(sentence)
    if not questions:
        return found
    found.add("form:question")
    if sentences[0] is questions[0]:
        found.add("form:first_question")
    if 2 * len(questions) >= len(sentences):
        found.add("form:mostly_questions")
    asks_help = [bool(_HELP_REQUEST_RE.search(fold(question))) for question in questions]
    if not all(asks_help):
        found.add("form:topic_question")
    if any(asks_help):
        found.add("form:help_question")
    return found


def _describe(match: Match, *, to: str = "") -> Reason:
    return reason(reason_code(match.cue.reason), quotes=[_quote(match.quote)], to=to)


def _outside_figures_of_speech(
    every: list[tuple[int, Match]],
) -> tuple[list[tuple[int, Match]], list[Reason]]:
    """The matches that are not inside a figure of speech of the same message, and a note for
    each cue with an urgency that was set aside that way (officers see what was discounted).
    """
    figures = [(index, match) for index, match in every if FIGURE_OF_SPEECH in match.cue.tags]
    kept: list[tuple[int, Match]] = []
    notes: list[Reason] = []
    for index, match in every:
        if FIGURE_OF_SPEECH in match.cue.tags:
            continue
        cover = next(
            (
                figure
                for figure_index, figure in figures
                if figure_index == index and figure.start <= match.start and match.end <= figure.end
            ),
            None,
        )
        if cover is None:
            kept.append((index, match))
        elif match.cue.urgency:
            note: Reason = {
                "code": TriageReason.NOT_READ_AS.value,
                "quotes": [_quote(cover.quote)],
                "meaning": reason_code(match.cue.reason),
            }
            if note not in notes:
                notes.append(note)
    return kept, notes


def _prechat_tags(prechat: Mapping[str, Any]) -> list[str]:
    return [tag for tag in _PRECHAT_REASONS if prechat.get(tag.split(":", 1)[1]) is True]


def _category(
    matches: list[tuple[int, Match]], tags: dict[str, list[Reason]], prechat_category: str
) -> tuple[str, float, list[Reason]]:
    """The winning category and the reasons that speak for it.

    Several languages often hold the same word ("sms", "link"): one place in a message adds
    to a category once, with the largest weight among the cues found there.
    """
    table = rules()
    counted: dict[str, int] = {}
    by_place: dict[tuple[str, int, int], Match] = {}
    for text_index, match in matches:
        if not match.cue.category or counted.get(match.cue.id, 0) >= CUE_REPEAT_MAX:
            continue
        counted[match.cue.id] = counted.get(match.cue.id, 0) + 1
        place = (match.cue.category, text_index, match.start)
        if place not in by_place or by_place[place].cue.weight < match.cue.weight:
            by_place[place] = match
    supporting = list(by_place.values())
    scores: dict[str, float] = {}
    for match in supporting:
        scores[match.cue.category] = scores.get(match.cue.category, 0.0) + match.cue.weight
    combined: list[tuple[str, Reason]] = []
    for rule in table.category_rules:
        if rule.all_tags <= tags.keys():
            scores[rule.category] = scores.get(rule.category, 0.0) + rule.weight
            evidence = [tags[tag][0] for tag in sorted(rule.all_tags)]
            made = reason(reason_code(rule.reason), to=rule.category)
            combined.append((rule.category, {**made, "evidence": evidence}))
    if prechat_category:
        scores[prechat_category] = scores.get(prechat_category, 0.0) + (
            table.prechat_category_weight
        )
    if not scores or max(scores.values()) < table.min_category_score:
        return "other", 0.0, []
    rank = {code: position for position, code in enumerate(table.category_priority)}
    category = min(scores, key=lambda code: (-scores[code], rank[code]))
    best = sorted(
        (m for m in supporting if m.cue.category == category), key=lambda m: -m.cue.weight
    )
    reasons = [text for code, text in combined if code == category]
    reasons += [_describe(m, to=category) for m in best[:MAX_CATEGORY_REASONS]]
    if prechat_category == category:
        reasons.append(reason(TriageReason.PRECHAT_CATEGORY, to=category))
    return category, scores[category], reasons


def _guard_of(match: Match, tags: dict[str, list[Reason]]) -> list[Reason]:
    """What sets aside the urgency of ``match``'s cue (``cue_guards`` of rules.json): the
    reasons of the guarding tags found, or nothing."""
    for guard in rules().cue_guards:
        if guard.cue_reason != match.cue.reason or guard.none_tags & tags.keys():
            continue
        if found := guard.any_tags & tags.keys():
            return [tags[tag][0] for tag in sorted(found)]
    return []


def _guarded(match: Match, tags: dict[str, list[Reason]]) -> bool:
    return bool(match.cue.urgency) and bool(_guard_of(match, tags))


def _set_aside(matches: list[Match], tags: dict[str, list[Reason]]) -> list[Reason]:
    """A note for each cue urgency a guard set aside: the cue's words, what it would have
    meant and the guard's evidence (officers see what was not counted, and why)."""
    notes: list[Reason] = []
    for match in matches:
        evidence = _guard_of(match, tags) if match.cue.urgency else []
        if evidence:
            note: Reason = {
                "code": TriageReason.SET_ASIDE.value,
                "quotes": [_quote(match.quote)],
                "meaning": reason_code(match.cue.reason),
                "evidence": evidence,
            }
            if note not in notes:
                notes.append(note)
    return notes


def _urgency(
    matches: list[Match], tags: dict[str, list[Reason]], category: str
) -> tuple[str, list[Reason]]:
    """The most urgent level that applies and why (P1 < P2 < P3 < P4 in the sort order)."""
    found: list[tuple[str, Reason]] = []
    for match in matches:
        if match.cue.urgency and not _guarded(match, tags):
            found.append((match.cue.urgency, _describe(match, to=match.cue.urgency)))
    for rule in rules().urgency_rules:
        if rule.any_category and category not in rule.any_category:
            continue
        if not rule.all_tags <= tags.keys() or rule.none_tags & tags.keys():
            continue
        if rule.any_tags and not rule.any_tags & tags.keys():
            continue
        used = sorted((rule.all_tags | rule.any_tags) & tags.keys())
        evidence = [description for tag in used for description in tags[tag][:1]]
        made = reason(reason_code(rule.reason), to=rule.urgency)
        found.append((rule.urgency, {**made, "evidence": evidence} if evidence else made))
    if not found:
        return DEFAULT_URGENCY, [reason(TriageReason.NO_DANGER, to=DEFAULT_URGENCY)]
    best = min(level for level, _ in found)
    return best, _one_per_rule_reason([reason for level, reason in found if level == best])


def _one_per_rule_reason(reasons: list[Reason]) -> list[Reason]:
    """Rules that share a reason, read as one: where several urgency rules with the same
    reason apply ("a farewell after a loss" by three ways of combining its tags), officers
    read that reason once, with each piece of evidence once, where it first stood."""
    merged: list[Reason] = []
    by_code: dict[str, Reason] = {}
    for item in reasons:
        if "evidence" not in item:
            merged.append(item)
            continue
        kept = by_code.get(item["code"])
        if kept is None:
            kept = by_code[item["code"]] = {**item, "evidence": []}
            merged.append(kept)
        kept["evidence"].extend(
            piece for piece in item["evidence"] if piece not in kept["evidence"]
        )
    return merged


@dataclass(frozen=True)
class RuleAssessment:
    """What the rules alone conclude (the explainable, high-precision half of triage)."""

    guess: LanguageGuess
    category: str
    category_score: float  # the winning category's summed weight (0 for "other" by default)
    category_reasons: list[Reason]
    urgency: str
    urgency_reasons: list[Reason]
    discounted: list[Reason]  # figures of speech set aside
    notes: list[Reason]  # language doubts, transliteration
    # What the rules found, as names the model can weigh (``triage.features.rule_signals``):
    # tags ("tag:despair"), cue urgencies and categories ("cue:P1", "cue:sextortion") and the
    # rules' own conclusions ("urgency:P1", "category:phishing"); how the opening is put
    # ("form:all_questions", "form:topic_question"…, ``_form_signals``).
    signals: tuple[str, ...] = ()
    prechat_category: str = ""  # the citizen's own pre-chat answer, if it is a category
    words: int = 0  # words in the messages (how much evidence the model had)


def assess_rules(
    normalized: NormalizedMessages,
    *,
    browser_language: str = "",
    prechat: Mapping[str, Any] | None = None,
    chosen_language: str = "",
) -> RuleAssessment:
    """The rules' triage of normalised messages (``triage.normalize.normalize_messages``)."""
    answers = prechat or {}
    texts = normalized.texts
    guess = detect_language(texts, browser_language=browser_language)
    # Cues of the likely languages only (plus English, the common second language): a word
    # of one language is often an innocent word of another ("offer" is a victim in Norwegian).
    cue_languages = {*guess.candidates, browser_language, chosen_language, "en"}
    if chosen_language in SUPPORTED:
        others = [code for code in guess.candidates if code != chosen_language]
        guess = LanguageGuess(chosen_language, True, [chosen_language, *others])
    found = [
        (index, match)
        for index, text in enumerate(texts)
        for match in matcher().find(text)
        if match.cue.language in cue_languages
    ]
    every, discounted = _outside_figures_of_speech(found)
    first_of_cue: dict[str, Match] = {}
    for _, match in every:
        first_of_cue.setdefault(match.cue.id, match)
    matches = list(first_of_cue.values())
    tags: dict[str, list[Reason]] = {}
    for match in matches:
        for tag in sorted(match.cue.tags):
            tags.setdefault(tag, []).append(_describe(match))
    for tag in _prechat_tags(answers):
        tags.setdefault(tag, []).append(reason(_PRECHAT_REASONS[tag]))
    for tag_rule in rules().tag_rules:
        if tag_rule.all_tags <= tags.keys():
            evidence = [tags[needed][0] for needed in sorted(tag_rule.all_tags)]
            tags.setdefault(tag_rule.tag, []).extend(evidence)
    what = answers.get("what_happened")
    prechat_category = what if isinstance(what, str) and what in CATEGORIES else ""
    category, score, category_reasons = _category(every, tags, prechat_category)
    urgency, urgency_reasons = _urgency(matches, tags, category)
    discounted.extend(_set_aside(matches, tags))
    notes: list[Reason] = []
    if guess.reason:
        notes.append(
            {"code": TriageReason.LANGUAGE_UNCERTAIN.value, "languages": guess.candidates[:2]}
        )
    if normalized.translit:
        notes.append(reason(_TRANSLIT_REASONS[normalized.translit]))
    signals = {f"tag:{tag}" for tag in tags}
    signals.update(
        f"tag:{tag}" for _, match in found for tag in match.cue.tags & {FIGURE_OF_SPEECH}
    )
    signals.update(f"cue:{match.cue.urgency}" for _, match in every if match.cue.urgency)
    signals.update(f"cue:{match.cue.category}" for _, match in every if match.cue.category)
    signals.update((f"urgency:{urgency}", f"category:{category}"))
    signals.update(_form_signals(texts))
    return RuleAssessment(
        guess,
        category,
        score,
        category_reasons,
        urgency,
        urgency_reasons,
        discounted,
        notes,
        tuple(sorted(signals)),
        prechat_category,
        sum(len(WORD_RE.findall(text)) for text in texts),
    )


def assess(
    *,
    texts: Sequence[str],
    browser_language: str = "",
    prechat: Mapping[str, Any] | None = None,
    chosen_language: str = "",
) -> Assessment:
    """Triage a waiting conversation from its first citizen messages and pre-chat answers.

    Pure and deterministic (no database, no randomness); data files and the model artefact
    are loaded once per process. ``chosen_language`` (the citizen's pick or an officer's
    correction) always wins; ``prechat`` may hold ``what_happened`` (a category) and the
    booleans ``happening_now``, ``in_danger`` and ``under_18``. The urgency reasons come
    first in ``reasons``.

    The messages are normalised first (``triage.normalize``); the rules decide alone when
    no model artefact is installed, otherwise rules and model are combined
    (``triage.combine``): P1 when the rules say so or the model's P1 probability reaches
    the threshold chosen on validation, ``possible_risk`` in the band below it.
    """
    normalized = normalize_messages(texts, language_hint=chosen_language or browser_language)
    ruled = assess_rules(
        normalized,
        browser_language=browser_language,
        prechat=prechat,
        chosen_language=chosen_language,
    )
    loaded = default_model()
    if loaded is None:
        return Assessment(
            language=ruled.guess.language,
            language_confident=ruled.guess.confident,
            category=ruled.category,
            urgency=ruled.urgency,
            reasons=[
                *ruled.urgency_reasons,
                *ruled.discounted,
                *ruled.category_reasons,
                *ruled.notes,
            ],
            language_candidates=list(ruled.guess.candidates),
        )
    predicted = loaded.predict(featurize(normalized.texts), ruled.signals, ruled.words)
    decided = combine(ruled, predicted, loaded.params, loaded)
    return Assessment(
        language=ruled.guess.language,
        language_confident=ruled.guess.confident,
        category=decided.category,
        urgency=decided.urgency,
        reasons=decided.reasons,
        language_candidates=list(ruled.guess.candidates),
        possible_risk=decided.possible_risk,
        risk_probability=round(predicted.p1, 3),
    )
