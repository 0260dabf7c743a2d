"""A waiting citizen is offered the articles that fit what they wrote, in their language."""

from __future__ import annotations

import pytest

from knowledge_base.selectors import articles_suggest

pytestmark = pytest.mark.django_db

GUIDANCE = {
    "phishing": "phishing",
    "bank_impersonation": "fake-bank-calls",
    "marketplace_fraud": "marketplace-fraud",
    "investment_fraud": "investment-fraud",
    "romance_scam": "romance-scam",
    "sextortion": "sextortion",
    "account_takeover": "hacked-account",
    "malware_ransomware": "ransomware",
    "identity_theft": "identity-theft",
    "harassment": "online-harassment",
    "child_abuse": "child-at-risk",
    "trafficking": "job-offer-exploitation",
    "other": "something-else",
}

# The evidence checklist of each category but "other".
CHECKLIST = {
    category: f"evidence-{slug}" for category, slug in GUIDANCE.items() if category != "other"
}
CHECKLIST["harassment"] = "evidence-harassment"

# What citizens actually write, one message per category and UI language.
MESSAGES: dict[str, dict[str, str]] = {
    "pl": {
        "phishing": (
            "Dostałam SMS o dopłacie 1,99 zł do paczki, weszłam w link i wpisałam dane karty"
        ),
        "bank_impersonation": (
            "Zadzwonił pan z działu bezpieczeństwa banku, kazał zainstalować AnyDesk "
            "i przelać oszczędności na bezpieczne konto"
        ),
        "marketplace_fraud": "Kupiłem telefon na OLX, zapłaciłem przelewem a sprzedawca zniknął",
        "investment_fraud": (
            "Zainwestowałem w kryptowaluty przez platformę, opiekun konta mówi że "
            "żeby wypłacić zysk muszę zapłacić podatek"
        ),
        "romance_scam": (
            "Poznałam na Tinderze żołnierza z USA, nigdy się nie widzieliśmy, "
            "prosi o pieniądze na bilet lotniczy"
        ),
        "sextortion": (
            "ktos grozi ze wysle moje nagie zdjecia znajomym jak nie zaplace w bitcoinach"
        ),
        "account_takeover": (
            "Ktoś włamał mi się na Facebooka i pisze do znajomych z prośbą o kod BLIK"
        ),
        "malware_ransomware": "Wszystkie pliki w firmie są zaszyfrowane i jest żądanie okupu",
        "identity_theft": (
            "Przyszło wezwanie do zapłaty za chwilówkę której nie brałem, ktoś użył mojego PESEL"
        ),
        "harassment": "Były partner ciągle mnie nęka, śledzi moje profile i grozi że mnie zabije",
        "child_abuse": (
            "Obcy dorosły pisze do mojej 12-letniej córki na Discordzie i prosi o zdjęcia"
        ),
        "trafficking": "Pojechałem do pracy za granicę, pracodawca zabrał mi paszport i nie płaci",
        "other": "Nie wiem czy to oszustwo, dostałem dziwną wiadomość z nieznanego numeru",
    },
    "cs": {
        "phishing": (
            "Přišla mi SMS o doplatku za balík, klikla jsem na odkaz a zadala údaje z karty"
        ),
        "bank_impersonation": (
            "Volal mi bankéř z bezpečnostního oddělení, mám si nainstalovat AnyDesk "
            "a převést peníze na bezpečný účet"
        ),
        "marketplace_fraud": (
            "Koupil jsem mobil přes Bazoš, zaplatil jsem převodem a balík nepřišel"
        ),
        "investment_fraud": (
            "Investoval jsem do kryptoměn přes platformu a teď nemůžu vybrat peníze, "
            "chtějí poplatek za výběr"
        ),
        "romance_scam": (
            "Na seznamce jsem poznala lékaře ze zahraničí, nikdy jsme se neviděli "
            "a chce peníze na letenku"
        ),
        "sextortion": "Někdo mě vydírá, že pošle moje nahé fotky rodině, když mu nezaplatím",
        "account_takeover": "Někdo mi hacknul Instagram, změnil heslo a píše přátelům o peníze",
        "malware_ransomware": "Na počítači jsou zašifrované soubory a chtějí výkupné v bitcoinech",
        "identity_theft": "Přišla mi upomínka od vymahače za úvěr, který jsem si nikdy nevzal",
        "harassment": "Bývalý přítel mi pořád vyhrožuje, sleduje mě a píše urážky pod fotky",
        "child_abuse": "Nějaký dospělý píše mému synovi (11 let) ve hře Roblox a chce fotky",
        "trafficking": "Agentura mi slíbila práci v zahraničí, vzali mi pas a nedostávám výplatu",
        "other": "Nevím, jestli je to podvod, přišla mi divná zpráva z neznámého čísla",
    },
    "en": {
        "phishing": (
            "I got a text about an unpaid parcel delivery fee, clicked the link and "
            "entered my card number"
        ),
        "bank_impersonation": (
            "A man from my bank's security department called, told me to install AnyDesk "
            "and move my savings to a safe account"
        ),
        "marketplace_fraud": (
            "I paid a seller on Facebook Marketplace for a bike and it never arrived"
        ),
        "investment_fraud": (
            "I invested in crypto on a trading platform and now they want a fee "
            "before I can withdraw"
        ),
        "romance_scam": (
            "I met a man on a dating app, we never met in person and now he asks me "
            "for money for customs fees"
        ),
        "sextortion": (
            "Someone recorded me on webcam and threatens to send the video to my "
            "friends unless I pay"
        ),
        "account_takeover": (
            "My WhatsApp account was hacked and the hacker is asking my friends for money"
        ),
        "malware_ransomware": "All files on our server are encrypted and there is a ransom note",
        "identity_theft": (
            "A debt collector wrote about a loan in my name that I never took, someone "
            "used my passport"
        ),
        "harassment": "My ex keeps threatening me and stalking me online with fake profiles",
        "child_abuse": (
            "A stranger adult is messaging my 13 year old daughter on Snapchat asking "
            "for photos and to meet"
        ),
        "trafficking": (
            "I took a job offer abroad, the employer took my passport and says I owe "
            "a debt and cannot leave"
        ),
        "other": "Is this a scam? I got a strange message from an unknown number",
    },
    "uk": {
        "phishing": (
            "Прийшло SMS про доплату за посилку, я перейшла за посиланням і ввела дані картки"
        ),
        "bank_impersonation": (
            "Зателефонувала служба безпеки банку, сказали встановити AnyDesk і "
            "переказати гроші на безпечний рахунок"
        ),
        "marketplace_fraud": ("Купив телефон на OLX, заплатив продавцю, а посилка не прийшла"),
        "investment_fraud": (
            "Інвестував у криптовалюту через платформу, а тепер не можу вивести гроші, "
            "менеджер вимагає комісію"
        ),
        "romance_scam": (
            "Познайомилася на сайті знайомств з військовим, ми ніколи не бачилися, "
            "просить гроші на квиток"
        ),
        "sextortion": (
            "Мене шантажують, погрожують надіслати мої інтимні фото друзям, якщо я не заплачу"
        ),
        "account_takeover": ("Мені зламали Telegram, хакер пише друзям і просить у них гроші"),
        "malware_ransomware": ("Усі файли на комп'ютері зашифровані, вимагають викуп у біткоїнах"),
        "identity_theft": ("Колектори вимагають сплатити кредит на моє ім'я, якого я не брав"),
        "harassment": "Колишній постійно мені погрожує і переслідує мене в соцмережах",
        "child_abuse": ("Незнайомий дорослий пише моїй доньці (12 років) у TikTok і просить фото"),
        "trafficking": (
            "Поїхала на роботу за кордон, роботодавець забрав паспорт і не платить зарплату"
        ),
        "other": "Не знаю, чи це шахрайство, прийшло дивне повідомлення з невідомого номера",
    },
    "de": {
        "phishing": (
            "Ich habe eine SMS wegen einer Nachzahlung für ein Paket bekommen, auf den "
            "Link geklickt und meine Kartendaten eingegeben"
        ),
        "bank_impersonation": (
            "Ein angeblicher Bankmitarbeiter hat angerufen, ich sollte AnyDesk "
            "installieren und mein Geld auf ein sicheres Konto überweisen"
        ),
        "marketplace_fraud": (
            "Ich habe auf Kleinanzeigen ein Handy gekauft, per Überweisung bezahlt und "
            "nichts bekommen"
        ),
        "investment_fraud": (
            "Ich habe über eine Trading-Plattform in Krypto investiert und kann nichts "
            "auszahlen, sie verlangen eine Gebühr"
        ),
        "romance_scam": (
            "Ich habe online einen Mann kennengelernt, wir haben uns nie getroffen und "
            "er will Geld für Zollgebühren"
        ),
        "sextortion": (
            "Jemand droht, Nacktfotos von mir an meine Familie zu schicken, wenn ich nicht zahle"
        ),
        "account_takeover": (
            "Mein Instagram-Konto wurde gehackt, das Passwort geändert und Freunde "
            "bekommen Nachrichten"
        ),
        "malware_ransomware": "Alle Dateien sind verschlüsselt und es wird Lösegeld verlangt",
        "identity_theft": (
            "Ich habe eine Mahnung für einen Kredit auf meinen Namen bekommen, den ich "
            "nie aufgenommen habe"
        ),
        "harassment": ("Mein Ex-Partner bedroht mich ständig und verfolgt mich mit Fake-Profilen"),
        "child_abuse": (
            "Ein fremder Erwachsener schreibt meiner 12-jährigen Tochter auf Snapchat "
            "und will Fotos"
        ),
        "trafficking": (
            "Die Agentur hat mir Arbeit im Ausland versprochen, jetzt ist mein Pass "
            "weg und ich bekomme keinen Lohn"
        ),
        "other": "Ist das Betrug? Ich habe eine seltsame Nachricht von einer unbekannten Nummer",
    },
}

CASES = [
    (language, category) for language, by_category in MESSAGES.items() for category in by_category
]


@pytest.mark.parametrize(("language", "category"), CASES)
def test_words_alone_bring_the_right_guide_into_the_top_three(seeded_module, language, category):
    """Triage is unsure ("other"): the message's words must still find the article."""
    message = MESSAGES[language][category]
    suggested = articles_suggest(category="other", texts=[message], language=language)
    slugs = [view.slug for view in suggested]
    assert GUIDANCE[category] in slugs, f"{language}/{category}: {slugs}"
    assert all(view.language == language for view in suggested)


@pytest.mark.parametrize(("language", "category"), CASES)
def test_with_the_triage_category_the_guide_comes_first_and_its_checklist_follows(
    seeded_module, language, category
):
    message = MESSAGES[language][category]
    suggested = articles_suggest(category=category, texts=[message], language=language)
    slugs = [view.slug for view in suggested]
    assert slugs[0] == GUIDANCE[category]
    if category != "other":
        assert CHECKLIST[category] in slugs, slugs


def test_money_just_sent_brings_the_stop_a_transfer_article(seeded_module):
    message = "Przelałam 5000 zł oszustowi 10 minut temu, czy bank może jeszcze zatrzymać przelew?"
    suggested = articles_suggest(category="other", texts=[message], language="pl")
    assert "stop-bank-transfer" in [view.slug for view in suggested][:2]


def test_no_words_and_no_category_still_offers_the_general_first_steps(seeded_module):
    suggested = articles_suggest(category="", texts=[], language="en")
    assert [view.slug for view in suggested] == [
        "first-hour",
        "stop-bank-transfer",
        "preserve-evidence",
    ]


def test_limit_is_respected_and_each_article_comes_once(seeded_module):
    texts = [MESSAGES["en"][category] for category in GUIDANCE]
    for limit in (0, 1, 3, 5):
        suggested = articles_suggest(category="phishing", texts=texts, language="en", limit=limit)
        slugs = [view.slug for view in suggested]
        assert len(slugs) == limit
        assert len(set(slugs)) == limit


def test_slovak_reader_gets_czech_and_a_russian_reader_never_ukrainian(seeded_module):
    sk = articles_suggest(category="sextortion", texts=[], language="sk")
    assert (sk[0].slug, sk[0].language) == ("sextortion", "cs")
    assert {view.language for view in sk} <= {"sk", "cs"}
    assert {view.requested_language for view in sk} == {"sk"}
    first_steps = articles_suggest(category="", texts=[], language="sk", limit=1)
    assert (first_steps[0].slug, first_steps[0].language) == ("first-hour", "sk")
    ru = articles_suggest(category="sextortion", texts=["шантаж фото"], language="ru")
    assert "uk" not in {view.language for view in ru}
