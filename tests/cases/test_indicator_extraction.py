"""Indicators found in what victims write, in several languages: valid ones only, normalised."""

from __future__ import annotations

import hashlib

import pytest

from cases.indicators import Hints, extract_indicators, mask_card_numbers
from cases.indicators.crypto import eth_address_valid, keccak256, sponge256

PL = Hints(country="PL", language="pl")
CZ = Hints(country="CZ", language="cs")


def found(text: str, hints: Hints = PL) -> set[tuple[str, str]]:
    return {(f.kind, f.value) for f in extract_indicators(text, hints)}


def displays(text: str, hints: Hints = PL) -> dict[str, str]:
    return {f.value: f.display for f in extract_indicators(text, hints)}


@pytest.mark.parametrize(
    ("text", "hints", "expected"),
    [
        (
            "Dzwonił do mnie konsultant z numeru 601 234 567 i kazał zainstalować AnyDesk",
            PL,
            {("phone", "+48601234567")},
        ),
        ("Volal mi muž z čísla 731 123 456, že je z banky", CZ, {("phone", "+420731123456")}),
        (
            "Мені дзвонили з 067 123 45 67 і казали, що це служба безпеки банку",
            Hints(country="PL", language="uk"),
            {("phone", "+380671234567")},
        ),
        (
            "Ein Anruf von 0151 23456789, angeblich von der Polizei",
            Hints(country="CZ", language="de"),
            {("phone", "+4915123456789")},
        ),
        ("SMS z numeru 0048 512 345 678", CZ, {("phone", "+48512345678")}),
        (
            "Call me at +420 731 123 456",
            Hints(country="PL", language="en"),
            {("phone", "+420731123456")},
        ),
    ],
)
def test_phone_numbers_are_read_in_the_hinted_region(text, hints, expected):
    assert found(text, hints) == expected


def test_a_national_number_is_read_in_the_language_region_before_the_units():
    # 601 234 567 is a valid mobile number in both Poland and Czechia.
    assert found("číslo 601 234 567", Hints(country="PL", language="cs")) == {
        ("phone", "+420601234567")
    }


@pytest.mark.parametrize(
    ("text", "hints", "value", "details"),
    [
        (
            "przelałam na konto PL61 1090 1014 0000 0712 1981 2874 wczoraj",
            PL,
            "PL61109010140000071219812874",
            {"format": "iban", "country": "PL"},
        ),
        (
            "numer konta 61 1090 1014 0000 0712 1981 2874",
            PL,
            "PL61109010140000071219812874",
            {"format": "nrb"},
        ),
        (
            "poslal jsem to na účet 19-2000145399/0800",
            CZ,
            "CZ6508000000192000145399",
            {"format": "cz_domestic", "bank": "Česká spořitelna, a.s."},
        ),
        (
            "Überweisung an DE89 3704 0044 0532 0130 00 heute",
            Hints(country="CZ", language="de"),
            "DE89370400440532013000",
            {"country": "DE"},
        ),
        (
            "рахунок UA21 3223 1300 0002 6007 2335 6600 1",
            Hints(country="PL", language="uk"),
            "UA213223130000026007233566001",
            {"country": "UA"},
        ),
    ],
)
def test_bank_accounts_are_checksum_validated_ibans(text, hints, value, details):
    [item] = [f for f in extract_indicators(text, hints) if f.kind == "iban"]
    assert item.value == value
    assert details.items() <= item.details.items()


@pytest.mark.parametrize(
    "text",
    [
        "konto PL62 1090 1014 0000 0712 1981 2874",  # wrong IBAN check digits
        "konto 62 1090 1014 0000 0712 1981 2874",  # NRB with a wrong checksum
        "účet 19-2000145398/0800",  # Czech account failing the modulo-11 check
    ],
)
def test_accounts_with_a_bad_checksum_are_ignored(text):
    assert not any(kind == "iban" for kind, _ in found(text, PL if "konto" in text else CZ))


def test_card_numbers_are_stored_masked_never_in_full():
    text = "Podałam dane karty 4111 1111 1111 1111, ważna do 12/27, CVV 123"
    items = extract_indicators(text, PL)
    [card] = [f for f in items if f.kind == "card"]
    assert card.value == "411111******1111"
    assert card.display == "4111 11** **** 1111"
    assert card.details == {"brand": "visa", "length": "16"}
    assert all("4111111111111111" not in repr(f) for f in items)


def test_mastercard_in_czech_and_luhn_failures():
    assert ("card", "550000******0004") in found("karta 5500 0000 0000 0004", CZ)
    assert not any(kind == "card" for kind, _ in found("karta 4111 1111 1111 1112", PL))


def test_card_numbers_are_masked_in_text_but_account_numbers_are_not():
    text = "karta 4111-1111-1111-1111, konto 61 1090 1014 0000 0712 1981 2874"
    assert mask_card_numbers(text) == (
        "karta 411111******1111, konto 61 1090 1014 0000 0712 1981 2874"
    )


def test_urls_and_domains_are_shown_defanged():
    text = "Link w SMS: https://allegro.pl-oferta-24.com/platnosc?id=77. Zapłaciłam."
    assert found(text) == {
        ("url", "https://allegro.pl-oferta-24.com/platnosc?id=77"),
        ("domain", "allegro.pl-oferta-24.com"),
    }
    shown = displays(text)
    assert shown["https://allegro.pl-oferta-24.com/platnosc?id=77"] == (
        "hxxps://allegro[.]pl-oferta-24[.]com/platnosc?id=77"
    )
    assert shown["allegro.pl-oferta-24.com"] == "allegro[.]pl-oferta-24[.]com"


def test_domains_without_a_scheme_defanged_input_and_idn():
    assert ("domain", "paypal-secure-login.com") in found("wejdź na www.paypal-secure-login.com")
    assert ("url", "http://evil.example.com/x") in found("adres hxxp://evil[.]example[.]com/x")
    assert ("domain", "xn--inpost-dopata-5hc.pl") in found("dopłata na inpost-dopłata.pl teraz")
    assert found("faktura.pdf, np. itd., s.r.o., godz. 12.05.2024 o 14.30, v1.2.3") == set()


def test_emails_and_handles():
    text = (
        "Pisał z podpora@ceska-posta-info.cz, na Instagramie @Oszust_123, potem t.me/crypto_guru_pl"
    )
    assert {
        ("email", "podpora@ceska-posta-info.cz"),
        ("handle", "@oszust_123"),
        ("handle", "@crypto_guru_pl"),
    } <= found(text, CZ)
    assert ("handle", "@ceska-posta-info") not in found(text, CZ)


@pytest.mark.parametrize(
    ("address", "chain", "kind"),
    [
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "BTC", "p2pkh"),
        ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "BTC", "p2sh"),
        ("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "BTC", "p2wpkh"),
        ("bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297", "BTC", "p2tr"),
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "ETH", "account"),
        ("0x52908400098527886e0f7030069857d2e4169ee7", "ETH", "account"),
        ("TN3W4H6rK2ce4vX9YnFQHwKENnHjoxb3m9", "TRX", "account"),
    ],
)
def test_wallet_addresses_with_valid_checksums(address, chain, kind):
    [item] = extract_indicators(f"wysłałem USDT na {address} wczoraj", PL)
    assert (item.kind, item.details) == ("crypto", {"chain": chain, "address_type": kind})


@pytest.mark.parametrize(
    "address",
    [
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3",  # base58check checksum off
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr",  # bech32 checksum off
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAEd",  # EIP-55 case pattern off
    ],
)
def test_wallet_addresses_with_bad_checksums_are_ignored(address):
    assert found(f"adres {address}") == set()


def test_eth_addresses_are_normalised_lowercase_and_shown_checksummed():
    [item] = extract_indicators("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", PL)
    assert item.value == "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
    assert item.display == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"


def test_keccak_is_not_sha3_and_matches_published_vectors():
    assert keccak256(b"").hex() == (
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    )
    assert hashlib.sha3_256(b"").hexdigest() != keccak256(b"").hex()
    # The same sponge with SHA-3 padding equals hashlib's SHA3-256 over many block sizes.
    for size in (0, 1, 135, 136, 137, 300, 1000):
        data = bytes(range(256)) * 4
        assert sponge256(data[:size], padding=0x06) == hashlib.sha3_256(data[:size]).digest()
    for checksummed in (
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ):
        assert eth_address_valid(checksummed)
        assert eth_address_valid(checksummed.lower())
        assert not eth_address_valid(checksummed.swapcase())


@pytest.mark.parametrize(
    ("text", "hints", "value"),
    [
        ("mój PESEL to 44051401458", PL, "pl.pesel:44051401458"),
        ("rodné číslo 780123/3540", CZ, "cz.rc:7801233540"),
        ("rodné číslo 7801233540", Hints(country="CZ", language="sk"), "sk.rc:7801233540"),
        ("РНОКПП 1759013776", Hints(country="PL", language="uk"), "ua.rntrc:1759013776"),
        ("asmens kodas 33309240064", Hints(country="PL", language="lt"), "lt.asmens:33309240064"),
        (
            "fødselsnummer 15108695088",
            Hints(country="PL", language="nb"),
            "no.fodselsnummer:15108695088",
        ),
        ("Steuer-ID 36574261809", Hints(country="CZ", language="de"), "de.idnr:36574261809"),
    ],
)
def test_national_id_numbers_are_validated_with_stdnum(text, hints, value):
    assert ("national_id", value) in found(text, hints)


def test_national_id_numbers_with_bad_checksums_are_ignored():
    assert found("PESEL 44051401459") == set()
    assert found("rodné číslo 780123/3541", CZ) == set()


def test_digits_of_an_account_are_not_also_read_as_a_card_or_phone():
    kinds = [kind for kind, _ in found("konto 61 1090 1014 0000 0712 1981 2874")]
    assert kinds == ["iban"]


def test_very_long_urls_are_cut_to_the_stored_size():
    url = "https://phish.example.com/login?" + "&".join(f"p{i}=value{i}" for i in range(60))
    [item] = [f for f in extract_indicators(url, PL) if f.kind == "url"]
    assert len(item.value) == 255
    assert item.value == url[:255]
    assert len(item.display) <= 300
    assert item.details["truncated"] == "true"
