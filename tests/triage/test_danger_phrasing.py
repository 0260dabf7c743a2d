"""Danger said indirectly is P1; danger words used as figures of speech are not."""

from __future__ import annotations

import pytest

from tests.triage.english import english
from triage.engine import assess


@pytest.mark.parametrize(
    ("text", "browser"),
    [
        ("nie dam rady dłużej, chcę się zabić", "pl"),
        ("Połknęłam całe opakowanie tabletek", "pl"),
        ("i dont want to be here anymore", "en"),
        ("took a bunch of pills, sorry mum", "en"),
        ("nejlepší by bylo, kdybych tu nebyla", "cs"),
        ("Habe gerade Tabletten genommen", "de"),
        ("ich will nicht mehr", "de"),
        ("набридло жити", "uk"),
        ("nematau prasmės gyventi", "lt"),
        ("tenker på å ta livet mitt", "nb"),
    ],
)
def test_indirect_suicidal_statements_are_p1(text: str, browser: str) -> None:
    assert assess(texts=[text], browser_language=browser).urgency == "P1"


def test_hopelessness_with_goodbye_is_p1_but_hopelessness_alone_is_not() -> None:
    both = assess(
        texts=["Mam dość wszystkiego. Chyba to dziś w nocy skończę."], browser_language="pl"
    )
    alone = assess(
        texts=["Mam dość wszystkiego, bank nie odpowiada od tygodnia."], browser_language="pl"
    )
    assert both.urgency == "P1"
    assert any("hopelessness and saying goodbye" in reason for reason in english(both.reasons))
    assert alone.urgency != "P1"


def test_hopelessness_while_blackmailed_is_p1() -> None:
    result = assess(texts=["Nemám už sílu. Vydírá mě kvůli fotkám."], browser_language="cs")
    assert (result.category, result.urgency) == ("sextortion", "P1")


@pytest.mark.parametrize(
    ("text", "browser"),
    [
        ("Ta cena mnie zabija, czy ten sklep to oszustwo?", "pl"),
        ("Ta cena mě zabije, je ten e-shop podvod?", "cs"),
        ("Der Preis bringt mich um, ist der Shop seriös?", "de"),
        ("Den prisen dreper meg, er nettbutikken svindel?", "nb"),
        ("Ich will nicht mehr, dass diese Firma mir Werbung schickt", "de"),
        ("Verkäufer weg. Ich könnte ihn umbringen!", "de"),
    ],
)
def test_figures_of_speech_are_not_danger(text: str, browser: str) -> None:
    assert assess(texts=[text], browser_language=browser).urgency != "P1"


def test_officers_see_which_danger_word_was_read_as_a_figure_of_speech() -> None:
    result = assess(
        texts=["Ta cena mnie zabija, czy ten sklep to oszustwo?"], browser_language="pl"
    )
    assert any(
        "figure of speech" in reason and "not read as threat to life" in reason
        for reason in english(result.reasons)
    )


def test_a_figure_of_speech_does_not_hide_danger_elsewhere_in_the_message() -> None:
    result = assess(
        texts=["Ta cena mnie zabija, a on napisał że mnie znajdzie i zabije"], browser_language="pl"
    )
    assert result.urgency == "P1"


@pytest.mark.parametrize(
    ("text", "browser"),
    [
        ("Pracuju na stavbě v Německu, šéf nám vzal pasy", "cs"),
        ("they took his ID and say he owes them money for the flight", "en"),
        ("Zobrali nám pasy a musíme odrobiť dlh za ubytovanie", "sk"),
    ],
)
def test_confiscated_documents_and_debt_are_p1(text: str, browser: str) -> None:
    result = assess(texts=[text], browser_language=browser)
    assert (result.category, result.urgency) == ("trafficking", "P1")


def test_a_threat_after_the_name_of_the_victim_is_p1() -> None:
    for text, browser in [
        ("Он написал, что найдет меня и убьет", "ru"),
        ("Він написав, що знайде мене і вб'є", "uk"),
        ("Dostávám zprávy, že mě najdou a ublíží mojí rodině", "cs"),
    ]:
        assert assess(texts=[text], browser_language=browser).urgency == "P1", text


def test_despair_at_the_end_of_a_sentence_counts_but_not_before_a_verb() -> None:
    ended = assess(texts=["Ich will nicht mehr. Alles ist weg."], browser_language="de")
    continued = assess(
        texts=["Ich will nicht mehr in dieser WhatsApp-Gruppe sein, die mir Krypto schickt"],
        browser_language="de",
    )
    assert ended.urgency == "P1"
    assert continued.urgency != "P1"


def test_a_means_of_self_harm_with_hopelessness_is_p1_but_pills_bought_online_are_not() -> None:
    means = assess(texts=["I'm not ok. I have the pills in front of me."], browser_language="en")
    shop = assess(
        texts=["I ordered diet pills online and they never arrived"], browser_language="en"
    )
    assert means.urgency == "P1"
    assert any("means of self-harm" in reason for reason in english(means.reasons))
    assert shop.urgency != "P1"


def test_a_weapon_sent_to_someone_is_p1_but_a_knife_bought_online_is_not() -> None:
    sent = assess(
        texts=["Szwagier wysłał mi zdjęcie noża i napisał 'to dla ciebie'"], browser_language="pl"
    )
    bought = assess(
        texts=["Kupiłem nóż na OLX, zapłaciłem i nic nie przyszło"], browser_language="pl"
    )
    assert sent.urgency == "P1"
    assert bought.urgency != "P1"


def test_harassment_by_someone_who_knows_where_the_person_works_is_p1() -> None:
    result = assess(
        texts=["My ex keeps insulting me on Instagram and sent a photo of my car outside my work"],
        browser_language="en",
    )
    assert (result.category, result.urgency) == ("harassment", "P1")


@pytest.mark.parametrize(
    ("text", "browser"),
    [
        ("Переконайтеся, що тут не більше ніж 10 цифр.", "uk"),  # "ніж" is also "than"
        ("Bitte das alte Passwort zweimal eingeben.", "de"),  # not a typo of "passport"
        ("Meine Daten wurden missbraucht, jemand hat einen Kredit aufgenommen", "de"),
        ("He sends her money every month, is this a romance scam?", "en"),
        ("Czy agencja pracy może prosić o skan paszportu przed wyjazdem do Holandii?", "pl"),
    ],
)
def test_words_that_only_resemble_danger_are_not_p1(text: str, browser: str) -> None:
    assert assess(texts=[text], browser_language=browser).urgency != "P1"


@pytest.mark.parametrize(
    ("text", "browser"),
    [
        ("wcześniej pisał że mnie dopadnie", "pl"),  # the data file has "dopadnie mnie"
        ("Він написав, що мене вб'є", "uk"),
    ],
)
def test_a_threat_is_found_whichever_side_of_the_verb_the_pronoun_stands(
    text: str, browser: str
) -> None:
    assert assess(texts=[text], browser_language=browser).urgency == "P1"


def test_a_knife_bought_on_a_marketplace_with_little_else_said_is_not_p1() -> None:
    result = assess(texts=["Kúpil som nôž cez internet a neprišiel"], browser_language="sk")
    assert result.urgency != "P1"
