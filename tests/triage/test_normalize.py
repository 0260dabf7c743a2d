"""Normalisation before rules and model: invisible characters, look-alikes, repeats, translit."""

from __future__ import annotations

import pytest

from tests.triage.english import english
from triage.engine import assess
from triage.normalize import clean, normalize_messages
from triage.translit import looks_transliterated, to_cyrillic

SEXTORTION = "He says it's sextortion, he will send my video to my family unless I pay"


@pytest.mark.parametrize("hidden", ["\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e"])
def test_an_invisible_character_inside_a_word_changes_nothing(hidden: str) -> None:
    plain = assess(texts=[SEXTORTION], browser_language="en")
    tricked = assess(
        texts=[SEXTORTION.replace("sextortion", f"sex{hidden}tortion")], browser_language="en"
    )
    assert plain.category == "sextortion"
    assert (tricked.category, tricked.urgency) == (plain.category, plain.urgency)


def test_look_alike_letters_and_compatibility_forms_are_folded() -> None:
    assert clean("sεxtοrtion ｐａｙ 𝐛𝐚𝐧𝐤 ﬁle") == "sextortion pay bank file"


def test_a_letter_repeated_three_times_is_written_once() -> None:
    assert clean("HELPPPP pleeease, my account") == "HELP please, my account"


def test_text_that_is_not_transliterated_is_left_alone() -> None:
    for text, hint in [
        ("Moje heslo bylo změněno, co mam delat", "cs"),
        ("nie wiem co robic, ktos mi grozi ze zabije", "pl"),
        ("my boss will kill me if I lose this account", ""),
        ("Ich habe Angst, er droht mir", "uk"),
    ]:
        assert looks_transliterated([text], hint=hint) == ""
        assert normalize_messages([text], language_hint=hint).texts == [clean(text)]


def test_the_common_schemes_map_to_one_cyrillic_spelling() -> None:
    assert to_cyrillic("shcho", "uk") == to_cyrillic("scho", "uk") == "що"
    assert to_cyrillic("zhyty", "uk") == "жити"
    assert to_cyrillic("menya", "ru") == to_cyrillic("menja", "ru") == "меня"
    assert to_cyrillic("yu", "uk") == to_cyrillic("ju", "uk") == "ю"
    assert to_cyrillic("hochu", "uk") == "хочу"


def test_transliterated_ukrainian_sextortion_of_a_minor_is_p1() -> None:
    text = "meni 14 rokiv, vin pohrozhuie shcho rozishle moi intymni foto yakshcho ne nadishlyu"
    for browser in ("uk", "pl", ""):
        result = assess(texts=[text], browser_language=browser)
        assert (result.language, result.category, result.urgency) == ("uk", "sextortion", "P1")
        assert "written in Latin letters, read as Ukrainian" in english(result.reasons)


def test_transliterated_russian_is_read_as_russian() -> None:
    result = assess(texts=["ya ne hochu bolshe zhit, pomogite"], browser_language="ru")
    assert result.language == "ru"
    assert result.urgency == "P1"
