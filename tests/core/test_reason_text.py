"""Triage reasons read in the officer's own language, with the citizen's words quoted as text."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from core.reason_text import reason_text, reason_texts
from triage.engine import assess

# A Ukrainian citizen writing that money left her account minutes ago.
MONEY = {
    "code": "rule_money_moving",
    "to": "P2",
    "evidence": [
        {"code": "money_sent", "quotes": ["переказала"]},
        {"code": "just_now", "quotes": ["щойно"]},
    ],
}
RISK = {"code": "possible_risk", "quotes": ["<b>не можу</b>"], "probability": 0.31}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "pl",
            "pieniądze wysłane w ciągu ostatnich godzin, bank może jeszcze wstrzymać przelew: "
            "pieniądze wysłane lub zabrane („переказала”); mówi, że stało się to przed chwilą "
            "(„щойно”) → P2",
        ),
        (
            "cs",
            "peníze odešly před několika hodinami, banka je ještě může zastavit: peníze "
            "odeslány nebo vzaty („переказала“); uvádí, že se to stalo právě teď („щойно“) → P2",
        ),
        (
            "uk",
            "гроші переказано протягом кількох годин, банк ще може зупинити переказ: гроші "
            "надіслано або забрано («переказала»); каже, що це сталося щойно («щойно») → P2",
        ),
    ],
)
def test_a_rules_reason_reads_in_the_officers_language_with_the_quoted_words(
    language: str, expected: str
) -> None:
    with translation.override(language):
        assert reason_text(MONEY) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("pl", "(prawdopodobieństwo 0,31)"),
        ("cs", "(pravděpodobnost 0,31)"),
        ("uk", "(ймовірність 0,31)"),
        ("en", "(probability 0.31)"),
    ],
)
def test_the_models_probability_is_written_the_local_way(language: str, expected: str) -> None:
    with translation.override(language):
        assert expected in reason_text(RISK)


def test_a_category_conclusion_names_the_category_in_the_readers_language() -> None:
    reason = {
        "code": "fake_bank_caller",
        "quotes": ["bezpieczne konto"],
        "to": "bank_impersonation",
    }
    with translation.override("cs"):
        assert reason_text(reason) == (
            "volající se vydává za banku nebo policii („bezpieczne konto“) "
            "→ Vydávání se za banku nebo policii"
        )


def test_reasons_stored_as_english_sentences_still_show() -> None:
    old = ['self-harm or suicidal thoughts ("nie chcę żyć") → P1']
    with translation.override("uk"):
        assert reason_texts(old) == old


def test_unknown_shapes_are_skipped_not_shown_as_code() -> None:
    with translation.override("pl"):
        assert reason_texts([{"quotes": ["x"]}, 3, None]) == []
        assert reason_texts("not a list") == []


def test_the_citizens_words_are_escaped_on_a_server_page() -> None:
    page = Template(
        "{% load vocabulary %}{% for text in reasons|reason_texts %}<li>{{ text }}</li>{% endfor %}"
    )
    with translation.override("pl"):
        html = page.render(Context({"reasons": [RISK]}))
    assert "&lt;b&gt;не можу&lt;/b&gt;" in html
    assert "<b>" not in html
    assert html.startswith("<li>możliwe zagrożenie życia lub bezpieczeństwa w „")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("pl", "samookaleczenie lub myśli samobójcze"),
        ("cs", "sebepoškozování"),
        ("uk", "самоушкодження"),
    ],
)
def test_the_same_triage_reads_in_each_officers_language(language: str, words: str) -> None:
    result = assess(texts=["nie chcę już żyć, mam tabletki"], browser_language="pl")
    assert result.urgency == "P1"
    with translation.override(language):
        first = reason_texts(result.reasons)[0]
    assert words in first
    assert "nie chcę już żyć" in first
    assert "self-harm" not in first
