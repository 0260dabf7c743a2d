"""A P1 that rests on one lone rule (a threat, stalking, a weapon, trafficking words) needs the
model's corroboration; without it the card is marked possible risk (docs/triage.md,
"Thirteenth precision round")."""

from __future__ import annotations

from dataclasses import replace

import pytest
from scipy import sparse

from tests.triage.english import english
from tests.triage.test_combine import PARAMS, TEXT, _model, _prediction, _rules
from triage import training
from triage.combine import LONE_RULES, combine
from triage.corpus import Example
from triage.engine import RuleAssessment, assess
from triage.features import featurize
from triage.model import default_model
from triage.vocabulary import Reason

CONFIRM = replace(PARAMS, lone_rule_confirm=0.3)


def _ruled(*codes: str, urgency: str = "P1") -> RuleAssessment:
    reasons: list[Reason] = [{"code": code, "quotes": ["zabije"], "to": urgency} for code in codes]
    return replace(_rules(urgency=urgency), urgency_reasons=reasons)


@pytest.mark.parametrize("code", sorted(LONE_RULES))
def test_a_lone_rule_the_model_does_not_confirm_is_marked_possible_risk(code: str) -> None:
    decided = combine(_ruled(code), _prediction(0.05), CONFIRM, _model())
    assert (decided.urgency, decided.possible_risk) == ("P3", True)
    shown = english(decided.reasons)
    assert shown[0].startswith("possible risk to life or safety")
    # The officer still reads the rule's words, without "→ P1".
    assert decided.reasons[1] == {"code": code, "quotes": ["zabije"]}
    assert not shown[1].endswith("P1")


def test_a_lone_rule_stands_when_the_text_alone_reads_p1_or_the_model_raises_it() -> None:
    threat = _ruled("threat_to_life")
    # The urgency head's own P1 probability reaches the confirmation (the risk head is below
    # the P1 threshold): the rule's P1 stands, with the rule's reason.
    assert combine(threat, _prediction(0.35), CONFIRM, _model()).urgency == "P1"
    assert combine(threat, _prediction(0.35), CONFIRM, _model()).reasons[0]["to"] == "P1"
    assert combine(threat, _prediction(0.9), CONFIRM, _model()).urgency == "P1"


@pytest.mark.parametrize(
    "codes",
    [
        ("self_harm",),
        ("rule_child_at_risk",),
        ("rule_minor_abused",),
        ("rule_worker_controlled",),
        ("rule_farewell_after_loss",),
        ("threat_to_life", "rule_stalking"),
        ("rule_trafficking", "trafficking_signs"),
    ],
)
def test_other_rules_and_two_rules_together_always_stand(codes: tuple[str, ...]) -> None:
    assert combine(_ruled(*codes), _prediction(0.01), CONFIRM, _model()).urgency == "P1"


def test_without_the_parameter_every_rules_p1_stands() -> None:
    assert PARAMS.lone_rule_confirm == 0.0
    assert combine(_ruled("threat_to_life"), _prediction(0.01), PARAMS, _model()).urgency == "P1"


def test_a_short_opening_keeps_the_rules_p1() -> None:
    short = replace(_ruled("threat_to_life"), words=2)
    assert combine(short, _prediction(0.01), CONFIRM, _model()).urgency == "P1"


def _prepared(p1_text: float, *, is_p1: bool) -> tuple[training.Prepared, dict[int, object]]:
    example = Example("x-1", "x-s1", "en", tuple(TEXT), "harassment", "P1" if is_p1 else "P3")
    features = featurize(TEXT)
    prepared = training.Prepared(
        [example], [features], [_ruled("threat_to_life")], sparse.csr_matrix((1, 1))
    )
    return prepared, {0: _prediction(p1_text)}


def test_the_confirmation_is_the_highest_that_loses_no_p1_out_of_fold() -> None:
    prepared, predictions = _prepared(0.12, is_p1=True)
    chosen = training.choose_lone_confirm(prepared, predictions, 0.4, 0.0)  # type: ignore[arg-type]
    assert chosen == 0.12
    # No P1 to lose: up to the P1 threshold.
    prepared, predictions = _prepared(0.12, is_p1=False)
    assert training.choose_lone_confirm(prepared, predictions, 0.4, 0.0) == 0.4  # type: ignore[arg-type]
    # A P1 the lowest candidate already loses: off.
    prepared, predictions = _prepared(0.001, is_p1=True)
    assert training.choose_lone_confirm(prepared, predictions, 0.4, 0.0) == 0.0  # type: ignore[arg-type]


def test_the_shipped_artefact_corroborates_lone_rules() -> None:
    model = default_model()
    assert model is not None
    assert 0 < model.params.lone_rule_confirm <= model.params.p1_threshold


@pytest.mark.parametrize(
    ("text", "language", "words"),
    [
        (
            "tahle složenka za plyn mě fakt zabije, 4 tisíce za měsíc, dá se to někam reklamovat?",
            "cs",
            "mě fakt zabije",
        ),
        (
            "this electricity bill is going to kill me, 300 quid for one month, can I complain "
            "about the supplier?",
            "en",
            "going to kill",
        ),
        (
            "ten nowy abonament mnie zabije, 200 zł miesięcznie, da się to gdzieś reklamować?",
            "pl",
            "mnie zabije",
        ),
    ],
)
def test_a_bill_that_will_kill_me_is_marked_not_p1(text: str, language: str, words: str) -> None:
    result = assess(texts=[text], browser_language=language)
    assert (result.urgency != "P1", result.possible_risk) == (True, True)
    shown = english(result.reasons)
    # The officer reads the words the threat rule found, and is asked to check safety.
    assert shown[0].startswith(f"possible risk to life or safety in “{words}”")
    assert shown[1] == f"threat to life or of violence (“{words}”)"


@pytest.mark.parametrize(
    "texts",
    [
        ["my ex says he will kill me tonight, he is outside my house with a knife"],
        ["on napsal ze me zabije, stoji ted pred domem a buši na dvere"],
    ],
)
def test_a_real_threat_stays_p1(texts: list[str]) -> None:
    assert assess(texts=texts).urgency == "P1"
