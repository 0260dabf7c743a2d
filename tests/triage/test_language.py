"""Language detection: priors, short greetings, missing diacritics, capitals, close neighbours."""

from __future__ import annotations

import pytest

from triage.engine import assess
from triage.language import detect_language


@pytest.mark.parametrize(
    ("greeting", "browser"),
    [
        ("dzień dobry", "pl"),
        ("hello", "pl"),
        ("hello", "de"),
        ("добрий день", "uk"),
        ("добрий день", "ru"),
        ("Dobrý den", "sk"),
        ("hallo", "nb"),
        ("hei", "de"),
    ],
)
def test_a_short_greeting_keeps_the_browser_language(greeting: str, browser: str) -> None:
    assert detect_language([greeting], browser_language=browser).language == browser


def test_a_greeting_in_another_language_than_the_browser_is_not_asserted() -> None:
    guess = detect_language(["hello"], browser_language="pl")
    assert guess.language == "pl"
    assert not guess.confident
    assert "en" in guess.candidates


def test_a_ukrainian_greeting_on_a_russian_browser_offers_ukrainian() -> None:
    guess = detect_language(["добрий день"], browser_language="ru")
    assert not guess.confident
    assert guess.candidates[:2] == ["ru", "uk"]


def test_polish_without_diacritics_is_polish() -> None:
    guess = detect_language(["prosze o pomoc, ktos ukradl mi pieniadze"])
    assert guess.language == "pl"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("KTOŚ UKRADŁ MI PIENIĄDZE Z KONTA, CO MAM ROBIĆ", "pl"),
        ("SOMEONE STOLE MONEY FROM MY ACCOUNT, WHAT SHOULD I DO", "en"),
        ("JEMAND HAT MIR GELD VOM KONTO GESTOHLEN, WAS SOLL ICH TUN", "de"),
        ("НЕХТО ВКРАВ ГРОШІ З МОЄЇ КАРТКИ, ЩО МЕНІ РОБИТИ", "uk"),
    ],
)
def test_text_in_capitals_is_detected(text: str, language: str) -> None:
    guess = detect_language([text])
    assert (guess.language, guess.confident) == (language, True)


def test_ukrainian_letters_make_ukrainian() -> None:
    guess = detect_language(["Мені погрожують, що опублікують мої фото"], browser_language="ru")
    assert (guess.language, guess.confident) == ("uk", True)


def test_russian_letters_make_russian() -> None:
    guess = detect_language(["Мы не знаем, что делать, нам угрожают и требуют деньги"])
    assert (guess.language, guess.confident) == ("ru", True)


def test_russian_is_never_asserted_without_russian_letters() -> None:
    # Plausible Russian but also a Ukrainian typing on a Russian keyboard: ask, do not assert.
    guess = detect_language(["помогите пожалуйста, меня обманули на сайте"])
    assert not guess.confident
    assert set(guess.candidates[:2]) == {"uk", "ru"}


def test_ukrainian_latin_i_typed_into_cyrillic_counts_as_ukrainian() -> None:
    guess = detect_language(["менi погрожують, допоможiть будь ласка"])  # Latin "i"
    assert guess.language == "uk"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Potřebuji pomoc, někdo mi ukradl peníze z účtu", "cs"),
        ("Potrebujem pomoc, niekto mi ukradol peniaze z účtu", "sk"),
        ("Dobrý deň, chcel by som nahlásiť podvod, ktorý sa mi stal včera", "sk"),
        ("Dobrý den, chtěl bych nahlásit podvod, který se mi stal včera", "cs"),
    ],
)
def test_czech_and_slovak_are_told_apart(text: str, language: str) -> None:
    assert detect_language([text]).language == language


def test_norwegian_is_norwegian_not_danish() -> None:
    guess = detect_language(["Hei, jeg har blitt lurt på nettet og vet ikke hva jeg skal gjøre"])
    assert (guess.language, guess.confident) == ("nb", True)


def test_evidence_accumulates_over_messages() -> None:
    first = detect_language(["dobry"])
    both = detect_language(["dobry", "ktoś włamał się na moje konto i zmienił hasło, pomocy"])
    assert not first.confident
    assert (both.language, both.confident) == ("pl", True)


def test_a_long_message_overrules_the_browser_language() -> None:
    text = "Dzień dobry, ktoś włamał się na moje konto pocztowe i wysyła wiadomości do znajomych"
    guess = detect_language([text], browser_language="de")
    assert (guess.language, guess.confident) == ("pl", True)


def test_the_citizens_choice_always_wins() -> None:
    result = assess(texts=["Dzień dobry, ktoś ukradł mi pieniądze"], chosen_language="uk")
    assert (result.language, result.language_confident) == ("uk", True)


def test_no_text_gives_the_browser_language_unconfirmed() -> None:
    result = assess(texts=[], browser_language="cs")
    assert (result.language, result.language_confident) == ("cs", False)
    assert result.language_candidates[0] == "cs"


def test_links_and_addresses_do_not_sway_the_language() -> None:
    text = "Мне пришло письмо с https://secure-login.example.com/verify?id=123 что делать"
    assert detect_language([text]).language == "ru"
