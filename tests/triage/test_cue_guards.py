"""Guards of the rules (``cue_guards``, the ``over`` and ``teaching`` tags): danger words said
in a game, as a joke, about a danger that is over or in a lesson do not make the rules say P1,
and the officer sees what was set aside and why."""

from __future__ import annotations

import pytest

from tests.triage.english import english
from tests.triage.ruled import rules_of


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


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("a year ago my ex wrote he would kill me, no contact since", "en"),
        ("four years ago my ex threatened to kill me. can i still report it?", "en"),
        ("rok temu ex napisał że mnie zabije, od tamtej pory brak kontaktu", "pl"),
        ("před čtyřmi lety mi ex vyhrožoval že mě zabije, od té doby nic", "cs"),
        ("pred štyrmi rokmi sa mi bývalý vyhrážal že ma zabije, odvtedy nič", "sk"),
        ("чотири роки тому колишній погрожував мене вбити, відтоді не спілкуємось", "uk"),
        ("год назад бывший писал что убьет меня, с тех пор не общаемся", "ru"),
        ("vor drei Jahren hat mein Ex gedroht mich zu töten, seitdem kein Kontakt", "de"),
        ("prieš ketverius metus buvęs vyras grasino mane nužudyti, nuo tada jokio ryšio", "lt"),
        ("for fire år siden truet eksen min med å drepe meg, ingen kontakt siden", "nb"),
    ],
)
def test_a_threat_made_years_ago_is_not_p1_by_the_rules(text: str, language: str) -> None:
    ruled = rules_of(text, language)
    assert ruled.urgency != "P1"
    assert "tag:long_past" in ruled.signals
    assert [reason["code"] for reason in ruled.discounted] == ["set_aside"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("he threatened to kill me years ago and now he is out of prison", "en"),
        ("two years ago he said he would kill me and he wrote again yesterday", "en"),
        ("dwa lata temu były groził że mnie zabije, wczoraj znowu napisał", "pl"),
        ("před dvěma lety mi vyhrožoval že mě zabije a teď zase píše", "cs"),
        ("pred rokom sa mi vyhrážal že ma zabije a teraz ho pustili z väzenia", "sk"),
        ("рік тому погрожував мене вбити, а тепер знову пише з нового номера", "uk"),
        ("год назад бывший угрожал убить меня, а теперь он вышел из тюрьмы", "ru"),
        ("vor zwei Jahren hat er gedroht mich zu töten, jetzt schreibt er wieder", "de"),
        ("prieš metus grasino mane nužudyti, o vakar vėl parašė", "lt"),
        ("for to år siden truet han med å drepe meg, og i går skrev han igjen", "nb"),
    ],
)
def test_a_threat_made_years_ago_that_is_back_stays_p1(text: str, language: str) -> None:
    ruled = rules_of(text, language)
    assert ruled.urgency == "P1"
    assert "tag:again" in ruled.signals


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("not so long ago my ex wrote that he will kill me", "en"),
        ("nie tak dawno temu były napisał że mnie zabije", "pl"),
        ("for ikke lenge siden skrev eksen at han skal drepe meg", "nb"),
    ],
)
def test_a_threat_made_not_long_ago_is_not_long_past(text: str, language: str) -> None:
    ruled = rules_of(text, language)
    assert ruled.urgency == "P1"
    assert "tag:long_past" not in ruled.signals


def test_the_officer_reads_that_the_threat_is_long_past() -> None:
    ruled = rules_of("a year ago my ex wrote he would kill me, no contact since")
    (text,) = english(ruled.discounted)
    assert text.startswith("not read as threat to life or of violence (“")
    assert "says it happened a year or more ago (“year ago”)" in text


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("five years ago in Germany the boss kept my passport, I have been home for years", "en"),
        ("pred piatimi rokmi mi šéf v Nemecku zobral pas a neplatil, už roky žijem doma", "sk"),
        ("vor fünf Jahren hat der Chef meinen Pass behalten, ich bin seit Jahren zu Hause", "de"),
    ],
)
def test_forced_work_years_ago_is_not_p1_by_the_rules(text: str, language: str) -> None:
    ruled = rules_of(text, language)
    assert ruled.category == "trafficking"
    assert ruled.urgency != "P1"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("rok temu szef zabrał mi paszport, nadal tam jestem i nie płacą", "pl"),
        ("for to år siden tok sjefen passet mitt, jeg er fortsatt der", "nb"),
        ("два года назад хозяин забрал паспорт, я до сих пор там работаю без денег", "ru"),
    ],
)
def test_forced_work_that_began_years_ago_and_goes_on_stays_p1(text: str, language: str) -> None:
    ruled = rules_of(text, language)
    assert ruled.category == "trafficking"
    assert ruled.urgency == "P1"


# A threat that has stopped (`stopped`: "no contact since", "it has been quiet since"): set
# aside unless the danger is back, recent, ongoing, a stalker's or with a weapon.
STOPPED = [
    ("In March my ex wrote that he would kill me. No contact since, I want it on record", "en"),
    ("W marcu były napisał, że mnie zabije. Od tamtej pory cisza, chcę to tylko zgłosić", "pl"),
    ("V březnu mi bývalý napsal, že mě zabije. Od té doby se neozval, chci to jen nahlásit", "cs"),
    ("V marci mi bývalý napísal, že ma zabije. Odvtedy je ticho, chcem to len nahlásiť", "sk"),
    ("У березні колишній написав, що вб'є мене. Відтоді тиша, хочу просто заявити", "uk"),
    ("В марте бывший написал, что убьёт меня. С тех пор тишина, хочу просто заявить", "ru"),
    ("Im März schrieb mein Ex, er bringt mich um. Seitdem ist Ruhe, ich will es nur melden", "de"),
    ("Kovą buvęs parašė, kad mane užmuš. Nuo tada tylu, noriu tik pranešti", "lt"),
    ("I mars skrev eksen at han skal drepe meg. Har vært stille siden, vil bare melde det", "nb"),
]
STOPPED_BUT_BACK = [
    ("In March my ex wrote he would kill me. No contact since, but he came back yesterday", "en"),
    ("W marcu były napisał, że mnie zabije. Od tamtej pory cisza, ale wczoraj znowu napisał", "pl"),
    ("V březnu mi bývalý napsal, že mě zabije. Od té doby se neozval, ale včera zase psal", "cs"),
    ("V marci mi bývalý napísal, že ma zabije. Odvtedy je ticho, ale včera znova písal", "sk"),
    ("У березні колишній написав, що вб'є мене. Відтоді тиша, але вчора знову написав", "uk"),
    ("В марте бывший написал, что убьёт меня. С тех пор тишина, но вчера снова написал", "ru"),
    ("Im März schrieb mein Ex, er bringt mich um. Seitdem Ruhe, gestern schrieb er wieder", "de"),
    ("Kovą buvęs parašė, kad mane užmuš. Nuo tada tylu, bet vakar vėl parašė", "lt"),
    ("I mars skrev eksen at han skal drepe meg. Stille siden, i går skrev han igjen", "nb"),
]


@pytest.mark.parametrize(("text", "language"), STOPPED)
def test_a_threat_that_has_stopped_is_not_p1_by_the_rules(text: str, language: str) -> None:
    ruled = rules_of(text, language)
    assert "tag:stopped" in ruled.signals
    assert ruled.urgency != "P1"
    assert [reason["code"] for reason in ruled.discounted] == ["set_aside"]


@pytest.mark.parametrize(("text", "language"), STOPPED_BUT_BACK)
def test_a_threat_that_stopped_and_is_back_stays_p1(text: str, language: str) -> None:
    assert rules_of(text, language).urgency == "P1"


def test_a_threat_that_stopped_with_a_weapon_or_at_the_door_stays_p1() -> None:
    assert rules_of("he said he will kill me with a knife, no contact since").urgency == "P1"
    at_the_door = "he wrote he will kill me, quiet since, but now he knows my address"
    assert rules_of(at_the_door).urgency == "P1"


# Embarrassment (🙈 😬) after "mum will kill me" about a mishap: set aside like a laugh, but
# not with a weapon, a stalker, a danger back or happening now; fear (😱, 😭) is not it.
EMBARRASSED = [
    ("my dad will kill me when he sees the phone bill 🙈 can the charge be reversed?", "en"),
    ("mama mnie zabije jak zobaczy ile wydałam na gry 😬 da się odzyskać pieniądze?", "pl"),
    ("táta mě zabije, rozbila jsem mu notebook aktualizací 🙈 jde to vrátit?", "cs"),
    ("mama ma zabije, keď uvidí účet za telefón 😬 dá sa to reklamovať?", "sk"),
    ("мене тато вб'є, коли побачить рахунок 🙈 можна повернути гроші?", "uk"),
    ("меня мама убьёт, когда увидит счёт за телефон 😬 можно вернуть деньги?", "ru"),
    ("meine Mutter bringt mich um, wenn sie die Rechnung sieht 🙈 kann man das zurückholen?", "de"),
    ("mama mane užmuš, kai pamatys sąskaitą 😬 ar galima susigrąžinti pinigus?", "lt"),
    ("pappa kommer til å drepe meg når han ser regninga 🙈 kan jeg få pengene tilbake?", "nb"),
]


@pytest.mark.parametrize(("text", "language"), EMBARRASSED)
def test_an_embarrassed_x_will_kill_me_is_not_p1_by_the_rules(text: str, language: str) -> None:
    ruled = rules_of(text, language)
    assert "tag:embarrassed" in ruled.signals
    assert ruled.urgency != "P1"


@pytest.mark.parametrize(
    "text",
    [
        "my husband said he will kill me with a knife 🙈 what do i do",
        "he will kill me 😬 he is outside my door right now",
        "my ex says he will kill me 😱 i am scared",
        "mój mąż mnie zabije 😭 znowu pije i grozi",
    ],
)
def test_a_threat_with_a_weapon_a_stalker_or_fear_stays_p1(text: str) -> None:
    assert rules_of(text, "pl" if "mąż" in text else "en").urgency == "P1"


def test_an_embarrassed_emoji_does_not_hide_the_end_of_a_sentence() -> None:
    ruled = rules_of("ich kann nicht mehr 😬", "de")
    assert "tag:despair" in ruled.signals


# "Is this trafficking?" about a job advert is a question; a worker held asking it is not.
TRAFFICKING_QUESTION = [
    (
        "Advert: work abroad, they want my passport scan first. Is this trafficking?",
        "en",
    ),
    ("Ogłoszenie: praca za granicą, chcą najpierw skan paszportu. Czy to handel ludźmi?", "pl"),
    ("Inzerát: práce v cizině, chtějí nejdřív sken pasu. Je to obchod s lidmi?", "cs"),
    ("Inzerát: práca v zahraničí, chcú najprv sken pasu. Je to obchod s ľuďmi?", "sk"),
    ("Оголошення: робота за кордоном, спершу просять скан паспорта. Чи це торгівля людьми?", "uk"),
    ("Объявление: работа за границей, сначала просят скан паспорта. Это торговля людьми?", "ru"),
    (
        "Anzeige: Arbeit im Ausland, erst wollen sie einen Passscan. Ist das Menschenhandel?",
        "de",
    ),
    ("Skelbimas: darbas užsienyje, pirma prašo paso kopijos. Ar tai prekyba žmonėmis?", "lt"),
    ("Annonse: jobb i utlandet, de vil ha skann av passet først. Er dette menneskehandel?", "nb"),
]


@pytest.mark.parametrize(("text", "language"), TRAFFICKING_QUESTION)
def test_asking_whether_a_job_advert_is_trafficking_is_not_p1(text: str, language: str) -> None:
    ruled = rules_of(text, language)
    assert "tag:question" in ruled.signals
    assert ruled.urgency != "P1"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The boss took our passports, we cannot leave the farm. Is this trafficking?", "en"),
        ("Szef zabrał nam paszporty, nie możemy wyjść z farmy. Czy to handel ludźmi?", "pl"),
        ("Der Chef hat unsere Pässe genommen, wir dürfen nicht weg. Ist das Menschenhandel?", "de"),
        ("Sjefen tok passene våre, vi får ikke dra. Er dette menneskehandel?", "nb"),
    ],
)
def test_a_held_worker_asking_whether_it_is_trafficking_stays_p1(text: str, language: str) -> None:
    assert rules_of(text, language).urgency == "P1"
