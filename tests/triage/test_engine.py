"""Category, urgency and reasons: what officers see in the queue."""

from __future__ import annotations

import time

import pytest

from core.vocabulary import Category
from tests.triage.english import english
from triage.data_files import CATEGORIES
from triage.engine import assess, assess_rules
from triage.normalize import normalize_messages

ADVICE_CATEGORIES = tuple(Category.values)


def test_self_harm_wins_over_everything() -> None:
    result = assess(
        texts=["Kliknąłem w link z SMS i podałem dane karty", "nie chcę już żyć"],
        browser_language="pl",
    )
    assert result.urgency == "P1"
    assert result.category == "phishing"
    assert "self-harm" in english(result.reasons)[0]
    assert "→ P1" in english(result.reasons)[0]


@pytest.mark.parametrize(
    "text",
    [
        "He said he will kill me if I go to the police",
        "Він погрожує, що вбʼє мене",
        "Mein Ex droht mir, dass er mich umbringt",
        "Bývalý mi vyhrožuje, že mě zabije",
        "Buvęs vyras grasina mane nužudyti",
    ],
)
def test_threats_to_life_are_p1_in_every_language(text: str) -> None:
    assert assess(texts=[text]).urgency == "P1"


def test_a_minor_being_extorted_is_p1() -> None:
    result = assess(texts=["im 15 and someone wants money or he posts my nudes"])
    assert (result.category, result.urgency) == ("sextortion", "P1")


def test_an_adult_being_extorted_is_standard() -> None:
    result = assess(texts=["Someone is blackmailing me with nude pictures and wants 500 euro"])
    assert (result.category, result.urgency) == ("sextortion", "P3")


def test_prechat_in_danger_is_p1_whatever_the_text() -> None:
    result = assess(texts=["dzień dobry"], prechat={"in_danger": True})
    assert result.urgency == "P1"
    assert any("in danger" in reason for reason in english(result.reasons))


def test_prechat_under_18_with_sextortion_is_p1() -> None:
    result = assess(texts=["hello"], prechat={"what_happened": "sextortion", "under_18": True})
    assert (result.category, result.urgency) == ("sextortion", "P1")


def test_prechat_under_18_with_a_bought_bike_is_not_p1() -> None:
    result = assess(
        texts=["I paid for a bike on a marketplace and the seller disappeared"],
        prechat={"under_18": True},
    )
    assert (result.category, result.urgency) == ("marketplace_fraud", "P3")


def test_prechat_happening_now_raises_financial_harm_to_p2() -> None:
    text = "Dostałam SMS z linkiem do dopłaty za paczkę i podałam dane karty"
    assert assess(texts=[text]).urgency == "P3"
    assert assess(texts=[text], prechat={"happening_now": True}).urgency == "P2"


def test_prechat_happening_now_does_not_raise_harassment() -> None:
    result = assess(
        texts=["Ktoś mnie nęka na Instagramie i obraża"], prechat={"happening_now": True}
    )
    assert (result.category, result.urgency) == ("harassment", "P3")


def test_prechat_category_is_used_when_the_text_says_nothing() -> None:
    result = assess(texts=["dobry den"], prechat={"what_happened": "identity_theft"})
    assert result.category == "identity_theft"


def test_the_text_can_overrule_the_prechat_category() -> None:
    result = assess(
        texts=[
            "Zadzwonił pan z banku, kazał zainstalować AnyDesk i przelać pieniądze "
            "na bezpieczne konto"
        ],
        prechat={"what_happened": "phishing"},
    )
    assert result.category == "bank_impersonation"


def test_money_sent_just_now_is_p2_with_the_reason_quoted() -> None:
    result = assess(texts=["Przelałam przed chwilą 3000 zł na konto z SMS-a"])
    assert result.urgency == "P2"
    first = english(result.reasons)[0]
    assert "“przed chwilą”" in first
    assert first.endswith("→ P2")


def test_money_sent_last_week_is_p3() -> None:
    result = assess(texts=["I transferred 2000 euro to the seller last week, nothing arrived"])
    assert result.urgency == "P3"


def test_a_caller_still_on_the_line_is_p2() -> None:
    result = assess(texts=["Der falsche Bankmitarbeiter ist immer noch am Telefon"])
    assert (result.category, result.urgency) == ("bank_impersonation", "P2")


def test_is_this_a_scam_is_p4() -> None:
    result = assess(texts=["Is this a scam? I got an SMS from DHL asking for a customs fee"])
    assert (result.category, result.urgency) == ("phishing", "P4")


def test_a_denied_click_is_not_harm() -> None:
    result = assess(texts=["Got a fake PayPal email, I didn't click the link"])
    assert result.urgency == "P4"


def test_a_question_after_harm_is_not_p4() -> None:
    result = assess(texts=["I paid 300 for a phone on eBay and it never arrived. Is it a scam?"])
    assert result.urgency == "P3"


def test_one_weak_word_is_not_a_category() -> None:
    assert assess(texts=["przelałem"]).category == "other"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Zainwestowałam w kryptowaluty na platformie", "investment_fraud"),
        ("zainwestowalem w kryptowaluty na platformie", "investment_fraud"),
        ("Zainwestowałem w krytpowaluty na platformie", "investment_fraud"),  # typo
        ("Investovala jsem do kryptoměn přes platformu", "investment_fraud"),
        ("Я вклала гроші в криптовалюту на платформі", "investment_fraud"),
        ("Investavau į kriptovaliutų platformą", "investment_fraud"),
    ],
)
def test_inflections_typos_and_missing_diacritics_match(text: str, category: str) -> None:
    assert assess(texts=[text]).category == category


def test_latin_letters_hidden_in_cyrillic_words_still_match() -> None:
    # "шантажують" with a Latin "a" and "o" in "погрожують".
    result = assess(texts=["мене шантажуют, пoгрожують розіслати інтимні фото"])
    assert result.category == "sextortion"


def test_a_greeting_alone_is_standard_other() -> None:
    result = assess(texts=["dzień dobry"], browser_language="pl")
    assert (result.category, result.urgency) == ("other", "P3")
    assert result.reasons


def test_every_result_uses_the_shared_vocabulary() -> None:
    assert tuple(CATEGORIES) == tuple(ADVICE_CATEGORIES)
    result = assess(texts=["Ktoś zhakował mi konto na Facebooku wczoraj"])
    assert result.category in CATEGORIES
    assert result.urgency in {"P1", "P2", "P3", "P4"}


def test_assessment_is_repeatable() -> None:
    texts = ["Hi, somebody hacked my Instagram", "they changed the password just now"]
    assert assess(texts=texts) == assess(texts=texts)


def test_assess_is_fast_once_loaded() -> None:
    texts = ["Dzień dobry, przed chwilą przelałem pieniądze na bezpieczne konto z banku"]
    assess(texts=texts)
    started = time.perf_counter()
    for _ in range(50):
        assess(texts=texts)
    assert (time.perf_counter() - started) / 50 < 0.005


def test_a_denied_danger_is_still_shown_as_p1() -> None:
    result = assess(texts=["I would never kill myself, but he keeps threatening me"])
    assert result.urgency == "P1"


def test_an_officers_language_correction_keeps_the_texts_cues() -> None:
    result = assess(
        texts=["Mam 14 lat i ktoś grozi, że roześle moje nagie zdjęcia"], chosen_language="uk"
    )
    assert (result.language, result.category, result.urgency) == ("uk", "sextortion", "P1")


@pytest.mark.parametrize(
    ("texts", "asks_only"),
    [
        (["is this a scam?", "what should parents do?"], True),
        (["Czy to normalne?? Co robić?"], True),
        (["my son (12) gets gifts from a man online. is this normal?"], False),
        (["он пишет каждую ночь", "что делать?"], False),
    ],
)
def test_an_opening_made_only_of_questions_is_a_signal_for_the_risk_head(
    texts: list[str], asks_only: bool
) -> None:
    ruled = assess_rules(normalize_messages(texts))
    assert ("form:all_questions" in ruled.signals) is asks_only
