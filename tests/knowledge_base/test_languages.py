"""Which language an article goes out in when the reader's language is missing."""

from __future__ import annotations

import pytest

from core.errors import DomainError, ErrorCode
from knowledge_base.languages import fallback_chain, normalise_language
from knowledge_base.selectors import article_for_insertion


@pytest.mark.parametrize(
    ("language", "chain"),
    [
        ("pl", ["pl", "en"]),
        ("en", ["en", "pl"]),
        ("cs", ["cs", "sk", "en", "pl"]),
        ("sk", ["sk", "cs", "en", "pl"]),
        ("uk", ["uk", "en", "pl"]),
        ("ru", ["ru", "en", "pl"]),
        ("de", ["de", "en", "pl"]),
        ("nb", ["nb", "en", "pl"]),
        ("lt", ["lt", "en", "pl"]),
        ("fr", ["en", "pl"]),
        ("", ["en", "pl"]),
    ],
)
def test_fallback_order(language, chain):
    assert fallback_chain(language) == chain


def test_ukrainian_and_russian_never_stand_in_for_each_other():
    assert "ru" not in fallback_chain("uk")
    assert "uk" not in fallback_chain("ru")


@pytest.mark.parametrize(
    ("raw", "code"), [("pl-PL", "pl"), ("de_AT", "de"), ("NO", "nb"), ("nn", "nb"), (" uk ", "uk")]
)
def test_browser_codes_are_normalised(raw, code):
    assert normalise_language(raw) == code


@pytest.fixture
def partly_translated(make_article):
    return make_article(
        "partly",
        {
            "pl": ("Tytuł", "Treść"),
            "en": ("Title", "Body"),
            "cs": ("Název", "Obsah"),
            "ru": ("Заголовок", "Текст"),
        },
    )


@pytest.mark.parametrize(
    ("requested", "shown", "title"),
    [
        ("cs", "cs", "Název"),
        ("sk", "cs", "Název"),
        ("uk", "en", "Title"),
        ("ru", "ru", "Заголовок"),
        ("nb", "en", "Title"),
        ("de", "en", "Title"),
        ("xx", "en", "Title"),
    ],
)
def test_officer_sees_which_language_goes_out_before_inserting(
    partly_translated, requested, shown, title
):
    view = article_for_insertion(slug="partly", language=requested)
    assert (view.language, view.title) == (shown, title)
    assert view.requested_language == (requested if requested != "xx" else "xx")
    assert view.is_fallback == (requested != shown)


def test_polish_is_the_last_resort(make_article):
    make_article("only-polish", {"pl": ("Tylko po polsku", "Treść")})
    view = article_for_insertion(slug="only-polish", language="uk")
    assert view.language == "pl"


def test_article_without_any_usable_translation_cannot_be_inserted(make_article):
    make_article("only-german", {"de": ("Nur Deutsch", "Text")})
    with pytest.raises(DomainError) as error:
        article_for_insertion(slug="only-german", language="uk")
    assert error.value.code == ErrorCode.NOT_FOUND
    assert article_for_insertion(slug="only-german", language="de").language == "de"


def test_insertion_payload_is_json_ready_and_carries_both_languages(partly_translated):
    payload = article_for_insertion(slug="partly", language="sk").as_payload()
    assert payload["language"] == "cs"
    assert payload["requested_language"] == "sk"
    assert payload["categories"] == []
    assert payload["html"] == "<p>Obsah</p>"
