"""Training and evaluating the triage model (scikit-learn; used by the management commands only).

The production path (``triage.model``) needs numpy alone; this module fits the heads with
scikit-learn and exports their weights as plain arrays. Everything is deterministic: the
splits hash scenario ids, the solvers are deterministic (lbfgs), examples keep file order.

Procedure (``train``; docs/triage.md gives the figures):

1. Split the corpus by scenario: training (4/5) and validation (1/5; written corpus only).
2. Out-of-fold predictions on the training split (5 folds by scenario): every training
   example is predicted by a model that never saw its scenario, its risk head
   (``triage.model.RiskHead``) included (``out_of_fold_with_risk``).
3. Decision parameters from those predictions: the P1 threshold (``choose_threshold``); then
   the P1 verifier (``triage.model.Verifier``) of every fold fitted at that threshold and
   its cut (``choose_verify``: the highest that loses no P1 opening out of fold); then the
   possible-risk band and how rules and model are combined (``choose_params``).
4. Validation figures: a model fitted on the training split (``fit_with_risk``: the text
   heads on the split, the risk head on their out-of-fold predictions within it), the
   parameters of step 3, judged on the validation split — nothing of it was used for any
   choice.
5. Cross-validation figures (``--cv``): the same, fold by fold over the whole corpus.
6. The artefact: a model fitted on the whole corpus with the parameters of step 3.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from triage import features as feature_settings
from triage.combine import choose_category, choose_urgency, marks_possible_risk
from triage.corpus import (
    CORPUS_DIR,
    FOLD_SALT,
    LANGUAGES,
    Example,
    corpus_digest,
    corpus_files,
    fold_of,
    is_validation,
    languages_of,
    load_corpus,
)
from triage.engine import VERIFIER_FORMS, RuleAssessment, assess, assess_rules
from triage.features import HASH_BITS, Features, featurize
from triage.model import (
    FORMAT,
    HEADS,
    MODEL_DIR,
    MODEL_NAME,
    RISK_BASE,
    Params,
    Prediction,
    RiskHead,
    TriageModel,
    Verifier,
    from_arrays,
    risk_arrays,
    risk_inputs,
    to_arrays,
    verifier_arrays,
    weights_digest,
)
from triage.normalize import normalize_messages
from triage.vocabulary import CATEGORIES, URGENCIES

# Inverse regularisation strength of each head (chosen by scenario-grouped CV on the training
# split; docs/triage.md).
C_VALUES = {"category": 4.0, "urgency": 16.0}
CLASSES = {"category": CATEGORIES, "urgency": URGENCIES}
MAX_ITER = 3000
# Weights smaller than this (in absolute value) are dropped from the artefact.
PRUNE_BELOW = 0.02
FOLDS = 5
# The risk head: inverse regularisation, and the salt of the folds inside a training set whose
# out-of-fold predictions it is fitted on (independent of the cross-validation folds).
RISK_C = 1.0
RISK_SALT = "risk:"
# Signals the risk head does not read: the rules combine these self-harm tags themselves
# (despair + farewell, means + despair); read alone by the head, "despair" (79 P1 openings
# against 6 others in the corpus) turned hopelessness about a bank into P1.
# The long-past guard's tags are the rules' only as well: read by the head, they moved the
# threshold chosen out of fold and cost P1 recall in cross-validation (docs/triage.md, "Fifth
# precision round").
# The question forms of the seventh round are the P1 verifier's only (docs/triage.md).
SELF_HARM_TAGS = frozenset(("tag:despair", "tag:farewell", "tag:means", "tag:at_hand"))
RISK_IGNORED = SELF_HARM_TAGS | {"tag:long_past", "tag:again"} | VERIFIER_FORMS
# The P1 verifier reads every signal but the self-harm tags (the rules combine those), and the
# risk head's log-odds; inverse regularisation as the risk head's. Its cut is the highest
# probability (on this grid) that turns no P1 opening of the out-of-fold predictions away.
VERIFIER_IGNORED = SELF_HARM_TAGS
VERIFIER_C = 1.0
VERIFY_GRID = tuple(round(0.0025 * step, 4) for step in range(1, 200))
# Candidates for ``Params.lone_rule_confirm`` (``choose_lone_confirm``).
LONE_CONFIRM_GRID = tuple(round(0.01 * step, 2) for step in range(1, 100))

# Targets of issue 12 (P1 recall >= 95 %, >= 90 % in every language, false P1 <= 5 %) the
# parameters are chosen for. Recall comes first: the highest threshold that keeps it.
P1_RECALL_TARGET = 0.95
P1_RECALL_PER_LANGUAGE = 0.90
# Both recall targets are required one point above themselves on the out-of-fold predictions:
# with the risk head, the threshold that just met them there gave 94.4 % overall and 89.6 %
# in Russian in cross-validation (docs/triage.md, "Third precision round").
P1_RECALL_MARGIN = 0.01
FALSE_P1_MAX = 0.05
# The possible-risk band reaches down until this share of P1 openings is P1 or marked, but
# marks at most RISK_BAND_MAX_SHARE of the other openings (asking everyone "are you safe?"
# would teach officers and citizens to ignore it).
RISK_BAND_RECALL = 0.99
RISK_BAND_MAX_SHARE = 0.2
RISK_BAND_FLOOR = 0.02
THRESHOLD_GRID = tuple(round(0.01 * step, 2) for step in range(2, 96))
RULE_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.5, 1.0)
RULE_MIN_SCORES = (2.0, 3.0, 4.0)
TRUSTED_URGENCIES: tuple[tuple[str, ...], ...] = ((), ("P2",), ("P4",), ("P2", "P4"))
CATEGORY_FLOORS = (0.0, 0.2, 0.3, 0.4)


@dataclass
class Prepared:
    """Examples with what does not depend on the model: features and the rules' view."""

    examples: list[Example]
    features: list[Features]
    ruled: list[RuleAssessment]
    matrix: sparse.csr_matrix


def prepare(examples: Sequence[Example]) -> Prepared:
    feature_rows: list[Features] = []
    ruled: list[RuleAssessment] = []
    for example in examples:
        hint = example.browser_language
        normalized = normalize_messages(example.texts, language_hint=hint)
        feature_rows.append(featurize(normalized.texts))
        ruled.append(assess_rules(normalized, browser_language=hint, prechat=example.prechat))
    indptr = np.cumsum([0, *(len(row.indices) for row in feature_rows)])
    matrix = sparse.csr_matrix(
        (
            np.concatenate([np.asarray(row.values, dtype=np.float64) for row in feature_rows])
            if feature_rows
            else np.zeros(0),
            np.concatenate([np.asarray(row.indices, dtype=np.int64) for row in feature_rows])
            if feature_rows
            else np.zeros(0, dtype=np.int64),
            indptr,
        ),
        shape=(len(feature_rows), 1 << HASH_BITS),
    )
    return Prepared(list(examples), feature_rows, ruled, matrix)


def _labels(examples: Sequence[Example], head: str) -> list[str]:
    if head == "category":
        return [example.category for example in examples]
    return [example.urgency for example in examples]


def _idf(matrix: sparse.csr_matrix) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Buckets present in ``matrix`` and their smoothed inverse document frequency (as
    scikit-learn's ``TfidfTransformer``), rounded to the stored float16 precision."""
    used, frequency = np.unique(matrix.indices, return_counts=True)
    rows = matrix.shape[0]
    idf = np.log((1 + rows) / (1 + frequency)) + 1
    return used, idf.astype(np.float16).astype(np.float64)


def _fit_head(
    compact: sparse.csr_matrix, labels: list[str], head: str, classes: Sequence[str]
) -> tuple[tuple[npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any]], npt.NDArray[Any]]:
    """(compact column, class, weight) triples of the non-negligible weights and the biases
    of one softmax head, classes in ``classes`` order (a class absent from the labels gets no
    weights and a very low bias)."""
    present = sorted(set(labels))
    coef = np.zeros((compact.shape[1], len(classes)))
    bias = np.full(len(classes), -20.0)
    if len(present) == 1:
        bias[list(classes).index(present[0])] = 0.0
    else:
        model = LogisticRegression(C=C_VALUES[head], max_iter=MAX_ITER)
        with threadpool_limits(1):  # the same sums on every run, no fight for the cores
            model.fit(compact, labels)
        if len(present) == 2:
            # scikit-learn keeps one row for two classes (the second's logit): ±half each.
            rows = [-model.coef_[0] / 2, model.coef_[0] / 2]
            intercepts = [-model.intercept_[0] / 2, model.intercept_[0] / 2]
        else:
            rows, intercepts = list(model.coef_), list(model.intercept_)
        for label, row, intercept in zip(model.classes_, rows, intercepts, strict=True):
            column = list(classes).index(label)
            coef[:, column] = row
            bias[column] = intercept
    kept_rows, kept_columns = np.nonzero(np.abs(coef) >= PRUNE_BELOW)
    return (kept_rows, kept_columns, coef[kept_rows, kept_columns]), bias


def fit(
    prepared: Prepared,
    indices: Sequence[int],
    params: Params,
    heads: Sequence[str] = HEADS,
) -> tuple[TriageModel, dict[str, npt.NDArray[Any]]]:
    """A model fitted on ``prepared.examples[indices]`` and its artefact arrays (only the
    text ``heads`` named; the others predict uniformly; no risk head)."""
    matrix = prepared.matrix[list(indices)]
    chosen = [prepared.examples[index] for index in indices]
    used, idf = _idf(matrix)
    # Only the buckets that occur are given to the solver (the same solution for a fraction
    # of the work), idf-weighted and scaled to unit length exactly as ``TriageModel`` does.
    compact = normalize(matrix[:, used].multiply(idf).tocsr())
    weights = {}
    biases = {}
    for head in HEADS:
        if head not in heads:
            empty = np.zeros(0, dtype=np.int64)
            weights[head] = (empty, empty, np.zeros(0))
            biases[head] = np.zeros(len(CLASSES[head]))
            continue
        (rows, columns, values), biases[head] = _fit_head(
            compact, _labels(chosen, head), head, CLASSES[head]
        )
        weights[head] = (used[rows], columns, values)
    # Round-trip through the stored precision, so figures are those of the artefact.
    arrays = to_arrays({"idf": (used, idf), "weights": weights, "biases": biases})
    return from_arrays(arrays, params=params, classes=CLASSES), arrays


def predict(model: TriageModel, prepared: Prepared, index: int) -> Prediction:
    """The model's prediction of one prepared example, with the rules' view for the risk
    head."""
    ruled = prepared.ruled[index]
    return model.predict(prepared.features[index], ruled.signals, ruled.words)


def fit_risk(prepared: Prepared, predictions: Mapping[int, Prediction]) -> RiskHead | None:
    """The risk head fitted on predictions of examples their model never saw (P1 or not);
    None when those hold a single class."""
    indices = sorted(predictions)
    labels = [prepared.examples[index].urgency == "P1" for index in indices]
    if len(set(labels)) < 2:
        return None
    seen = {name for index in indices for name in prepared.ruled[index].signals}
    known = tuple(sorted(seen - RISK_IGNORED))
    inputs = np.array(
        [
            risk_inputs(
                predictions[index].urgency,
                prepared.ruled[index].signals,
                prepared.ruled[index].words,
                known,
            )
            for index in indices
        ]
    )
    weights, bias = fit_logistic(inputs, labels, RISK_C)
    return RiskHead(known, weights, bias)


def fit_logistic(
    inputs: npt.NDArray[np.float64], labels: Sequence[bool], c: float
) -> tuple[npt.NDArray[np.float64], float]:
    """A binary logistic regression's weights and bias, rounded to the stored precision
    (float32), so that figures are those of the artefact."""
    model = LogisticRegression(C=c, max_iter=MAX_ITER)
    with threadpool_limits(1):
        model.fit(inputs, labels)
    return model.coef_[0].astype(np.float32).astype(np.float64), float(
        np.float32(model.intercept_[0])
    )


def fit_verifier(
    prepared: Prepared, predictions: Mapping[int, Prediction], head: RiskHead, floor: float
) -> Verifier | None:
    """The P1 verifier fitted on the predictions (of examples their model never saw) whose
    risk, by ``head``, reaches ``floor``; None when those hold a single class."""
    risks = {
        index: head.probability(
            prediction.urgency, prepared.ruled[index].signals, prepared.ruled[index].words
        )
        for index, prediction in predictions.items()
    }
    indices = sorted(index for index, risk in risks.items() if risk >= floor)
    labels = [prepared.examples[index].urgency == "P1" for index in indices]
    if len(set(labels)) < 2:
        return None
    seen = {name for index in indices for name in prepared.ruled[index].signals}
    known = tuple(sorted(seen - VERIFIER_IGNORED))
    empty = Verifier(known, np.zeros(RISK_BASE + 2 * len(known) + 1), 0.0, floor)
    inputs = np.array(
        [
            empty.inputs(
                predictions[index].urgency,
                prepared.ruled[index].signals,
                prepared.ruled[index].words,
                risks[index],
            )
            for index in indices
        ]
    )
    weights, bias = fit_logistic(inputs, labels, VERIFIER_C)
    return Verifier(known, weights, bias, float(np.float32(floor)))


@dataclass
class Stage:
    """A model fitted on some examples: its text heads' arrays, its risk head and the
    out-of-fold urgency predictions within those examples that the risk head (and a
    verifier) are fitted on."""

    arrays: dict[str, npt.NDArray[Any]]
    inner: dict[int, Prediction]
    risk: RiskHead | None

    def artefact_arrays(self, verifier: Verifier | None = None) -> dict[str, npt.NDArray[Any]]:
        """The arrays of a model of this stage (with ``verifier``, if given)."""
        arrays = dict(self.arrays)
        if self.risk is not None:
            arrays.update(risk_arrays(self.risk))
        if verifier is not None:
            arrays.update(verifier_arrays(verifier))
        return arrays

    def model(self, params: Params, verifier: Verifier | None = None) -> TriageModel:
        return from_arrays(self.artefact_arrays(verifier), params=params, classes=CLASSES)

    def verifier(self, prepared: Prepared, floor: float) -> Verifier | None:
        if self.risk is None:
            return None
        return fit_verifier(prepared, self.inner, self.risk, floor)


def fit_stage(prepared: Prepared, indices: Sequence[int]) -> Stage:
    """``fit`` and a risk head fitted on out-of-fold urgency predictions within ``indices``
    (folds salted with ``RISK_SALT``, independent of any outer folds)."""
    _, arrays = fit(prepared, indices, PLACEHOLDER)
    inner = out_of_fold(prepared, indices, heads=("urgency",), salt=RISK_SALT)
    return Stage(arrays, inner, fit_risk(prepared, inner))


def fit_with_risk(
    prepared: Prepared, indices: Sequence[int], params: Params
) -> tuple[TriageModel, dict[str, npt.NDArray[Any]]]:
    """The text heads, the risk head (``fit_stage``) and, when ``params`` use one
    (``p1_verify``), a P1 verifier fitted at ``params.p1_threshold`` on the same out-of-fold
    predictions."""
    stage = fit_stage(prepared, indices)
    verifier = stage.verifier(prepared, params.p1_threshold) if params.p1_verify else None
    arrays = stage.artefact_arrays(verifier)
    return from_arrays(arrays, params=params, classes=CLASSES), arrays


MIN_WORDS = 3
PLACEHOLDER = Params(
    p1_threshold=0.5,
    risk_band=0.25,
    category_rule_weight=0.3,
    rule_category_min_score=2.0,
    trust_rule_urgency=("P2",),
    model_min_words=MIN_WORDS,
)


def out_of_fold(
    prepared: Prepared,
    indices: Sequence[int],
    folds: int = FOLDS,
    *,
    heads: Sequence[str] = HEADS,
    salt: str = FOLD_SALT,
) -> dict[int, Prediction]:
    """A prediction for every index by a model that never saw that example's scenario (the
    text heads only)."""
    predictions: dict[int, Prediction] = {}
    for fold in range(folds):
        held = [i for i in indices if fold_of(prepared.examples[i], folds, salt) == fold]
        kept = [i for i in indices if fold_of(prepared.examples[i], folds, salt) != fold]
        if not held or not kept:
            continue
        model, _ = fit(prepared, kept, PLACEHOLDER, heads)
        for index in held:
            predictions[index] = model.predict(prepared.features[index])
    return predictions


def out_of_fold_stages(
    prepared: Prepared, indices: Sequence[int], folds: int = FOLDS
) -> list[tuple[list[int], Stage]]:
    """For each fold of ``indices``: its examples and a ``Stage`` fitted on the others."""
    stages = []
    for fold in range(folds):
        held = [i for i in indices if fold_of(prepared.examples[i], folds) == fold]
        kept = [i for i in indices if fold_of(prepared.examples[i], folds) != fold]
        if held and kept:
            stages.append((held, fit_stage(prepared, kept)))
    return stages


def stage_predictions(
    prepared: Prepared, stages: Sequence[tuple[list[int], Stage]], verify_at: float = 0.0
) -> dict[int, Prediction]:
    """A prediction for every held example of ``stages`` by the model that never saw its
    scenario: made as the validation predictions are (with a P1 verifier fitted at
    ``verify_at`` when it is not 0)."""
    predictions: dict[int, Prediction] = {}
    for held, stage in stages:
        verifier = stage.verifier(prepared, verify_at) if verify_at else None
        model = stage.model(PLACEHOLDER, verifier)
        predictions.update((index, predict(model, prepared, index)) for index in held)
    return predictions


def out_of_fold_with_risk(
    prepared: Prepared, indices: Sequence[int], folds: int = FOLDS
) -> dict[int, Prediction]:
    """A prediction for every index by a model (text heads and risk head) that never saw that
    example's scenario."""
    return stage_predictions(prepared, out_of_fold_stages(prepared, indices, folds))


@dataclass
class Tally:
    """Figures of one language (or of all): counts, so they can be summed and printed."""

    total: int = 0
    category: int = 0
    urgency: int = 0
    p1_total: int = 0
    p1_found: int = 0
    other_total: int = 0
    false_p1: int = 0
    possible_risk: int = 0  # not P1, marked as possible risk
    possible_risk_others: int = 0  # labelled P2..P4, marked as possible risk
    p1_marked: int = 0  # labelled P1, given P1 or marked possible risk
    false_p1_rules: int = 0  # false P1 that the rules raised (the rest: the model alone)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(
        self,
        example: Example,
        category: str,
        urgency: str,
        possible_risk: bool,
        *,
        by_rules: bool = False,
    ) -> None:
        """Count one decision; ``by_rules``: the rules alone said P1."""
        self.total += 1
        self.category += category in example.categories
        self.urgency += urgency == example.urgency
        row = self.confusion.setdefault(example.urgency, {})
        row[urgency] = row.get(urgency, 0) + 1
        self.possible_risk += possible_risk
        if example.urgency == "P1":
            self.p1_total += 1
            self.p1_found += urgency == "P1"
            self.p1_marked += urgency == "P1" or possible_risk
        else:
            self.other_total += 1
            self.false_p1 += urgency == "P1"
            self.false_p1_rules += urgency == "P1" and by_rules
            self.possible_risk_others += possible_risk

    def merge(self, other: Tally) -> None:
        for name in (
            "total",
            "category",
            "urgency",
            "p1_total",
            "p1_found",
            "other_total",
            "false_p1",
            "possible_risk",
            "possible_risk_others",
            "p1_marked",
            "false_p1_rules",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for gold, row in other.confusion.items():
            for got, count in row.items():
                mine = self.confusion.setdefault(gold, {})
                mine[got] = mine.get(got, 0) + count

    def as_json(self) -> dict[str, Any]:
        return {
            "messages": self.total,
            "category": _ratio(self.category, self.total),
            "urgency": _ratio(self.urgency, self.total),
            "p1_recall": _ratio(self.p1_found, self.p1_total),
            "p1": f"{self.p1_found}/{self.p1_total}",
            "false_p1": _ratio(self.false_p1, self.other_total),
            "false_p1_count": f"{self.false_p1}/{self.other_total}",
            "false_p1_by_rules": self.false_p1_rules,
            "possible_risk_of_others": _ratio(self.possible_risk_others, self.other_total),
            "p1_or_marked": _ratio(self.p1_marked, self.p1_total),
        }


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


Decide = Callable[[int, Prediction], tuple[str, str, bool]]


def decider(prepared: Prepared, params: Params) -> Decide:
    def decide(index: int, prediction: Prediction) -> tuple[str, str, bool]:
        ruled = prepared.ruled[index]
        urgency = choose_urgency(ruled, prediction, params)
        category = choose_category(ruled, prediction, params)
        possible = marks_possible_risk(ruled, prediction, params, urgency)
        return category, urgency, possible

    return decide


def tally(
    prepared: Prepared, predictions: dict[int, Prediction], params: Params
) -> dict[str, Tally]:
    """Per language and "all"."""
    decide = decider(prepared, params)
    tallies = {code: Tally() for code in (*languages_of(prepared.examples), "all")}
    for index, prediction in predictions.items():
        example = prepared.examples[index]
        category, urgency, possible = decide(index, prediction)
        by_rules = prepared.ruled[index].urgency == "P1"
        for code in (example.language, "all"):
            tallies.setdefault(code, Tally()).add(
                example, category, urgency, possible, by_rules=by_rules
            )
    return tallies


def wrong_decisions(
    prepared: Prepared, predictions: dict[int, Prediction], params: Params
) -> list[str]:
    """One line per wrong urgency or category, false P1s marked with who raised them (the
    rules, or the model alone from its P1 probability)."""
    decide = decider(prepared, params)
    lines = []
    for index, prediction in sorted(predictions.items()):
        example = prepared.examples[index]
        category, urgency, _ = decide(index, prediction)
        if urgency == example.urgency and category in example.categories:
            continue
        source = ""
        if urgency == "P1" and example.urgency != "P1":
            who = "rules" if prepared.ruled[index].urgency == "P1" else "model"
            source = f" [false P1: {who}, p={prediction.p1:.2f}]"
        lines.append(
            f"{example.id}: {urgency}/{category} (want {example.urgency}/{example.category})"
            f"{source} {' | '.join(example.texts)[:100]!r}"
        )
    return lines


def _p1_ok(
    prepared: Prepared, predictions: dict[int, Prediction], params: Params
) -> tuple[bool, float, float]:
    """(recall targets met, overall recall, false-P1 rate) for the thresholds of ``params``."""
    found: dict[str, list[int]] = {}
    false = others = 0
    for index, prediction in predictions.items():
        example = prepared.examples[index]
        is_p1 = choose_urgency(prepared.ruled[index], prediction, params) == "P1"
        if example.urgency == "P1":
            counts = found.setdefault(example.language, [0, 0])
            counts[0] += is_p1
            counts[1] += 1
        else:
            others += 1
            false += is_p1
    hit = sum(counts[0] for counts in found.values())
    total = sum(counts[1] for counts in found.values())
    recall = hit / total if total else 1.0
    per_language = all(
        counts[0] / counts[1] >= P1_RECALL_PER_LANGUAGE + P1_RECALL_MARGIN
        for counts in found.values()
        if counts[1]
    )
    return (
        recall >= P1_RECALL_TARGET + P1_RECALL_MARGIN and per_language,
        recall,
        false / others if others else 0.0,
    )


def choose_threshold(prepared: Prepared, predictions: dict[int, Prediction]) -> float:
    """The P1 threshold: the highest that keeps the recall targets (with their margin) on
    ``predictions``; if none does within the false-P1 limit, the highest that keeps them at
    all (recall comes first)."""
    threshold = THRESHOLD_GRID[0]
    for candidate in THRESHOLD_GRID:
        ok, _, false_rate = _p1_ok(
            prepared, predictions, replace(PLACEHOLDER, p1_threshold=candidate)
        )
        if ok and false_rate <= FALSE_P1_MAX:
            threshold = candidate
    if threshold == THRESHOLD_GRID[0]:
        for candidate in THRESHOLD_GRID:
            if _p1_ok(prepared, predictions, replace(PLACEHOLDER, p1_threshold=candidate))[0]:
                threshold = candidate
    return threshold


def _p1_found(prepared: Prepared, predictions: dict[int, Prediction], params: Params) -> int:
    return sum(
        prepared.examples[index].urgency == "P1"
        and choose_urgency(prepared.ruled[index], prediction, params) == "P1"
        for index, prediction in predictions.items()
    )


def choose_verify(
    prepared: Prepared, predictions: dict[int, Prediction], threshold: float
) -> float:
    """The P1 verifier's cut: the highest of ``VERIFY_GRID`` at which the verifier turns away
    no P1 opening of ``predictions`` (made with verifiers fitted at ``threshold``); 0 (no
    verifier) when even the lowest would."""
    at = replace(PLACEHOLDER, p1_threshold=threshold)
    found = _p1_found(prepared, predictions, at)
    chosen = 0.0
    for candidate in VERIFY_GRID:
        if _p1_found(prepared, predictions, replace(at, p1_verify=candidate)) < found:
            break
        chosen = candidate
    return chosen


def choose_lone_confirm(
    prepared: Prepared, predictions: dict[int, Prediction], threshold: float, verify: float
) -> float:
    """The urgency head's P1 probability a lone rule's P1 needs when the model does not raise
    P1 itself (``Params.lone_rule_confirm``): the highest of ``LONE_CONFIRM_GRID``, up to the
    P1 threshold, at which no P1 opening of ``predictions`` is lost; 0 (every rule's P1
    stands) when even the lowest would lose one."""
    at = replace(PLACEHOLDER, p1_threshold=threshold, p1_verify=verify)
    found = _p1_found(prepared, predictions, at)
    chosen = 0.0
    for candidate in LONE_CONFIRM_GRID:
        if candidate > threshold:
            break
        if _p1_found(prepared, predictions, replace(at, lone_rule_confirm=candidate)) < found:
            break
        chosen = candidate
    return chosen


def choose_params(
    prepared: Prepared,
    predictions: dict[int, Prediction],
    threshold: float | None = None,
    verify: float = 0.0,
    lone_confirm: float = 0.0,
) -> Params:
    """Decision parameters from out-of-fold predictions (see the module docstring).

    P1 threshold: ``choose_threshold`` unless given; ``verify``: the P1 verifier's cut
    (``choose_verify``; 0: none). Risk band: the threshold that marks ``RISK_BAND_RECALL`` of
    P1 messages as P1 or possible risk, raised if needed so that at most
    ``RISK_BAND_MAX_SHARE`` of the other messages are marked, at least ``RISK_BAND_FLOOR``.
    Category and urgency combination: the grid point with the best accuracy.
    """
    if threshold is None:
        threshold = choose_threshold(prepared, predictions)
    # The higher threshold for questions and prevention (``Params.p1_threshold_question``)
    # stays off: chosen here it rose to the top of the grid, and the model then no longer
    # raised a child's own "is this normal?" about an adult's secret meeting (docs/triage.md).
    question = 0.0
    chosen = replace(
        PLACEHOLDER, p1_threshold=threshold, p1_verify=verify, lone_rule_confirm=lone_confirm
    )
    p1_probabilities = sorted(
        prediction.p1
        for index, prediction in predictions.items()
        if prepared.examples[index].urgency == "P1"
        and choose_urgency(prepared.ruled[index], prediction, chosen) != "P1"
    )
    p1_count = sum(prepared.examples[index].urgency == "P1" for index in predictions)
    allowed_misses = int((1 - RISK_BAND_RECALL) * p1_count)
    band = p1_probabilities[allowed_misses] if len(p1_probabilities) > allowed_misses else 0.0
    # The lowest band that marks at most RISK_BAND_MAX_SHARE of the other openings.
    others_below = sorted(
        (
            prediction.p1
            for index, prediction in predictions.items()
            if prepared.examples[index].urgency != "P1"
            and prepared.ruled[index].words >= MIN_WORDS
            and choose_urgency(prepared.ruled[index], prediction, chosen) != "P1"
        ),
        reverse=True,
    )
    others = sum(prepared.examples[index].urgency != "P1" for index in predictions)
    allowed_marks = int(RISK_BAND_MAX_SHARE * others)
    if len(others_below) > allowed_marks:
        band = max(band, others_below[allowed_marks] + 1e-3)
    band = round(max(RISK_BAND_FLOOR, min(band, threshold)), 3)

    best: tuple[float, Params] | None = None
    for weight, minimum, trusted, floor in product(
        RULE_WEIGHTS, RULE_MIN_SCORES, TRUSTED_URGENCIES, CATEGORY_FLOORS
    ):
        params = Params(
            threshold,
            band,
            weight,
            minimum,
            trusted,
            MIN_WORDS,
            floor,
            question,
            verify,
            lone_confirm,
        )
        everything = tally(prepared, predictions, params)["all"]
        score = everything.category + everything.urgency
        if best is None or score > best[0]:
            best = (score, params)
    assert best is not None  # noqa: S101 - the grids are not empty
    return best[1]


@dataclass
class TrainingReport:
    params: Params
    validation: dict[str, Tally]
    cross_validation: dict[str, Tally] | None
    model: TriageModel
    arrays: dict[str, npt.NDArray[Any]]
    manifest: dict[str, Any]


def cross_validate(prepared: Prepared, params: Params, folds: int) -> dict[str, Tally]:
    """Figures over the whole written corpus, each fold predicted by a model trained on the
    other folds (``extra`` examples always train, never score)."""
    return tally(prepared, cross_predictions(prepared, params, folds), params)


def cross_predictions(prepared: Prepared, params: Params, folds: int) -> dict[int, Prediction]:
    """A prediction for every written example by a model trained on the other folds."""
    everything = range(len(prepared.examples))
    predictions: dict[int, Prediction] = {}
    for fold in range(folds):
        held = [
            i
            for i in everything
            if not prepared.examples[i].extra and fold_of(prepared.examples[i], folds) == fold
        ]
        kept = [
            i
            for i in everything
            if prepared.examples[i].extra or fold_of(prepared.examples[i], folds) != fold
        ]
        if not held:
            continue
        model, _ = fit_with_risk(prepared, kept, params)
        predictions.update((index, predict(model, prepared, index)) for index in held)
    return predictions


@dataclass(frozen=True)
class FirstStage:
    """An earlier artefact whose text heads and risk head are kept as they were fitted."""

    name: str
    arrays: dict[str, npt.NDArray[Any]]
    params: Params
    weights_sha256: str

    @classmethod
    def load(cls, directory: Path, name: str) -> FirstStage:
        manifest = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        with np.load(directory / f"{name}.npz", allow_pickle=False) as stored:
            arrays = {key: stored[key] for key in stored.files if not key.startswith("verifier_")}
        if "risk_weights" not in arrays:
            raise ValueError(f"{name}: no risk head to fit a P1 verifier onto")
        return cls(name, arrays, Params.from_json(manifest["decision"]), manifest["weights_sha256"])


def graft_verifier(
    prepared: Prepared, first: FirstStage, chosen: Params
) -> tuple[Params, TriageModel, dict[str, npt.NDArray[Any]]]:
    """``first``'s heads as fitted, with a P1 verifier fitted onto its risk head the way
    ``fit_with_risk`` fits one (on out-of-fold urgency predictions over the whole corpus,
    folds salted with ``RISK_SALT``, the examples whose risk reaches the P1 threshold), and
    ``first``'s decision parameters with the cut ``chosen.p1_verify``. The cut was chosen at
    ``chosen.p1_threshold``; a first stage with another threshold is refused."""
    if first.params.p1_threshold != chosen.p1_threshold:
        raise ValueError(
            f"{first.name}: P1 threshold {first.params.p1_threshold}, the verifier's cut was "
            f"chosen at {chosen.p1_threshold}"
        )
    params = replace(
        first.params, p1_verify=chosen.p1_verify, lone_rule_confirm=chosen.lone_rule_confirm
    )
    arrays = dict(first.arrays)
    if params.p1_verify:
        base = from_arrays(arrays, params=params, classes=CLASSES)
        assert base.risk is not None  # noqa: S101 - FirstStage.load checks it
        everything = range(len(prepared.examples))
        inner = out_of_fold(prepared, everything, heads=("urgency",), salt=RISK_SALT)
        verifier = fit_verifier(prepared, inner, base.risk, params.p1_threshold)
        if verifier is not None:
            arrays.update(verifier_arrays(verifier))
    return params, from_arrays(arrays, params=params, classes=CLASSES), arrays


def train(
    *,
    corpus: Path = CORPUS_DIR,
    output: Path | None = MODEL_DIR,
    name: str = MODEL_NAME,
    cv_folds: int = 0,
    first_stage: FirstStage | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> TrainingReport:
    """Train, choose parameters, judge on validation, write the artefact (unless ``output``
    is None) and return the report.

    With ``first_stage``, the P1 threshold is the first stage's and the other parameters,
    validation and cross-validation are this code's as always, but the artefact keeps the
    first stage's heads as fitted and adds a P1 verifier fitted onto its risk head
    (``graft_verifier``)."""
    files = corpus_files(corpus)
    examples = load_corpus(corpus)
    log(f"{len(examples)} examples from {len(files)} files; preparing features and rules")
    prepared = prepare(examples)
    training = [i for i, example in enumerate(examples) if not is_validation(example)]
    validation = [i for i, example in enumerate(examples) if is_validation(example)]
    log(f"training split {len(training)}, validation split {len(validation)}")
    log("out-of-fold predictions on the training split")
    stages = out_of_fold_stages(prepared, training)
    if first_stage is None:
        threshold = choose_threshold(prepared, stage_predictions(prepared, stages))
    else:
        # The kept risk head was calibrated at its own threshold: the cut is chosen there.
        threshold = first_stage.params.p1_threshold
    log(f"P1 threshold {threshold}; P1 verifiers fitted at it")
    predictions = stage_predictions(prepared, stages, verify_at=threshold)
    verify = choose_verify(prepared, predictions, threshold)
    lone_confirm = choose_lone_confirm(prepared, predictions, threshold, verify)
    params = choose_params(prepared, predictions, threshold, verify, lone_confirm)
    log(f"parameters: {params.to_json()}")
    log("validation")
    on_training, _ = fit_with_risk(prepared, training, params)
    validation_tallies = tally(
        prepared,
        {index: predict(on_training, prepared, index) for index in validation},
        params,
    )
    cv_tallies = None
    if cv_folds:
        log(f"{cv_folds}-fold cross-validation by scenario")
        cv_tallies = cross_validate(prepared, params, cv_folds)
    if first_stage is None:
        log("final model on the whole corpus")
        final, arrays = fit_with_risk(prepared, range(len(examples)), params)
    else:
        log(f"{first_stage.name}'s heads, a P1 verifier fitted onto its risk head")
        params, final, arrays = graft_verifier(prepared, first_stage, params)
    manifest = {
        "name": name,
        "format": FORMAT,
        "features": feature_settings.SETTINGS,
        "classes": {head: list(final.classes[head]) for head in HEADS},
        "decision": params.to_json(),
        "training": {
            "corpus_sha256": corpus_digest(files),
            "files": [f"{path.parent.name}/{path.name}" for path in files],
            "examples": len(examples),
            "written_examples": sum(not example.extra for example in examples),
            "validation_examples": len(validation),
            "c_values": C_VALUES,
            "risk_head": {
                "c": RISK_C,
                "signals": len(final.risk.signals) if final.risk else 0,
                "fitted_on": "out-of-fold urgency predictions, 5 folds by scenario",
            },
            "verifier": {
                "c": VERIFIER_C,
                "signals": len(final.verifier.signals) if final.verifier else 0,
                "fitted_on": "the same predictions whose risk reaches the P1 threshold",
            },
            "prune_below": PRUNE_BELOW,
            "solver": "scikit-learn LogisticRegression (lbfgs)",
        },
        "validation": {code: t.as_json() for code, t in validation_tallies.items()},
        "weights_sha256": weights_digest(arrays),
    }
    if first_stage is not None:
        manifest["first_stage"] = {
            "name": first_stage.name,
            "weights_sha256": first_stage.weights_sha256,
            "kept": "text heads and risk head as fitted; decision parameters but p1_verify",
            "figures": "validation and cross_validation are of this code retrained",
        }
    if cv_tallies is not None:
        manifest["cross_validation"] = {
            "folds": cv_folds,
            **{code: t.as_json() for code, t in cv_tallies.items()},
        }
    final = from_arrays(arrays, params=params, manifest=manifest)
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(output / f"{name}.npz", **arrays)  # type: ignore[arg-type]
        (output / f"{name}.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        log(f"wrote {output / name}.npz and .json")
    return TrainingReport(params, validation_tallies, cv_tallies, final, arrays, manifest)


def evaluate_examples(
    examples: Sequence[Example],
) -> tuple[dict[str, Tally], dict[str, int], list[str]]:
    """The shipped system (``assess``: rules + artefact) on labelled examples: tallies per
    language (and "all"), right language guesses per language, and the wrong decisions."""
    tallies: dict[str, Tally] = {}
    language: dict[str, int] = {}
    wrong: list[str] = []
    for example in examples:
        result = assess(
            texts=list(example.texts),
            browser_language=example.browser_language,
            prechat=example.prechat,
        )
        for code in (example.language, "all"):
            tallies.setdefault(code, Tally()).add(
                example, result.category, result.urgency, result.possible_risk
            )
            language[code] = language.get(code, 0) + (result.language == example.language)
        if result.urgency != example.urgency or result.category not in example.categories:
            wrong.append(
                f"{example.id}: {result.urgency}/{result.category} "
                f"(want {example.urgency}/{example.category}) {example.texts[-1][:70]!r}"
            )
    ordered = {code: tallies[code] for code in LANGUAGES if code in tallies}
    ordered["all"] = tallies.get("all", Tally())
    return ordered, language, wrong


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def table(tallies: dict[str, Tally], *, language: dict[str, int] | None = None) -> str:
    """A Markdown table per language (and "all"); ``language``: right language guesses."""
    head = (
        "| language | messages | P1 recall | false P1 | urgency exact | category "
        "| P1 or possible risk | others marked possible risk |"
    )
    rule = "|---|---:|---:|---:|---:|---:|---:|---:|"
    if language is not None:
        head += " language guess |"
        rule += "---:|"
    lines = [head, rule]
    for code, counts in tallies.items():
        if not counts.total:
            continue
        figures = counts.as_json()
        line = (
            f"| {code} | {counts.total} | {counts.p1_found}/{counts.p1_total} "
            f"({_percent(figures['p1_recall'])}) | {counts.false_p1}/{counts.other_total} "
            f"({_percent(figures['false_p1'])}) | {_percent(figures['urgency'])} "
            f"| {_percent(figures['category'])} | {_percent(figures['p1_or_marked'])} "
            f"| {_percent(figures['possible_risk_of_others'])} |"
        )
        if language is not None:
            line += f" {_percent(_ratio(language.get(code, 0), counts.total))} |"
        lines.append(line)
    return "\n".join(lines)


def confusion_table(counts: Tally) -> str:
    """Urgency confusion matrix: rows are the labels, columns what triage decided."""
    lines = [
        "| label \\ decided | P1 | P2 | P3 | P4 |",
        "|---|---:|---:|---:|---:|",
    ]
    for gold in URGENCIES:
        row = counts.confusion.get(gold, {})
        lines.append(f"| {gold} | " + " | ".join(str(row.get(got, 0)) for got in URGENCIES) + " |")
    return "\n".join(lines)
