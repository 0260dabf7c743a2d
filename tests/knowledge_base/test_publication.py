"""Only published articles reach citizens and officers."""

from __future__ import annotations

import pytest

from core.errors import DomainError
from knowledge_base.selectors import (
    article_for_insertion,
    articles_published,
    articles_search,
    articles_suggest,
    evidence_checklist,
)


@pytest.fixture
def draft_and_live(make_article):
    make_article(
        "draft-phishing",
        {"en": ("Phishing draft", "- phishing link\n- SMS card")},
        kind="evidence_checklist",
        categories=["phishing"],
        published=False,
    )
    make_article("live", {"en": ("Live phishing article", "Body")}, categories=["phishing"])


def test_drafts_are_never_suggested(draft_and_live):
    suggested = articles_suggest(category="phishing", texts=["phishing link"], language="en")
    assert [view.slug for view in suggested] == ["live"]


def test_drafts_are_not_found_by_officers(draft_and_live):
    assert [view.slug for view in articles_search(query="phishing", language="en")] == ["live"]
    with pytest.raises(DomainError):
        article_for_insertion(slug="draft-phishing", language="en")


def test_drafts_are_not_listed_and_give_no_checklist(draft_and_live):
    assert [view.slug for view in articles_published(language="en")] == ["live"]
    assert evidence_checklist(category="phishing", language="en") == []


def test_an_edited_body_is_shown_even_before_it_is_rendered_again(make_article):
    article = make_article("edited", {"en": ("Title", "Old text")})
    translation = article.translations.get()
    # Changed outside the admin (e.g. in a shell): the cached HTML is stale.
    type(translation).objects.filter(pk=translation.pk).update(body="New **text**")
    assert article_for_insertion(slug="edited", language="en").html == (
        "<p>New <strong>text</strong></p>"
    )
