"""The twelfth precision round's guards (docs/triage.md, "Twelfth precision round"): a request
for statistics, materials or an interview (`inquiry`), forced work that is over and a victim
who is safe and lives elsewhere now (`over`), abuse in the writer's own childhood (`long_past`)
and a parent's question whether a game chat is "just gaming" (`question`) are not P1 by the
rules; the same topics told as a present case stay P1."""

from __future__ import annotations

import pytest

from tests.triage.english import english
from tests.triage.ruled import rules_of
from triage.engine import assess


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "I'm a sixth-form student writing my dissertation on suicide prevention among "
            "teenagers. Could you share any statistics?",
            "en",
        ),
        (
            "Piszę pracę licencjacką o samobójstwach wśród nastolatków, czy macie jakieś "
            "statystyki albo broszury?",
            "pl",
        ),
        (
            "Jsem novinářka a píšu článek o sebevraždách mladých po vydírání. Mohla bych "
            "udělat rozhovor s někým z policie?",
            "cs",
        ),
        (
            "Ich schreibe eine Facharbeit über Cybergrooming bei Kindern. Gibt es Fallzahlen "
            "für Deutschland?",
            "de",
        ),
        (
            "Jeg har en særoppgave om menneskehandel og tvangsarbeid i Norge. Har dere statistikk?",
            "nb",
        ),
        (
            "Готую доповідь про торгівлю людьми для студентів. Чи є у вас статистика за рік?",
            "uk",
        ),
        ("Делаю реферат про груминг детей в интернете, нужна статистика", "ru"),
        (
            "Rašau straipsnį apie prekybą žmonėmis, ar policija turi duomenų apie atvejus?",
            "lt",
        ),
        (
            "Som učiteľka, pripravujeme projektový deň o prevencii samovrážd. Kto by prišiel "
            "ako prednášajúci?",
            "sk",
        ),
    ],
)
def test_a_request_for_statistics_or_materials_is_not_p1(text: str, language: str) -> None:
    assert rules_of(text, language).urgency != "P1"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "I'm a teacher. One of my pupils (13) told me a man from an online game asks her "
            "for photos and she is meeting him today after school.",
            "en",
        ),
        (
            "Jestem nauczycielką, uczennica (12) pisze z dorosłym facetem, który prosi ją o "
            "zdjęcia, dziś po lekcjach ma się z nim spotkać.",
            "pl",
        ),
        (
            "Ich schreibe eine Facharbeit über Grooming, aber jetzt gerade schreibt ein "
            "fremder Mann meiner Schwester (12), sie soll heute zu ihm kommen.",
            "de",
        ),
        ("Piszę pracę o samobójstwach, ale sama nie chcę już żyć, tabletki mam przed sobą", "pl"),
    ],
)
def test_a_present_case_on_the_same_topic_stays_p1(text: str, language: str) -> None:
    assert rules_of(text, language).urgency == "P1"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "In 2021 an agency took my passport on a farm in Spain. I escaped, now I live in "
            "Leeds, have a steady job and I am safe. I want to testify against them.",
            "en",
        ),
        (
            "W 2020 zabrali mi paszport na budowie w Niemczech. Teraz mieszkam w Gdańsku, "
            "mam stałą pracę. Chcę zeznawać przeciwko agencji.",
            "pl",
        ),
        (
            "2019 hat mir der Chef den Pass weggenommen. Jetzt wohne ich in Köln und habe "
            "eine feste Stelle, ich möchte aussagen.",
            "de",
        ),
        (
            "Забрали паспорт на заводі в Польщі у 2022. Зараз живу в Києві, маю нормальну "
            "роботу. Хочу дати свідчення.",
            "uk",
        ),
        (
            "De tok passet mitt på et fiskebruk i 2021. Nå bor jeg i Tromsø og har fast "
            "jobb, jeg vil vitne.",
            "nb",
        ),
    ],
)
def test_past_control_by_a_writer_safe_now_is_not_p1(text: str, language: str) -> None:
    assert rules_of(text, language).urgency != "P1"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The boss took my passport and I can't leave the farm, they watch us all the time", "en"),
        ("Szef zabrał mi paszport i nie mogę wyjść z hotelu robotniczego, pilnują nas", "pl"),
        ("Der Chef hat meinen Pass weggenommen und wir dürfen nicht raus, sie bewachen uns", "de"),
        ("Бригадир забрав паспорт, нас охороняють і не випускають з гуртожитку", "uk"),
        # "now I live in" is said by a victim safe now, and by a worker kept in now
        (
            "now i live in a container on the farm, the boss took our passports and we cant leave",
            "en",
        ),
        (
            "teraz mieszkam w kontenerze na farmie, szef zabrał nam paszporty i nie możemy "
            "wychodzić",
            "pl",
        ),
        (
            "сейчас я живу в вагончике на стройке, бригадир забрал паспорт, никуда не выпускают",
            "ru",
        ),
        (
            "nå bor jeg i en brakke på fiskemottaket, sjefen tok passet mitt og vi får ikke gå ut",
            "nb",
        ),
        (
            "Ich wohne jetzt in einem Container, die haben unsere Pässe und wir dürfen nicht raus",
            "de",
        ),
    ],
)
def test_a_worker_whose_passport_is_taken_now_stays_p1(text: str, language: str) -> None:
    assert rules_of(text, language).urgency == "P1"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "I'm 29. When I was 12 my uncle abused me. Only now in therapy I understood it "
            "and I want to report him.",
            "en",
        ),
        (
            "Mam 31 lat. Kiedy miałam 10 lat, sąsiad mnie molestował. Dopiero na terapii to "
            "zrozumiałam i chcę to zgłosić.",
            "pl",
        ),
        (
            "Ich bin 27. Als ich 11 war, hat mich mein Trainer missbraucht. In der Therapie "
            "habe ich das verstanden, ich möchte Anzeige erstatten.",
            "de",
        ),
        ("Мне 35. Когда мне было 9, меня растлевал отчим. Хочу подать заявление.", "ru"),
    ],
)
def test_abuse_in_the_writers_own_childhood_is_not_p1(text: str, language: str) -> None:
    assert rules_of(text, language).urgency != "P1"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "When I was 12 he abused me, and now the same man is grooming my little sister "
            "(11), he asks her for nude photos again.",
            "en",
        ),
        (
            "Rok temu obcy mężczyzna z gry prosił córkę (12) o zdjęcia, a wczoraj znowu do niej "
            "napisał i chce się spotkać.",
            "pl",
        ),
    ],
)
def test_abuse_back_again_stays_p1(text: str, language: str) -> None:
    assert rules_of(text, language).urgency == "P1"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "My son (9) plays Roblox and someone in the chat asked him to be best friends. He "
            "didn't answer. Is that normal in games?",
            "en",
        ),
        (
            "Syn (10) gra w Minecrafta i ktoś na czacie napisał mu, że będą kumplami. Syn nie "
            "odpisał. Czy to normalne w grach?",
            "pl",
        ),
        (
            "Datteren min (8) spiller Fortnite og en fremmed skrev til henne i chatten. Hun "
            "svarte ikke. Er det bare gaming?",
            "nb",
        ),
    ],
)
def test_a_parents_question_about_a_game_chat_is_not_p1(text: str, language: str) -> None:
    assert rules_of(text, language).urgency != "P1"


def test_a_meeting_arranged_in_a_game_chat_stays_p1() -> None:
    ruled = rules_of(
        "My son (9) plays Roblox and a man in the chat asks him for photos and wants to meet "
        "him today at the park. Is that normal in games?",
        "en",
    )
    assert ruled.urgency == "P1"


def test_the_officer_reads_why_the_self_harm_words_were_set_aside() -> None:
    ruled = rules_of(
        "I'm writing my dissertation on suicide prevention. Could you share any statistics?",
        "en",
    )
    (text,) = english(ruled.discounted)
    assert text.startswith("not read as self-harm or suicidal thoughts (“")
    assert "asks for statistics, materials, an interview or a speaker" in text


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Córka (9) powiedziała dziś terapeutce, że wujek robi jej zdjęcia w łazience i każe "
            "nikomu nie mówić",
            "pl",
        ),
        (
            "My son (10) told his therapist today that a man from his football club sends him "
            "messages and asks for photos",
            "en",
        ),
        ("Сыну 11, на терапии рассказал, что тренер просит у него фото и зовёт к себе домой", "ru"),
        (
            "Meine Tochter (8) hat ihrer Therapeutin erzählt, dass der Nachbar sie fotografiert",
            "de",
        ),
    ],
)
def test_a_child_who_tells_a_therapist_today_is_not_long_past(text: str, language: str) -> None:
    assert "tag:long_past" not in rules_of(text, language).signals
    assert assess(texts=[text], browser_language=language).urgency == "P1"
