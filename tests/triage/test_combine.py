"""Rules and model together: the P1 threshold, the possible-risk band, category and reasons."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tests.triage.english import english
from triage.combine import combine
from triage.engine import RuleAssessment
from triage.features import featurize, word_buckets
from triage.language import LanguageGuess
from triage.model import (
    RISK_BASE,
    ModelFileError,
    Params,
    Prediction,
    RiskHead,
    TriageModel,
    from_arrays,
    risk_arrays,
    to_arrays,
)
from triage.vocabulary import CATEGORIES, URGENCIES

PARAMS = Params(
    p1_threshold=0.4,
    risk_band=0.15,
    category_rule_weight=0.3,
    rule_category_min_score=2.0,
    trust_rule_urgency=("P2",),
)
TEXT = ["I cant take it any more, this is my last message"]


def _model() -> TriageModel:
    """A tiny model whose only weight says: the word "last" means P1."""
    bucket = word_buckets("last")[0]
    return from_arrays(
        {
            "idf_buckets": np.array([bucket], dtype=np.int32),
            "idf_values": np.array([1.0], dtype=np.float16),
            "category_rows": np.zeros(0, dtype=np.int32),
            "category_columns": np.zeros(0, dtype=np.int8),
            "category_values": np.zeros(0, dtype=np.float16),
            "category_bias": np.zeros(len(CATEGORIES), dtype=np.float32),
            "urgency_rows": np.array([bucket], dtype=np.int32),
            "urgency_columns": np.array([0], dtype=np.int8),
            "urgency_values": np.array([3.0], dtype=np.float16),
            "urgency_bias": np.zeros(len(URGENCIES), dtype=np.float32),
        },
        params=PARAMS,
        classes={"category": CATEGORIES, "urgency": URGENCIES},
    )


def _rules(
    urgency: str = "P3",
    category: str = "other",
    score: float = 0.0,
    signals: tuple[str, ...] = (),
) -> RuleAssessment:
    return RuleAssessment(
        guess=LanguageGuess("en", True, ["en"]),
        category=category,
        category_score=score,
        category_reasons=[f"rule evidence → {category}"] if category != "other" else [],
        urgency=urgency,
        urgency_reasons=[f"rule reason → {urgency}"],
        discounted=[],
        notes=[],
        signals=signals,
        words=10,
    )


def _prediction(p1: float, *, category: dict[str, float] | None = None) -> Prediction:
    rest = (1 - p1) / 3
    return Prediction(
        category=category or {code: 1 / len(CATEGORIES) for code in CATEGORIES},
        urgency={"P1": p1, "P2": rest, "P3": rest + 0.01, "P4": rest - 0.01},
        features=featurize(TEXT),
    )


@pytest.mark.parametrize(
    ("p1", "urgency", "possible_risk"),
    [
        (0.9, "P1", False),
        (0.4, "P1", False),
        (0.39, "P3", True),
        (0.15, "P3", True),
        (0.1, "P3", False),
    ],
)
def test_the_model_probability_decides_p1_and_the_band_below_it(
    p1: float, urgency: str, possible_risk: bool
) -> None:
    decided = combine(_rules(), _prediction(p1), PARAMS, _model())
    assert (decided.urgency, decided.possible_risk) == (urgency, possible_risk)


@pytest.mark.parametrize("signal", ["tag:question", "tag:prevention", "tag:pretext"])
def test_a_question_or_prevention_needs_the_higher_threshold(signal: str) -> None:
    strict = replace(PARAMS, p1_threshold_question=0.7)
    asking = _rules(signals=(signal,))
    marked = combine(asking, _prediction(0.6), strict, _model())
    assert (marked.urgency, marked.possible_risk) == ("P3", True)
    assert marked.reasons[0]["code"] == "possible_risk"  # type: ignore[index]
    assert combine(asking, _prediction(0.7), strict, _model()).urgency == "P1"
    # Without a question the ordinary threshold applies.
    assert combine(_rules(), _prediction(0.6), strict, _model()).urgency == "P1"


def test_a_rules_p1_stands_whatever_the_model_says() -> None:
    decided = combine(_rules(urgency="P1"), _prediction(0.01), PARAMS, _model())
    assert decided.urgency == "P1"
    assert decided.reasons[0] == "rule reason → P1"


def test_a_trusted_rules_urgency_is_kept_below_p1() -> None:
    assert combine(_rules(urgency="P2"), _prediction(0.1), PARAMS, _model()).urgency == "P2"


def test_the_officer_sees_the_phrase_that_moved_the_model() -> None:
    decided = combine(_rules(), _prediction(0.8), PARAMS, _model())
    shown = english(decided.reasons)[0]
    assert shown.startswith("the model reads risk to life or safety in “last”")
    assert shown.endswith("(probability 0.80) → P1")
    marked = combine(_rules(), _prediction(0.2), PARAMS, _model())
    assert marked.reasons[0]["code"] == "possible_risk"  # type: ignore[index]
    assert english(marked.reasons)[0].startswith("possible risk to life or safety in “last”")
    assert "ask whether they are safe right now" in english(marked.reasons)[0]


def test_rules_evidence_adds_to_the_models_category_probability() -> None:
    leaning = dict.fromkeys(CATEGORIES, 0.0) | {"phishing": 0.45, "bank_impersonation": 0.3}
    prediction = _prediction(0.0, category=leaning)
    strong = _rules(category="bank_impersonation", score=3.0)
    weak = _rules(category="bank_impersonation", score=1.0)
    assert combine(strong, prediction, PARAMS, _model()).category == "bank_impersonation"
    assert combine(weak, prediction, PARAMS, _model()).category == "phishing"
    chosen = combine(weak, prediction, PARAMS, _model())
    assert any(reason.endswith("→ Phishing") for reason in english(chosen.reasons))


def _arrays_with_risk(over: float) -> dict[str, np.ndarray]:
    """The tiny model's arrays and a risk head that reads the signal "tag:over" as no risk."""
    signals = ("tag:over", "urgency:P1")
    weights = np.zeros(RISK_BASE + 2 * len(signals))
    weights[4] = 1.0  # the urgency head's P1 log-odds, as they are
    weights[RISK_BASE] = over  # "tag:over" present
    arrays = to_arrays(_parts())
    arrays.update(risk_arrays(RiskHead(signals, weights, 0.0)))
    return arrays


def _parts() -> dict[str, object]:
    tiny = _model()
    bucket = word_buckets("last")[0]
    return {
        "idf": (np.array([bucket]), np.array([1.0])),
        "weights": {
            "category": (np.zeros(0), np.zeros(0), np.zeros(0)),
            "urgency": (np.array([bucket]), np.array([0]), np.array([3.0])),
        },
        "biases": {head: np.zeros(len(tiny.classes[head])) for head in ("category", "urgency")},
    }


def test_the_risk_head_reads_the_rules_signals_and_decides_p1() -> None:
    model = from_arrays(
        _arrays_with_risk(-10.0),
        params=PARAMS,
        classes={"category": CATEGORIES, "urgency": URGENCIES},
    )
    features = featurize(TEXT)
    text_only = model.predict(features)
    assert text_only.risk is None
    assert text_only.p1 == text_only.urgency["P1"] > PARAMS.p1_threshold
    plain = model.predict(features, (), 10)
    assert plain.risk is not None
    assert plain.p1 == pytest.approx(text_only.urgency["P1"], abs=1e-6)
    over = model.predict(features, ("tag:over",), 10)
    assert over.p1 < PARAMS.risk_band
    settled = combine(_rules(signals=("tag:over",)), over, PARAMS, model)
    assert (settled.urgency != "P1", settled.possible_risk) == (True, False)
    assert combine(_rules(), plain, PARAMS, model).urgency == "P1"


def test_a_risk_head_that_does_not_fit_its_signals_is_refused() -> None:
    arrays = _arrays_with_risk(-10.0)
    arrays["risk_weights"] = arrays["risk_weights"][:-1]
    with pytest.raises(ValueError, match="risk head"):
        from_arrays(arrays, params=PARAMS, classes={"category": CATEGORIES, "urgency": URGENCIES})
    assert issubclass(ModelFileError, ValueError)
