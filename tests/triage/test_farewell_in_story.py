"""Risk to life told at the end of a crime story: a farewell message, the person gone or a
means at hand after money was lost or while blackmailed is P1; goodbyes to a bank, a number or
a scammer, an old apology and a rifle or rope in a purchase are not."""

from __future__ import annotations

import pytest

from tests.triage.english import english
from triage.engine import assess


@pytest.mark.parametrize(
    ("texts", "browser"),
    [
        (
            [
                "Oszuści z „banku” kazali mi przelać 40 tys. i przelałem.",
                "Przepraszam was za wszystko, tak będzie lepiej. "
                "Powiedzcie dzieciom, że je kocham.",
            ],
            "pl",
        ),
        (
            [
                "Brata szantażują filmem, zapłacił już dwa razy.",
                "Napisał mi „dzięki za wszystko”, wyłączył telefon i nie ma go w domu.",
            ],
            "pl",
        ),
        (
            [
                "Babička poslala „bankéři“ 200 tisíc.",
                "Teď mi napsala: promiňte mi všechno, postarejte se o děti. Telefon má vypnutý.",
            ],
            "cs",
        ),
        (
            [
                "Manžel stratil v investícii všetky úspory.",
                "Napísal mi, že takto to bude lepšie, a má vypnutý telefón.",
            ],
            "sk",
        ),
        (
            [
                "Tėvas pervedė visas santaupas „brokeriui“.",
                "Dabar parašė „atsiprašau visų“ ir išjungė telefoną.",
            ],
            "lt",
        ),
        (
            [
                "My dad lost his pension to a fake investment site.",
                "He texted 'look after mum, it's better this way' and his phone is off.",
            ],
            "en",
        ),
        (
            [
                "Mein Vater hat 80.000 Euro an falsche Bankmitarbeiter überwiesen.",
                "Er hat geschrieben: Verzeiht mir, es ist besser so. Sein Handy ist aus.",
            ],
            "de",
        ),
        (
            [
                "Søsteren min har sendt alle sparepengene til en svindler.",
                "Hun skrev 'unnskyld for alt, det blir best sånn' og telefonen er av.",
            ],
            "nb",
        ),
        (
            [
                "Отец перевёл все сбережения «службе безопасности банка».",
                "Сейчас написал: простите меня за всё, так будет лучше. Телефон выключен.",
            ],
            "ru",
        ),
        (
            [
                "Мама переказала всі заощадження «слідчому».",
                "Вона написала: пробачте мені всі, так буде краще. Телефон вимкнений.",
            ],
            "uk",
        ),
    ],
)
def test_a_farewell_after_a_loss_or_blackmail_is_p1(texts: list[str], browser: str) -> None:
    assert assess(texts=texts, browser_language=browser).urgency == "P1"


@pytest.mark.parametrize(
    ("text", "browser"),
    [
        ("Straciłem 100 tys. na kryptowalutach, nie chcę być ciężarem, stoję na moście.", "pl"),
        ("Přišel jsem o všechno na burze, nemůžu se jim podívat do očí. Mám doma kulovnici.", "cs"),
        ("Ich habe alles verloren und will niemandem zur Last fallen. Der Motor läuft.", "de"),
        ("Я все потеряла, не хочу быть обузой. Сижу на балконе, 9 этаж.", "ru"),
        ("Jeg har mistet alt, vil ikke være en byrde. Har hagla med meg.", "nb"),
    ],
)
def test_a_means_at_hand_with_shame_or_burden_is_p1(text: str, browser: str) -> None:
    assert assess(texts=[text], browser_language=browser).urgency == "P1"


@pytest.mark.parametrize(
    ("text", "browser"),
    [
        ("Żegnam się z tym sklepem na zawsze, zapłaciłem 200 zł za buty i nic nie przyszło.", "pl"),
        ("Kupiłem sztucer myśliwski na OLX, zapłaciłem 3000 zł i nic nie przyszło.", "pl"),
        (
            "Sbohem, staré číslo! Přecházím k jinému operátorovi, co udělat s ověřováním plateb?",
            "cs",
        ),
        (
            "Pred rokom som podvodníkovi napísala „prepáč mi všetko“, vzal mi 3000 eur. "
            "Teraz som v poriadku, chcem to nahlásiť.",
            "sk",
        ),
        (
            "Pardavėjas parašė „ačiū už viską, viso gero“ ir dingo, sumokėjau 90 eurų už dviratį.",
            "lt",
        ),
        (
            "Goodbye and good riddance to my old bank! I closed the account, "
            "do I need to delete the app?",
            "en",
        ),
        (
            "Last year I wrote 'sorry for everything' to a scammer who took £2k. "
            "I'm fine now, I just want to report it.",
            "en",
        ),
        (
            "Der Verkäufer schrieb „Tschüss, danke für alles“ und löschte sein Konto. "
            "Ich habe 150 € für ein Fahrrad bezahlt.",
            "de",
        ),
        ("Ha det, gamle mobilnummer! Jeg bytter operatør. Hva gjør jeg med BankID?", "nb"),
        (
            "В прошлом году я написала мошеннику «прости меня за всё», он забрал 50 тысяч. "
            "Сейчас я в порядке, хочу подать заявление.",
            "ru",
        ),
        (
            "Продавець написав «бувай, дякую за все» і видалив акаунт. "
            "Я заплатив 900 грн за навушники.",
            "uk",
        ),
    ],
)
def test_goodbyes_to_a_bank_a_number_or_a_scammer_and_old_apologies_are_not_p1(
    text: str, browser: str
) -> None:
    assert assess(texts=[text], browser_language=browser).urgency != "P1"


def test_officers_read_why_a_farewell_after_a_loss_is_p1() -> None:
    result = assess(
        texts=["Mama przelała oszustom oszczędności.", "Napisała: przepraszam was za wszystko."],
        browser_language="pl",
    )
    assert result.urgency == "P1"
    assert any(
        "a farewell message, or the person gone, after a loss or while blackmailed" in reason
        for reason in english(result.reasons)
    )


def test_rules_that_share_a_reason_are_read_once_with_all_their_evidence() -> None:
    result = assess(
        texts=[
            "Mój mąż stracił 80 tysięcy na platformie inwestycyjnej.",
            "Rano zostawił kartkę: przepraszam was za wszystko. Telefon ma wyłączony.",
        ],
        browser_language="pl",
    )
    farewell = [r for r in result.reasons if r["code"] == "rule_farewell_after_loss"]
    assert len(farewell) == 1
    evidence = farewell[0]["evidence"]
    assert [piece["code"] for piece in evidence] == ["farewell", "harm_done", "unreachable"]
    assert len({str(piece) for piece in evidence}) == len(evidence)
