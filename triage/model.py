"""The trained triage model at run time: linear heads over hashed features, numpy only.

The artefact (``triage/model/triage-v<N>.npz`` + ``.json`` manifest, written by
``manage.py triage_train``) holds plain arrays — no pickled scikit-learn objects — so a library
upgrade cannot break loading. Two softmax heads share the features (``triage.features``):

- ``category``: the 13 categories;
- ``urgency``: P1..P4. (A dedicated P1-vs-rest head over the text validated worse: learning
  P4 "a question about it" and P2 "money moving" against P1 sharpens the P1 boundary.)

A third, small head reads the urgency head's probabilities together with what the rules found
(``RiskHead``): a logistic regression over the log-probabilities, the number of words, the
rules' signals ("tag:over", "cue:P1", "urgency:P1"…) and each signal times the P1 log-odds.
Its output is the risk to life or safety (``Prediction.p1``). It is fitted on out-of-fold
predictions of the urgency head, so it learns how far to trust the text on openings the text
model never saw ("the words of danger, but the rules read 'it is over'").

A fourth, the P1 verifier (``Verifier``), is fitted only on openings the risk head raises to
P1 and reads, besides the risk head's inputs and its log-odds, how the opening is put
(questions about a topic, "what should I do?") and the long-past guard's tags. Its
probability (``Prediction.verified``) must reach ``Params.p1_verify`` for the model alone to
make an opening P1; an opening it rejects stays marked as possible risk.

The features are scaled by the inverse document frequency of the training corpus (``idf``,
stored per bucket; a bucket never seen in training counts for nothing) and to unit length.
Weights are stored sparse (bucket, class, float16 value) after pruning near-zero ones; on load
they become one compact float32 matrix holding only the buckets seen in training, and a
bucket → row table. ``predict`` costs a gather and a small matrix product.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from triage.features import HASH_BITS, SETTINGS, Features, pair_bucket, word_buckets

MODEL_DIR = Path(__file__).resolve().parent / "model"
MODEL_NAME = "triage-v10"
HEADS = ("category", "urgency")
FORMAT = 3
# A phrase is shown to officers if it carries at least this share of the strongest one.
EXPLAIN_SHARE = 0.3
EXPLAIN_MAX = 3
_QUOTE_MAX = 40


class ModelFileError(ValueError):
    """The artefact is missing a part or was made for other features (message says which)."""


@dataclass(frozen=True)
class Params:
    """How rules and model are combined (chosen on validation by ``triage_train``)."""

    p1_threshold: float  # model P1 probability from which the conversation is P1
    risk_band: float  # from here up to the threshold: possible risk
    category_rule_weight: float  # added to the model's probability of the rules' category
    rule_category_min_score: float  # rules' category counts only from this score
    trust_rule_urgency: tuple[str, ...]  # rule urgencies (P2, P4) kept over the model's
    # Below this many words the model decides nothing alone: no P1, no possible risk, no
    # category in place of the rules' (a greeting or a lone word is not evidence).
    model_min_words: int = 3
    # Below this probability the model's best category does not replace the rules' "other".
    category_min_probability: float = 0.0
    # When the rules read a question, prevention, a phishing pretext or "nothing happened",
    # the model alone needs this P1 probability (0: the same as ``p1_threshold``); between the
    # two, the opening is marked possible risk.
    p1_threshold_question: float = 0.0
    # The P1 verifier's probability from which an opening the risk head raises to P1 stays P1
    # (0: no verifier); below it, the opening is marked possible risk instead.
    p1_verify: float = 0.0
    # A P1 of the rules that rests on one lone rule of ``triage.combine.LONE_RULES`` (a threat,
    # stalking, a weapon or trafficking words: they also fire on topic words) stands only when
    # the model raises P1 too or the urgency head's own P1 probability reaches this (0: it
    # always stands); otherwise the opening is marked possible risk.
    lone_rule_confirm: float = 0.0

    @property
    def question_threshold(self) -> float:
        return max(self.p1_threshold, self.p1_threshold_question)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Params:
        return cls(
            p1_threshold=float(data["p1_threshold"]),
            risk_band=float(data["risk_band"]),
            category_rule_weight=float(data["category_rule_weight"]),
            rule_category_min_score=float(data["rule_category_min_score"]),
            trust_rule_urgency=tuple(data["trust_rule_urgency"]),
            model_min_words=int(data["model_min_words"]),
            category_min_probability=float(data["category_min_probability"]),
            p1_threshold_question=float(data.get("p1_threshold_question", 0.0)),
            p1_verify=float(data.get("p1_verify", 0.0)),
            lone_rule_confirm=float(data.get("lone_rule_confirm", 0.0)),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "p1_threshold": self.p1_threshold,
            "risk_band": self.risk_band,
            "category_rule_weight": self.category_rule_weight,
            "rule_category_min_score": self.rule_category_min_score,
            "trust_rule_urgency": list(self.trust_rule_urgency),
            "model_min_words": self.model_min_words,
            "category_min_probability": self.category_min_probability,
            "p1_threshold_question": self.p1_threshold_question,
            "p1_verify": self.p1_verify,
            "lone_rule_confirm": self.lone_rule_confirm,
        }


@dataclass(frozen=True)
class Prediction:
    category: dict[str, float]  # probability per category code
    urgency: dict[str, float]  # probability per level P1..P4
    features: Features
    risk: float | None = None  # the risk head's probability, when it was given the rules' view
    # The P1 verifier's probability, when the risk reached the verifier's floor (else None).
    verified: float | None = None

    @property
    def p1(self) -> float:
        """Probability of risk to life or safety: the risk head's, else the urgency head's P1."""
        return self.urgency["P1"] if self.risk is None else self.risk


# Inputs of the risk head before the signals: log-probabilities of P1..P4, the P1 log-odds and
# log(1 + words).
RISK_BASE = 6
_FLOOR = 1e-9


def risk_inputs(
    urgency: Mapping[str, float], signals: Collection[str], words: int, known: Sequence[str]
) -> npt.NDArray[np.float64]:
    """The risk head's input vector: ``RISK_BASE`` numbers from the urgency head and the
    length, then one 0/1 per known signal, then each of those times the P1 log-odds."""
    p1 = min(max(urgency.get("P1", 0.0), _FLOOR), 1 - _FLOOR)
    log_odds = np.log(p1) - np.log(1 - p1)
    present = np.fromiter((name in signals for name in known), dtype=np.float64, count=len(known))
    return np.concatenate(
        [
            [np.log(max(urgency.get(level, 0.0), _FLOOR)) for level in ("P1", "P2", "P3", "P4")],
            [log_odds, np.log1p(words)],
            present,
            log_odds * present,
        ]
    )


@dataclass(frozen=True)
class RiskHead:
    """P1 from the urgency head's probabilities and the rules' signals (logistic)."""

    signals: tuple[str, ...]
    weights: npt.NDArray[np.float64]
    bias: float

    def probability(
        self, urgency: Mapping[str, float], signals: Collection[str], words: int
    ) -> float:
        logit = float(risk_inputs(urgency, signals, words, self.signals) @ self.weights) + self.bias
        return float(1 / (1 + np.exp(-logit)))


@dataclass(frozen=True)
class Verifier:
    """P1 or not among the openings the risk head raises to P1 (logistic): the risk head's
    inputs over its own ``signals``, then the risk head's log-odds. Applied from ``floor``
    (the P1 threshold it was fitted at) upwards."""

    signals: tuple[str, ...]
    weights: npt.NDArray[np.float64]
    bias: float
    floor: float

    def inputs(
        self, urgency: Mapping[str, float], signals: Collection[str], words: int, risk: float
    ) -> npt.NDArray[np.float64]:
        clipped = min(max(risk, _FLOOR), 1 - _FLOOR)
        return np.append(
            risk_inputs(urgency, signals, words, self.signals),
            np.log(clipped) - np.log(1 - clipped),
        )

    def probability(
        self, urgency: Mapping[str, float], signals: Collection[str], words: int, risk: float
    ) -> float:
        logit = float(self.inputs(urgency, signals, words, risk) @ self.weights) + self.bias
        return float(1 / (1 + np.exp(-logit)))


def _softmax(logits: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    shifted = np.exp(logits - logits.max())
    return shifted / shifted.sum()


def _quote(text: str) -> str:
    return text if len(text) <= _QUOTE_MAX else text[: _QUOTE_MAX - 1] + "…"


class TriageModel:
    """Weights of the three heads; ``predict`` and ``explain`` are pure."""

    def __init__(
        self,
        *,
        classes: Mapping[str, Sequence[str]],
        idf: tuple[npt.NDArray[Any], npt.NDArray[Any]],
        weights: Mapping[str, tuple[npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any]]],
        biases: Mapping[str, npt.NDArray[Any]],
        params: Params,
        manifest: Mapping[str, Any] | None = None,
        risk: RiskHead | None = None,
        verifier: Verifier | None = None,
    ) -> None:
        """``idf`` = (buckets seen in training, their idf); ``weights[head]`` = (buckets, class
        indices, values) of the non-zero weights (a subset of the idf buckets); ``risk``: the
        risk head (None: the urgency head's P1 is the risk); ``verifier``: the P1 verifier
        (None: none)."""
        self.classes = {head: tuple(classes[head]) for head in HEADS}
        self.params = params
        self.risk = risk
        self.verifier = verifier
        self.manifest = dict(manifest or {})
        self._offsets: dict[str, int] = {}
        width = 0
        for head in HEADS:
            self._offsets[head] = width
            width += len(self.classes[head])
        buckets = idf[0].astype(np.int64)
        self._row_of = np.full(1 << HASH_BITS, len(buckets), dtype=np.int32)
        self._row_of[buckets] = np.arange(len(buckets), dtype=np.int32)
        # One spare row at the end for buckets never seen in training: no idf, no weight.
        self._idf = np.zeros(len(buckets) + 1, dtype=np.float32)
        self._idf[: len(buckets)] = idf[1]
        self._matrix = np.zeros((len(buckets) + 1, width), dtype=np.float32)
        for head in HEADS:
            rows, columns, values = weights[head]
            self._matrix[
                self._row_of[rows.astype(np.int64)], self._offsets[head] + columns.astype(np.int64)
            ] = values.astype(np.float32)
        self._bias = np.concatenate([biases[head].astype(np.float64) for head in HEADS])

    def _columns(self, head: str) -> slice:
        start = self._offsets[head]
        return slice(start, start + len(self.classes[head]))

    def _rows(self, features: Features) -> tuple[npt.NDArray[np.float32], npt.NDArray[Any]]:
        """Weights of the message's buckets and its idf-weighted unit-length values."""
        rows = self._row_of[np.asarray(features.indices, dtype=np.int64)]
        values = np.asarray(features.values, dtype=np.float32) * self._idf[rows]
        norm = float(np.sqrt(values @ values))
        return self._matrix[rows], values / norm if norm else values

    def predict(
        self, features: Features, signals: Collection[str] | None = None, words: int = 0
    ) -> Prediction:
        """Both heads' probabilities; with the rules' ``signals`` (and the opening's number of
        ``words``) also the risk head's."""
        gathered, values = self._rows(features)
        logits = values @ gathered + self._bias if len(values) else self._bias.copy()
        category = _softmax(logits[self._columns("category")])
        urgency = dict(
            zip(
                self.classes["urgency"],
                _softmax(logits[self._columns("urgency")]).tolist(),
                strict=True,
            )
        )
        risk = verified = None
        if self.risk is not None and signals is not None:
            risk = self.risk.probability(urgency, signals, words)
            if self.verifier is not None and risk >= self.verifier.floor:
                verified = self.verifier.probability(urgency, signals, words, risk)
        return Prediction(
            category=dict(zip(self.classes["category"], category.tolist(), strict=True)),
            urgency=urgency,
            features=features,
            risk=risk,
            verified=verified,
        )

    def explain(self, prediction: Prediction, head: str, label: str) -> list[str]:
        """The phrases of the message that moved ``head`` most towards ``label``, quoted as
        written, strongest first (at most ``EXPLAIN_MAX``; adjacent words form one phrase)."""
        features = prediction.features
        if not features.indices:
            return []
        gathered, values = self._rows(features)
        columns = gathered[:, self._columns(head)]
        # Towards this class and away from the others (softmax is shift-invariant).
        index = self.classes[head].index(label)
        toward = columns[:, index] - columns.mean(axis=1)
        # A bucket's share of the decision is split evenly over its occurrences; a word pair's
        # occurrence counts half for each of its two words.
        per_occurrence = {
            bucket: contribution / count
            for bucket, contribution, count in zip(
                features.indices, (toward * values).tolist(), features.counts, strict=True
            )
        }
        words = features.words
        per_word = [
            sum(per_occurrence.get(bucket, 0.0) for bucket in word_buckets(word.text))
            for word in words
        ]
        for position in range(1, len(words)):
            half = (
                per_occurrence.get(pair_bucket(words[position - 1].text, words[position].text), 0.0)
                / 2
            )
            per_word[position - 1] += half
            per_word[position] += half
        strongest = max(per_word)
        if strongest <= 0:
            return []
        chosen = sorted(
            position
            for position, score in enumerate(per_word)
            if score >= EXPLAIN_SHARE * strongest
        )
        phrases: list[tuple[float, list[int]]] = []
        for position in chosen:
            if phrases and phrases[-1][1][-1] == position - 1:
                phrases[-1][1].append(position)
                phrases[-1] = (phrases[-1][0] + per_word[position], phrases[-1][1])
            else:
                phrases.append((per_word[position], [position]))
        phrases.sort(key=lambda phrase: -phrase[0])
        return [
            _quote(" ".join(features.words[position].quote for position in positions))
            for _, positions in phrases[:EXPLAIN_MAX]
        ]


def weights_digest(arrays: Mapping[str, npt.NDArray[Any]]) -> str:
    """SHA-256 of the artefact's arrays (names, dtypes, shapes and bytes), independent of the
    zip container: two trainings on the same corpus give the same digest."""
    digest = hashlib.sha256()
    for name in sorted(arrays):
        array = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}:{array.dtype.str}:{array.shape};".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def to_arrays(model_parts: Mapping[str, Any]) -> dict[str, npt.NDArray[Any]]:
    """The arrays of an artefact from ``idf``, ``weights`` and ``biases`` (``TriageModel``)."""
    buckets, idf = model_parts["idf"]
    arrays: dict[str, npt.NDArray[Any]] = {
        "idf_buckets": buckets.astype(np.int32),
        "idf_values": idf.astype(np.float16),
    }
    for head in HEADS:
        rows, columns, values = model_parts["weights"][head]
        arrays[f"{head}_rows"] = rows.astype(np.int32)
        arrays[f"{head}_columns"] = columns.astype(np.int8)
        arrays[f"{head}_values"] = values.astype(np.float16)
        arrays[f"{head}_bias"] = np.asarray(model_parts["biases"][head], dtype=np.float32)
    risk: RiskHead | None = model_parts.get("risk")
    if risk is not None:
        arrays.update(risk_arrays(risk))
    verifier: Verifier | None = model_parts.get("verifier")
    if verifier is not None:
        arrays.update(verifier_arrays(verifier))
    return arrays


def risk_arrays(risk: RiskHead) -> dict[str, npt.NDArray[Any]]:
    """The artefact arrays of a risk head."""
    return {
        "risk_signals": np.asarray(risk.signals, dtype=np.str_),
        "risk_weights": np.asarray(risk.weights, dtype=np.float32),
        "risk_bias": np.asarray([risk.bias], dtype=np.float32),
    }


def verifier_arrays(verifier: Verifier) -> dict[str, npt.NDArray[Any]]:
    """The artefact arrays of a P1 verifier."""
    return {
        "verifier_signals": np.asarray(verifier.signals, dtype=np.str_),
        "verifier_weights": np.asarray(verifier.weights, dtype=np.float32),
        "verifier_bias": np.asarray([verifier.bias, verifier.floor], dtype=np.float32),
    }


def load(directory: Path = MODEL_DIR, name: str = MODEL_NAME) -> TriageModel:
    """The artefact ``name`` of ``directory``; raises ``ModelFileError`` if it is unusable."""
    manifest_path = directory / f"{name}.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        with np.load(directory / f"{name}.npz", allow_pickle=False) as stored:
            arrays = {key: stored[key] for key in stored.files}
    except (OSError, ValueError) as error:
        raise ModelFileError(f"{name}: {error}") from error
    if manifest.get("format") != FORMAT or manifest.get("features") != SETTINGS:
        raise ModelFileError(f"{name}: made for other features or another format")
    if weights_digest(arrays) != manifest.get("weights_sha256"):
        raise ModelFileError(f"{name}: the weights do not match the manifest")
    try:
        params = Params.from_json(manifest["decision"])
        return from_arrays(arrays, params=params, manifest=manifest)
    except (KeyError, TypeError, ValueError) as error:
        raise ModelFileError(f"{name}: incomplete artefact ({error!r})") from error


def from_arrays(
    arrays: Mapping[str, npt.NDArray[Any]],
    *,
    params: Params,
    manifest: Mapping[str, Any] | None = None,
    classes: Mapping[str, Sequence[str]] | None = None,
) -> TriageModel:
    """A model from an artefact's arrays (``classes`` default to the manifest's)."""
    risk = None
    if "risk_weights" in arrays:
        signals = tuple(str(name) for name in arrays["risk_signals"].tolist())
        weights = arrays["risk_weights"].astype(np.float64)
        if len(weights) != RISK_BASE + 2 * len(signals):
            raise ValueError("risk head: weights do not fit its signals")
        risk = RiskHead(signals, weights, float(arrays["risk_bias"][0]))
    verifier = None
    if "verifier_weights" in arrays:
        names = tuple(str(name) for name in arrays["verifier_signals"].tolist())
        values = arrays["verifier_weights"].astype(np.float64)
        if len(values) != RISK_BASE + 2 * len(names) + 1:
            raise ValueError("verifier: weights do not fit its signals")
        bias, floor = (float(value) for value in arrays["verifier_bias"])
        verifier = Verifier(names, values, bias, floor)
    return TriageModel(
        classes=classes if classes is not None else (manifest or {})["classes"],
        idf=(arrays["idf_buckets"], arrays["idf_values"]),
        weights={
            head: (arrays[f"{head}_rows"], arrays[f"{head}_columns"], arrays[f"{head}_values"])
            for head in HEADS
        },
        biases={head: arrays[f"{head}_bias"] for head in HEADS},
        params=params,
        manifest=manifest,
        risk=risk,
        verifier=verifier,
    )


@lru_cache(maxsize=1)
def default_model() -> TriageModel | None:
    """The shipped artefact, loaded once per process; None when none is installed (rules
    only). A damaged artefact raises: silently falling back would hide lost recall."""
    if not (MODEL_DIR / f"{MODEL_NAME}.json").exists():
        return None
    return load()
