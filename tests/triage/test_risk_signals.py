"""Tags that are signals for the risk head only (`asks_report`, `supported`, `testify`,
`first_phone`, `no_threat`): found in the nine languages, and never a reason for the rules to
lower a danger said in the same opening."""

from __future__ import annotations

import pytest

from tests.triage.ruled import rules_of

SIGNALS = [
    ("A fake parcel text took 20 euro from me last week. Should I report it?", "en", "asks_report"),
    ("Straciłam 50 zł na fałszywej stronie kuriera. Czy warto to zgłosić?", "pl", "asks_report"),
    ("Na falešném e-shopu jsem přišel o 800 Kč. Mám to nahlásit?", "cs", "asks_report"),
    ("Na falošnom e-shope som prišla o 30 eur. Oplatí sa to nahlásiť?", "sk", "asks_report"),
    ("Втратила 200 гривень на фейковому сайті. Чи варто заявляти?", "uk", "asks_report"),
    ("Потерял 500 рублей на поддельном сайте. Стоит ли заявлять?", "ru", "asks_report"),
    ("Ich habe 20 Euro an einen Fake-Shop verloren. Soll ich das melden?", "de", "asks_report"),
    ("Praradau 20 eurų netikroje parduotuvėje. Ar verta pranešti?", "lt", "asks_report"),
    ("Jeg mistet 200 kr på en falsk nettbutikk. Bør jeg anmelde det?", "nb", "asks_report"),
    (
        "My daughter (13) is teased in a class chat. She talks to us and the school knows.",
        "en",
        "supported",
    ),
    (
        "Córka (13) jest wyśmiewana na grupie klasowej. Rozmawia z nami i szkoła wie.",
        "pl",
        "supported",
    ),
    (
        "Syna (13) ve třídě shazují kvůli brýlím. Mluví s námi a škola o tom ví.",
        "cs",
        "supported",
    ),
    (
        "Dcéru (13) zosmiešňujú v triednej skupine. Rozpráva sa s nami a škola vie.",
        "sk",
        "supported",
    ),
    ("З доньки (13) сміються в чаті класу. Вона розмовляє з нами, школа знає.", "uk", "supported"),
    (
        "Над дочкой (13) смеются в чате класса. Она разговаривает с нами, школа знает.",
        "ru",
        "supported",
    ),
    (
        "Meine Tochter (13) wird im Klassenchat ausgelacht. Sie redet mit uns.",
        "de",
        "supported",
    ),
    ("Dukrą (13) pašiepia klasės grupėje. Ji su mumis kalba, mokykla žino.", "lt", "supported"),
    (
        "Datteren min (13) blir ertet i klassechatten. Hun snakker med oss og skolen vet det.",
        "nb",
        "supported",
    ),
    ("Three years ago I worked unpaid on a farm. I am home and want to testify.", "en", "testify"),
    (
        "Trzy lata temu pracowałem bez wypłaty na farmie. Jestem w domu i chcę zeznawać.",
        "pl",
        "testify",
    ),
    ("Před třemi lety jsem pracoval bez výplaty. Jsem doma a chci svědčit.", "cs", "testify"),
    ("Pred tromi rokmi som pracoval bez výplaty. Som doma a chcem svedčiť.", "sk", "testify"),
    ("Три роки тому я працював без оплати. Я вдома і хочу свідчити.", "uk", "testify"),
    ("Три года назад я работал без оплаты. Я дома и хочу дать показания.", "ru", "testify"),
    (
        "Vor drei Jahren arbeitete ich ohne Lohn. Jetzt will ich als Zeuge aussagen.",
        "de",
        "testify",
    ),
    ("Prieš trejus metus dirbau be atlyginimo. Esu namie ir noriu liudyti.", "lt", "testify"),
    ("For tre år siden jobbet jeg uten lønn. Jeg er hjemme og vil vitne mot dem.", "nb", "testify"),
    ("My son (8) gets his first phone for his birthday. Which apps are fine?", "en", "first_phone"),
    ("Syn (8) dostanie pierwszy telefon na urodziny. Jakie aplikacje są ok?", "pl", "first_phone"),
    (
        "Syn (8) dostane první mobil k narozeninám. Jaké aplikace jsou v pořádku?",
        "cs",
        "first_phone",
    ),
    ("Syn (8) dostane prvý mobil na narodeniny. Aké aplikácie sú v poriadku?", "sk", "first_phone"),
    (
        "Син (8) отримає перший телефон на день народження. Які застосунки безпечні?",
        "uk",
        "first_phone",
    ),
    (
        "Сын (8) получит первый телефон на день рождения. Какие приложения подходят?",
        "ru",
        "first_phone",
    ),
    (
        "Mein Sohn (8) bekommt sein erstes Handy zum Geburtstag. Welche Apps sind okay?",
        "de",
        "first_phone",
    ),
    (
        "Sūnus (8) gaus pirmą telefoną gimtadienio proga. Kokios programėlės tinka?",
        "lt",
        "first_phone",
    ),
    (
        "Sønnen min (8) får sin første mobil til bursdagen. Hvilke apper er greie?",
        "nb",
        "first_phone",
    ),
    (
        "A neighbour films our yard and posts it with jokes. No threats, just rude.",
        "en",
        "no_threat",
    ),
    (
        "Sąsiad nagrywa nasz ogród i wrzuca na grupę. Nie grozi fizycznie, ale to przykre.",
        "pl",
        "no_threat",
    ),
    (
        "Soused natáčí naši zahradu a dává to do skupiny. Nevyhrožuje, jen je hrubý.",
        "cs",
        "no_threat",
    ),
    (
        "Sused natáča našu záhradu a dáva to do skupiny. Nevyhráža sa, len je hrubý.",
        "sk",
        "no_threat",
    ),
    ("Сусід знімає наш двір і викладає в групу. Без погроз, просто неприємно.", "uk", "no_threat"),
    (
        "Сосед снимает наш двор и выкладывает в группу. Без угроз, просто неприятно.",
        "ru",
        "no_threat",
    ),
    (
        "Der Nachbar filmt unseren Garten und postet es. Keine Drohungen, nur peinlich.",
        "de",
        "no_threat",
    ),
    (
        "Kaimynas filmuoja mūsų kiemą ir deda į grupę. Be grasinimų, tik nemalonu.",
        "lt",
        "no_threat",
    ),
    ("Naboen filmer hagen vår og legger det ut. Ingen trusler, bare ekkelt.", "nb", "no_threat"),
]


@pytest.mark.parametrize(("text", "language", "tag"), SIGNALS)
def test_the_signal_is_found(text: str, language: str, tag: str) -> None:
    ruled = rules_of(text, language)
    assert f"tag:{tag}" in ruled.signals
    assert ruled.urgency != "P1"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("My ex says he will kill me tonight. Should I report it?", "en"),
        ("Były mówi, że mnie dziś zabije. Czy warto to zgłosić?", "pl"),
        (
            "A man asks my daughter (12) for nude photos. She talks to us and the school knows.",
            "en",
        ),
        ("Ein Mann verlangt von meiner Tochter (12) Nacktbilder. Sie redet mit uns.", "de"),
        ("They took my passport and lock us in at night. I want to testify.", "en"),
        (
            "Мой сын (12) получил первый телефон, и взрослый мужчина просит у него интимные фото.",
            "ru",
        ),
        ("He does not threaten me, but he waits outside my house every night.", "en"),
        ("Nie grozi mi, ale codziennie czeka pod moim domem.", "pl"),
        ("Sønnen min (12) fikk sin første mobil, og en voksen mann ber ham om nakenbilder.", "nb"),
    ],
)
def test_danger_said_with_a_signal_stays_p1(text: str, language: str) -> None:
    assert rules_of(text, language).urgency == "P1"
