"""Rules and model together: the final category, urgency, possible-risk mark and reasons.

Contract (docs/triage.md, "Rules and model"):

- **P1** when the rules say P1 (explainable, high-precision cues) **or** the model's P1
  probability reaches ``p1_threshold``. Nothing the model says lowers a rule's P1, with one
  exception: a P1 that rests on one lone rule of ``LONE_RULES`` (a threat, stalking, a weapon,
  trafficking words: they also fire on topic words) needs corroboration when the artefact
  sets ``lone_rule_confirm``: the model raising P1 too, or the urgency head's own P1
  probability reaching ``lone_rule_confirm``. Without it the opening is marked possible risk
  (officers see the rule's reason; the citizen is asked whether they are safe). The model
  alone does not raise P1 when the rules read the danger words as a figure of speech ("Ich
  will nicht mehr, dass…") or read an adult telling of their own childhood
  (``childhood_told``): that becomes possible risk. When the rules read a question,
  prevention, a phishing pretext or "nothing happened" (``QUESTION_SIGNALS``), the model
  alone needs ``p1_threshold_question`` instead. When the artefact has a P1 verifier, the
  model alone also needs the verifier's probability to reach ``p1_verify``; an opening it
  rejects is marked possible risk (its risk is over the threshold, so over the band).
- From fewer than ``model_min_words`` words the model decides nothing ("hello", a lone
  "przelałem" are no evidence): the rules' urgency and category stand, no possible risk.
- **Possible risk** when the result is not P1 but the P1 probability is at least
  ``risk_band``: the card is marked and the citizen asked whether they are safe right now.
- **Urgency below P1**: the rules' P2 or P4 when they are listed in ``trust_rule_urgency``
  (explicit evidence: money sent minutes ago, a plain question), else the model's most
  likely of P2..P4.
- **Category**: the model's probabilities, with ``category_rule_weight`` added to the
  rules' category when the rules found real evidence for it (score ≥
  ``rule_category_min_score``) and ``PRECHAT_BONUS`` to the citizen's own pre-chat answer;
  the highest wins. When the rules found nothing ("other") and the model's best is below
  ``category_min_probability``, it stays "other".

Pure: the same rules' result and prediction always give the same decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from triage.model import Params, Prediction, TriageModel
from triage.vocabulary import Reason, TriageReason

if TYPE_CHECKING:
    from triage.engine import RuleAssessment

BELOW_P1 = ("P2", "P3", "P4")
# The citizen's own pre-chat answer weighs like half of the model's probability mass: it wins
# unless the text clearly says otherwise (the corpus has no pre-chat answers to learn from).
PRECHAT_BONUS = 0.5
FIGURE_OF_SPEECH_SIGNAL = "tag:figure_of_speech"
# Readings of the rules under which the model alone does not raise P1 (it marks possible risk):
# the danger words are a figure of speech, or an adult tells of their own childhood.
MODEL_HELD_BACK = frozenset((FIGURE_OF_SPEECH_SIGNAL, "tag:childhood_told"))
QUESTION_SIGNALS = frozenset(("tag:question", "tag:prevention", "tag:pretext", "tag:no_harm"))
# Rules that, alone, also fire on topic words: a bill that "will kill me", an address in a
# data-protection question, a knife sold in a game, trafficking words in a recruiter's story.
# Self-harm, a child at risk, a minor abused, a controlled worker, a farewell and any two rules
# together always stand (docs/triage.md, "Thirteenth precision round").
LONE_RULES = frozenset(
    (
        TriageReason.THREAT_TO_LIFE.value,
        TriageReason.RULE_STALKING.value,
        TriageReason.RULE_WEAPON.value,
        TriageReason.RULE_TRAFFICKING.value,
        TriageReason.TRAFFICKING_SIGNS.value,
    )
)


@dataclass(frozen=True)
class Decision:
    category: str
    urgency: str
    possible_risk: bool
    reasons: list[Reason]


def choose_category(ruled: RuleAssessment, prediction: Prediction, params: Params) -> str:
    if ruled.words < params.model_min_words:
        return ruled.category
    scores = dict(prediction.category)
    if ruled.category == "other" and max(scores.values()) < params.category_min_probability:
        return "other"
    if ruled.category != "other" and ruled.category_score >= params.rule_category_min_score:
        scores[ruled.category] = scores.get(ruled.category, 0.0) + params.category_rule_weight
    if ruled.prechat_category:
        scores[ruled.prechat_category] = scores.get(ruled.prechat_category, 0.0) + PRECHAT_BONUS
    # Ties (rare with floating point) go to the rules' category, then to the vocabulary order.
    return max(scores, key=lambda code: (scores[code], code == ruled.category))


def verifier_rejects(prediction: Prediction, params: Params) -> bool:
    """The P1 verifier (when there is one) reads this opening as not P1."""
    return (
        params.p1_verify > 0
        and prediction.verified is not None
        and prediction.verified < params.p1_verify
    )


def rests_on_lone_rule(ruled: RuleAssessment) -> bool:
    """The rules' P1 rests on one rule of ``LONE_RULES`` and nothing else."""
    codes = {item.get("code") for item in ruled.urgency_reasons}
    return ruled.urgency == "P1" and len(codes) == 1 and codes <= LONE_RULES


def rule_p1_stands(ruled: RuleAssessment, prediction: Prediction, params: Params) -> bool:
    """The rules say P1 and, when it rests on a lone rule, the urgency head's own P1 reading
    corroborates it (the model raising P1 itself is the other corroboration,
    ``choose_urgency``)."""
    if ruled.urgency != "P1":
        return False
    if (
        not params.lone_rule_confirm
        or ruled.words < params.model_min_words
        or not rests_on_lone_rule(ruled)
    ):
        return True
    return prediction.urgency.get("P1", 0.0) >= params.lone_rule_confirm


def model_raises_p1(ruled: RuleAssessment, prediction: Prediction, params: Params) -> bool:
    """The model's P1 probability is over the threshold (the higher one for a question or
    prevention), on enough words, the rules did not read the danger words as a figure of
    speech or an adult's own childhood (``MODEL_HELD_BACK``), and the P1 verifier does not
    reject it."""
    asks = not QUESTION_SIGNALS.isdisjoint(ruled.signals)
    threshold = params.question_threshold if asks else params.p1_threshold
    return (
        prediction.p1 >= threshold
        and ruled.words >= params.model_min_words
        and MODEL_HELD_BACK.isdisjoint(ruled.signals)
        and not verifier_rejects(prediction, params)
    )


def marks_possible_risk(
    ruled: RuleAssessment, prediction: Prediction, params: Params, urgency: str
) -> bool:
    """Not P1, but the model's P1 probability is in the band (on enough words), or the rules
    said P1 on a lone rule the model did not corroborate."""
    return urgency != "P1" and (
        ruled.urgency == "P1"
        or (prediction.p1 >= params.risk_band and ruled.words >= params.model_min_words)
    )


def choose_urgency(ruled: RuleAssessment, prediction: Prediction, params: Params) -> str:
    if rule_p1_stands(ruled, prediction, params) or model_raises_p1(ruled, prediction, params):
        return "P1"
    if ruled.urgency in params.trust_rule_urgency or ruled.words < params.model_min_words:
        return ruled.urgency
    return max(BELOW_P1, key=lambda level: prediction.urgency.get(level, 0.0))


def _model_reason(code: TriageReason, phrases: list[str], probability: float, to: str) -> Reason:
    """What moved the model (no phrases: the message as a whole), with its probability."""
    made: Reason = {"code": code.value, "quotes": phrases, "probability": round(probability, 2)}
    if to:
        made["to"] = to
    return made


def _rule_quotes(ruled: RuleAssessment) -> list[str]:
    """The citizen's words the rules' urgency reasons quote (their evidence's too), once each."""
    quotes: list[str] = []
    pending = list(ruled.urgency_reasons)
    while pending:
        item = pending.pop(0)
        quotes.extend(quote for quote in item.get("quotes", []) if quote not in quotes)
        pending.extend(item.get("evidence", []))
    return quotes


def _without_level(item: Reason) -> Reason:
    shown = item.copy()
    shown.pop("to", None)
    return shown


def combine(
    ruled: RuleAssessment, prediction: Prediction, params: Params, model: TriageModel
) -> Decision:
    """The decision and the officers' reasons: urgency first, then category, then notes."""
    category = choose_category(ruled, prediction, params)
    urgency = choose_urgency(ruled, prediction, params)
    possible_risk = marks_possible_risk(ruled, prediction, params, urgency)
    reasons: list[Reason] = []
    model_p1 = model_raises_p1(ruled, prediction, params)
    if urgency == ruled.urgency:
        reasons.extend(ruled.urgency_reasons)
    if urgency == "P1" and model_p1:
        phrases = model.explain(prediction, "urgency", "P1")
        reasons.append(_model_reason(TriageReason.MODEL_URGENCY, phrases, prediction.p1, "P1"))
    elif urgency != ruled.urgency:
        phrases = model.explain(prediction, "urgency", urgency)
        probability = prediction.urgency[urgency]
        reasons.append(_model_reason(TriageReason.MODEL_URGENCY, phrases, probability, urgency))
    lone_rule_set_aside = urgency != "P1" and ruled.urgency == "P1"
    if possible_risk:
        # A lone rule the model did not corroborate: the rule's words, not the model's.
        phrases = (_rule_quotes(ruled) if lone_rule_set_aside else []) or model.explain(
            prediction, "urgency", "P1"
        )
        reasons.insert(0, _model_reason(TriageReason.POSSIBLE_RISK, phrases, prediction.p1, ""))
    if lone_rule_set_aside:
        # The lone rule's reason, without its "→ P1": what the possible risk rests on.
        reasons[1:1] = [_without_level(item) for item in ruled.urgency_reasons]
    reasons.extend(ruled.discounted)
    if category == ruled.category:
        reasons.extend(ruled.category_reasons)
    if category != ruled.category or not ruled.category_reasons:
        phrases = model.explain(prediction, "category", category)
        probability = prediction.category[category]
        reasons.append(_model_reason(TriageReason.MODEL_CATEGORY, phrases, probability, category))
    reasons.extend(ruled.notes)
    return Decision(category, urgency, possible_risk, reasons)
