"""The fourteenth and fifteenth precision rounds' rules (docs/triage.md): a
person who puts their affairs in order (keys, a pet, passwords handed over) and then cannot be
reached after a loss is P1; an adult telling of abuse in their own childhood is not P1 by the
child rules, even when the abuser "still" works with children; a child or a parent telling of
the same today still is; a year two or more years back is long past."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.triage.english import english
from tests.triage.ruled import rules_of
from tests.triage.test_combine import PARAMS, _model, _prediction, _rules
from triage.combine import combine
from triage.engine import assess
from triage.matcher import Matcher


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "My uncle lost 60k to a crypto broker. This morning he gave me his dog and said the "
            "passwords are in the drawer. Now he isn't picking up.",
            "en",
        ),
        (
            "Tata stracił oszczędności przez fałszywego konsultanta banku. Rano oddał mi psa, "
            "klucze są u sąsiadki, a teraz nie odbiera.",
            "pl",
        ),
        (
            "Mein Vater hat alles an falsche Polizisten verloren. Heute hat er mir seine Katze "
            "gegeben, die Schlüssel liegen im Briefkasten, und er geht nicht ran.",
            "de",
        ),
        (
            "Брат потерял все деньги на инвестициях. Утром отдал мне собаку, сказал что ключи у "
            "соседа, теперь не берёт трубку.",
            "ru",
        ),
        # "svarer ikke" is also a seller who does not answer (``purchase``): it still counts.
        (
            "Far mistet alt til falske investeringer. Nå sendte han sms: takk for alt, nøkkelen "
            "ligger i postkassa. Han svarer ikke",
            "nb",
        ),
        (
            "Máma přišla o všechno kvůli falešnému bankéři. Dala mi kočku, klíče jsou u "
            "sousedky a teď nebere telefon.",
            "cs",
        ),
    ],
)
def test_affairs_put_in_order_then_silence_after_a_loss_is_p1(text: str, language: str) -> None:
    ruled = rules_of(text, language)
    assert ruled.urgency == "P1"
    assert "tag:arrangements" in ruled.signals
    result = assess(texts=[text], browser_language=language)
    assert result.urgency == "P1"
    shown = " ".join(english(result.reasons))
    assert "puts their affairs in order" in shown


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "I'm moving out next week, the keys are under the mat for the cleaner and I paid all "
            "the bills. Can someone steal my identity from the post left behind?",
            "en",
        ),
        (
            "Wyjeżdżam na urlop, klucze są u sąsiadki, a rachunki opłacone. Czy ktoś może "
            "przejąć moje konto, jeśli ukradnie listy ze skrzynki?",
            "pl",
        ),
    ],
)
def test_keys_and_bills_alone_are_not_a_goodbye(text: str, language: str) -> None:
    assert rules_of(text, language).urgency != "P1"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "I'm 34. When I was 12 my swimming coach made me send him photos. He still coaches "
            "kids in Leeds. Can I report it after so long?",
            "en",
        ),
        (
            "Mam 36 lat. Kiedy miałam 13 lat, trener pisał do mnie po nocach i chciał zdjęć. "
            "Nadal pracuje z dziećmi. Czy mogę to jeszcze zgłosić?",
            "pl",
        ),
        (
            "Ich bin 41. Als ich 11 war, hat mich ein Nachbar fotografiert. Er wohnt immer noch "
            "neben einer Kita. Kann ich das heute noch anzeigen?",
            "de",
        ),
        (
            "Мне 30. Когда мне было 13, взрослый мужчина выманил у меня фото. Он до сих пор "
            "ведёт кружок для детей. Можно ли заявить?",
            "ru",
        ),
    ],
)
def test_an_adults_own_childhood_is_not_a_child_at_risk_now(text: str, language: str) -> None:
    ruled = rules_of(text, language)
    assert "tag:childhood_told" in ruled.signals
    assert ruled.urgency != "P1"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # The writer is a child: what began "when I was 12" is back now.
        (
            "I'm 15. When I was 12 a man made me send photos and now he is messaging me again "
            "and says he will post them",
            "en",
        ),
        # A parent, not the writer's own childhood: a child at risk again.
        (
            "I'm 45. A year ago a man groomed my daughter (13) on Snapchat and now he is "
            "writing to her again from a new account",
            "en",
        ),
    ],
)
def test_a_childs_danger_today_stays_p1(text: str, language: str) -> None:
    ruled = rules_of(text, language)
    assert "tag:childhood_told" not in ruled.signals
    assert ruled.urgency == "P1"


def test_a_number_above_a_bound_is_an_adults_age() -> None:
    matcher = Matcher(("en",))

    def adult(text: str) -> bool:
        return any("adult_writer" in match.cue.tags for match in matcher.find(text))

    assert adult("I'm 35 and this happened long ago")
    assert not adult("I'm 15 and this happened long ago")
    assert not adult("I'm 17")
    assert adult("I'm 18")


def test_a_year_two_or_more_years_back_is_long_past() -> None:
    matcher = Matcher(("en",))
    this_year = datetime.now(tz=UTC).year

    def long_past(text: str) -> bool:
        return any("long_past" in match.cue.tags for match in matcher.find(text))

    assert long_past(f"in {this_year - 3} he threatened me")
    assert long_past(f"from {this_year - 6} to {this_year - 4} I worked there")
    assert not long_past(f"in {this_year} he threatened me")
    assert not long_past(f"in {this_year - 1} he threatened me")
    assert not long_past("in 1000 ways")


def test_a_dated_old_threat_is_not_p1_unless_it_is_back() -> None:
    old = datetime.now(tz=UTC).year - 7
    quiet = (
        f"In {old} my ex wrote that he would kill me. We have had no contact since, he lives "
        "abroad. Is it worth reporting now?"
    )
    assert rules_of(quiet).urgency != "P1"
    back = f"In {old} my ex wrote that he would kill me, and yesterday he wrote it again"
    assert rules_of(back).urgency == "P1"


def test_a_norwegian_goodbye_with_no_answer_is_p1_and_a_silent_seller_is_a_sale() -> None:
    gone = rules_of("Bror tapte alt på krypto. Han skrev 'takk for alt' og svarer ikke", "nb")
    assert gone.urgency == "P1"
    seller = rules_of("Kjøpte en sykkel på Finn og betalte med Vipps, selgeren svarer ikke", "nb")
    assert "tag:purchase" in seller.signals
    assert seller.urgency != "P1"


def test_the_model_alone_does_not_raise_an_adults_own_childhood_to_p1() -> None:
    told = _rules(signals=("tag:childhood_told",))
    held = combine(told, _prediction(0.9), PARAMS, _model())
    assert (held.urgency, held.possible_risk) == ("P3", True)
    # Without that reading the same probability is P1.
    assert combine(_rules(), _prediction(0.9), PARAMS, _model()).urgency == "P1"
