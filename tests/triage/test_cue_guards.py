"""Guards of the rules (``cue_guards``, the ``over`` and ``teaching`` tags): danger words said
in a game, as a joke, about a danger that is over or in a lesson do not make the rules say P1,
and the officer sees what was set aside and why."""

from __future__ import annotations

import pytest

from tests.triage.english import english
from triage.engine import RuleAssessment, assess_rules
from triage.normalize import normalize_messages


def rules_of(text: str, browser_language: str = "en") -> RuleAssessment:
    normalized = normalize_messages([text], language_hint=browser_language)
    return assess_rules(normalized, browser_language=browser_language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("my little brother (10) screams 'im gonna kill you' at his mates in the game", "en"),
        ("brat (11) krzyczy przy valorancie 'zabiję cię' do kolegów", "pl"),
        ("синові 10, грає і кричить «вбʼю тебе» на друга в грі", "uk"),
        ("lillebroren min roper 'jeg dreper deg' til kompisene i spillet", "nb"),
    ],
)
def test_a_threat_shouted_in_a_game_is_not_p1_by_the_rules(text: str, language: str) -> None:
    ruled = rules_of(text, language)
    assert ruled.urgency != "P1"
    assert [reason["code"] for reason in ruled.discounted] == ["set_aside"]


def test_the_officer_reads_what_was_set_aside_and_why() -> None:
    ruled = rules_of("my little brother (10) screams 'im gonna kill you' at his mates in the game")
    (text,) = english(ruled.discounted)
    assert text.startswith("not read as threat to life or of violence (“")
    assert "said in or about a video game (“in the game”)" in text


def test_a_threat_without_a_game_or_a_joke_stays_p1() -> None:
    assert rules_of("my neighbour says he will kill me tonight").urgency == "P1"


def test_a_laughed_off_threat_is_not_p1_by_the_rules() -> None:
    assert rules_of("my sister says she'll kill me if i wear her dress again lol").urgency != "P1"


def test_trafficking_the_person_has_left_is_not_p1_but_still_held_is() -> None:
    over = rules_of(
        "Last year at the farm they took our passports and did not pay. I am back home now "
        "and want to report them"
    )
    held = rules_of("At the farm they took our passports and did not pay, we cannot leave")
    assert (over.category, held.category) == ("trafficking", "trafficking")
    assert over.urgency != "P1"
    assert held.urgency == "P1"


def test_a_lesson_about_grooming_is_not_p1_but_a_pupils_report_is() -> None:
    lesson = rules_of("Do you have materials for a lesson about online grooming for 10 year olds?")
    report = rules_of(
        "A girl from my class (12) told me an adult man on Instagram asks her for nude photos"
    )
    assert lesson.urgency != "P1"
    assert report.urgency == "P1"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("mama mnie zabije jak zobaczy rachunek za telefon 😂", "pl"),
        ("tata mě zabije, až uvidí účet za mobil 🤣", "cs"),
        ("kona sier hun dreper meg hvis jeg glemmer bursdagen hennes 😅", "nb"),
    ],
)
def test_a_threat_laughed_off_with_an_emoji_is_not_p1_by_the_rules(
    text: str, language: str
) -> None:
    ruled = rules_of(text, language)
    assert ruled.urgency != "P1"
    assert [reason["code"] for reason in ruled.discounted] == ["set_aside"]


def test_a_threat_with_a_crying_emoji_stays_p1() -> None:
    assert rules_of("my ex says he will kill me tonight 😭").urgency == "P1"


def test_a_fake_europol_accusation_is_a_pretext_but_a_reported_abuser_is_not() -> None:
    pretext = rules_of("dostałem maila z Europolu, że mam zapłacić karę za pedofilię", "pl")
    abuser = rules_of("zgłosiłam na policję, ale pedofil dalej pisze do córki (11)", "pl")
    assert "tag:pretext" in pretext.signals
    assert pretext.urgency != "P1"
    assert abuser.urgency == "P1"
