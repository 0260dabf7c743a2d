"""The resume-code word list and how typed codes are read."""

from __future__ import annotations

import re

from advice import resume_words

# Rude or hurtful in one of the service's languages (or close to such a word); none may be
# part of the list.
BLOCKED = {
    "dupa",
    "kupa",
    "sika",
    "pipa",
    "pupa",
    "suka",
    "sere",
    "sosi",
    "nazi",
    "kale",
    "pule",
    "pula",
    "puta",
    "pute",
    "kaka",
    "popo",
    "pisa",
    "piza",
    "dura",
    "tupa",
    "zopa",
    "nega",
    "niga",
    "nige",
    "faka",
    "fuka",
    "fiki",
    "riti",
    "mord",
    "mori",
    "gadi",
    "kuta",
    "kuro",
}


def test_the_list_has_4096_distinct_four_letter_consonant_vowel_words():
    words = resume_words.word_list()
    assert len(words) == 4096
    assert len(set(words)) == 4096
    assert all(re.fullmatch(r"[bdfgklmnprstz][aeiou][bdfgklmnprstz][aeiou]", w) for w in words)


def test_the_list_has_none_of_the_blocked_words():
    assert BLOCKED & set(resume_words.word_list()) == set()


def test_a_code_is_six_words_with_at_least_64_bits_of_entropy():
    code = resume_words.code_new()
    assert len(code.split()) == 6
    assert set(code.split()) <= set(resume_words.word_list())
    assert resume_words.entropy_bits() >= 72


def test_capitals_separators_diacritics_and_run_together_words_are_read_the_same():
    code = "kubo rani tele moga sipe daru"
    for typed in (
        "KUBO-RANI-TELE-MOGA-SIPE-DARU",
        "  kubo   rani\ntele,moga. sipe daru ",
        "kuboranitelemogasipedaru",
        "kubó rání tele moga sipe daru",
    ):
        assert resume_words.code_normalise(typed) == code


def test_cyrillic_letters_count_as_their_latin_twins():
    assert resume_words.code_normalise("кубо рані теле мога сіпе дару") == (
        "kubo rani tele moga sipe daru"
    )


def test_words_outside_the_list_or_the_wrong_count_are_not_a_code():
    assert resume_words.code_normalise("kubo rani tele moga sipe") is None
    assert resume_words.code_normalise("kubo rani tele moga sipe daru kubo") is None
    assert resume_words.code_normalise("kubo rani tele moga sipe dupa") is None
    assert resume_words.code_normalise("") is None


def test_the_lookup_key_depends_on_the_first_two_words_and_the_secret_key(settings):
    key = resume_words.lookup_key("kubo rani tele moga sipe daru")
    assert key == resume_words.lookup_key("kubo rani bebe bebe bebe bebe")
    assert key != resume_words.lookup_key("kubo rane tele moga sipe daru")
    assert "kubo" not in key
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert resume_words.lookup_key("kubo rani tele moga sipe daru") != key
