"""Invisible formatting characters in a query do not hide its words from search."""

from __future__ import annotations

import pytest

from knowledge_base.selectors import articles_search

pytestmark = pytest.mark.django_db

ZWSP, LRI, PDI = "\u200b", "\u2066", "\u2069"


def test_search_ignores_invisible_characters(seeded_module):
    plain = [view.slug for view in articles_search(query="ransom", language="en")]
    assert plain
    sneaky = articles_search(query=LRI + "ran" + ZWSP + "som" + PDI, language="en")
    assert [view.slug for view in sneaky] == plain
