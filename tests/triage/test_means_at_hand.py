"""The means of self-harm at hand right now (``at_hand``, docs/triage.md "Urgency"): a means
with the writer now — pills in front of them, the engine running with a hose on the exhaust,
a father's rifle taken out, standing on a bridge — is P1 by itself, unless the opening is a
purchase, a question, prevention, the news, a game, a joke, or long past or over. And an
embarrassed face palm after "my wife will kill me" is not a threat."""

from __future__ import annotations

import pytest

from tests.triage.english import english
from tests.triage.ruled import rules_of
from triage.engine import RuleAssessment
from triage.matcher import message_tokens
from triage.normalize import clean


def codes(ruled: RuleAssessment) -> list[str]:
    return [reason["code"] for reason in ruled.urgency_reasons]


AT_HAND = [
    (
        "Oszust z banku wyczyścił nam konto. Siedzę w garażu, wąż jest już podłączony do wydechu",
        "pl",
    ),
    ("stracilam wszystko na tej platformie. tabletki mam przed soba, odliczone", "pl"),
    ("prisla jsem o vsechno, stojim na moste a nevim proc vam pisu", "cs"),
    ("vzal jsem tátovu pušku ze skříně, je nabitá", "cs"),
    ("podvodníci zobrali všetko. stojím na koľajniciach za mestom", "sk"),
    ("tabletky mám pred sebou, už som ich odpočítala", "sk"),
    ("lost all our savings to the fake bank. hose on the exhaust, engine is running", "en"),
    ("he posted the video. I'm standing on the roof of my building", "en"),
    ("шахраї забрали все. я стою на даху і пишу вам останнє", "uk"),
    ("ya stoyu na mostu, ne mozhu bilshe", "uk"),
    ("мошенники забрали все деньги. достал отцовское ружьё, оно заряжено", "ru"),
    ("ya stoyu na kryshe, tabletki uzhe peredo mnoj", "ru"),
    ("Die Betrüger haben alles genommen. Ich stehe auf der Brücke", "de"),
    ("hab die Schlaftabletten vor mir liegen, abgezählt", "de"),
    ("sukčiai viską paėmė. stoviu ant tilto", "lt"),
    ("tabletes turiu priešais mane, jau suskaičiavau", "lt"),
    ("svindlerne tok alt. jeg står på brua nå", "nb"),
    ("har tatt fram geværet til pappa, det ligger foran meg", "nb"),
]


@pytest.mark.parametrize(("text", "language"), AT_HAND)
def test_a_means_at_hand_right_now_is_p1_by_the_rules(text: str, language: str) -> None:
    ruled = rules_of(text, language)
    assert {"tag:means", "tag:at_hand"} <= set(ruled.signals)
    assert ruled.urgency == "P1"
    assert "rule_means_at_hand" in codes(ruled)


def test_the_officer_reads_that_the_means_is_at_hand() -> None:
    ruled = rules_of("they took everything. I'm standing on the bridge")
    (text,) = english([r for r in ruled.urgency_reasons if r["code"] == "rule_means_at_hand"])
    assert text.startswith("a means of self-harm at hand right now")
    assert "the means is at hand now" in text
    assert "(“standing on the bridge”)" in text
    assert text.endswith("→ P1")


LOOK_ALIKES = [
    # bought or sold online
    ("kupiłem tabletki na odchudzanie w internetowej aptece, przyszło coś innego", "pl"),
    ("bought a hunting knife and a rope online, paid 60 pounds and nothing came", "en"),
    ("selger en hageslange og engangsgrill på finn, kjøperen vil betale via lenke", "nb"),
    ("sprzedaję wąż do wydechu na olx, kupujący chce płacić przez link", "pl"),
    # a question
    ("is it safe to buy painkillers from an online pharmacy? the prices are in front of me", "en"),
    # a balcony on the phone with a fraudster
    ("stałam na balkonie, kiedy zadzwonił fałszywy policjant, i podałam mu kod BLIK", "pl"),
    ("stála jsem na balkoně, když mi volal falešný bankéř, dala jsem mu kód", "cs"),
    ("я стояла на балконе, когда позвонил лжебанкир, и назвала код", "ru"),
    ("I was standing on the balcony when the fake bank called me", "en"),
    # a hunting licence
    ("I have a hunting licence and want to buy a rifle online, is this shop legit?", "en"),
    ("Ich habe einen Jagdschein und will online ein Gewehr kaufen. Ist der Shop seriös?", "de"),
    ("jeg har våpenkort og vil kjøpe et jaktgevær på nett, er denne butikken trygg?", "nb"),
    # a game, the news, long past and over
    (
        "in the game my mate is standing on the roof with a shotgun lol, can i report a cheater?",
        "en",
    ),
    ("w wiadomościach mówili o kobiecie, która stała na moście. jak chronić rodziców?", "pl"),
    (
        "a year ago I was standing on the bridge, I'm fine now and want to report him",
        "en",
    ),
    # a floor number (a means) with a contract in front of them
    ("mieszkam na 4 piętrze, oszust ma moje dane, mam przed sobą umowę którą podpisałam", "pl"),
    ("bydlím v 5. patře, mám v ruce smlouvu kterou jsem podepsal podvodníkovi", "cs"),
    ("живу на 9 поверсі, тримаю в руці договір від шахраїв", "uk"),
]


@pytest.mark.parametrize(("text", "language"), LOOK_ALIKES)
def test_a_look_alike_of_a_means_at_hand_is_not_p1(text: str, language: str) -> None:
    ruled = rules_of(text, language)
    assert ruled.urgency != "P1"
    assert "rule_means_at_hand" not in codes(ruled)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("tata trzyma w garażu strzelbę ojca i linę", "pl"),
        ("a rope in the garage and my dads shotgun", "en"),
        ("charcoal in a closed room", "en"),
        ("otcova zbraň a hadice na výfuku", "cs"),
        ("на рельсах", "ru"),
        ("деревне вугілля у ванній", "uk"),
        ("Grillkohle im Bad", "de"),
        ("tėvo šautuvas ir migdomieji", "lt"),
        ("pappas hagle og sovetablettene", "nb"),
    ],
)
def test_the_means_vocabulary_holds_rifles_exhausts_charcoal_and_tracks(
    text: str, language: str
) -> None:
    assert "tag:means" in rules_of(text, language).signals


# "X will kill me" with a face palm, a shrug or a skull about a mishap: the normaliser drops
# the zero-width joiner of the gendered and skin-tone forms, the face palm itself stays a word.
FACE_PALM = [
    (
        "my wife will kill me \U0001f926\u200d\u2642\ufe0f I clicked a parcel link, typed nothing",
        "en",
    ),
    (
        "żona mnie zabije \U0001f926\u200d\u2642\ufe0f kliknąłem w link, nic nie wpisałem",
        "pl",
    ),
    ("manželka mě zabije \U0001f926\U0001f3fb\u200d\u2640\ufe0f klikla jsem na odkaz", "cs"),
    ("meine Frau bringt mich um \U0001f937\u200d\u2642\ufe0f hab auf den Link geklickt", "de"),
    ("kona kommer til å drepe meg \U0001f480 trykket på lenka, skrev ikke inn noe", "nb"),
    ("жена меня убьёт \U0001f926 нажал на ссылку, но ничего не вводил", "ru"),
    ("мене дружина вбʼє, упс, не той чат", "uk"),
]


@pytest.mark.parametrize(("text", "language"), FACE_PALM)
def test_my_wife_will_kill_me_with_a_face_palm_is_not_p1(text: str, language: str) -> None:
    ruled = rules_of(text, language)
    assert "tag:embarrassed" in ruled.signals
    assert ruled.urgency != "P1"
    assert [reason["code"] for reason in ruled.discounted] == ["set_aside"]


def test_a_gendered_face_palm_is_read_as_the_face_palm() -> None:
    text = clean("zabije \U0001f926\U0001f3fd\u200d\u2640\ufe0f.")
    assert "\u200d" not in text
    assert [token.text for token in message_tokens(text)] == ["zabije", "\U0001f926"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("my husband says he will kill me with a knife \U0001f926\u200d\u2640\ufe0f", "en"),
        ("mąż powiedział, że mnie zabije nożem \U0001f926\u200d\u2640\ufe0f", "pl"),
        ("my ex says he will kill me, he is waiting for me outside \U0001f937", "en"),
    ],
)
def test_a_threat_with_a_weapon_or_a_stalker_and_a_face_palm_stays_p1(
    text: str, language: str
) -> None:
    assert rules_of(text, language).urgency == "P1"
