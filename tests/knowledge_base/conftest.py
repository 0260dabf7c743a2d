"""Fixtures of the knowledge-base tests: the shipped seed, and small hand-made articles."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from knowledge_base.models import Article, ArticleKind, Translation
from knowledge_base.services.rendering import translation_render
from knowledge_base.services.seed import SeedReport, seed_load


@pytest.fixture
def seeded(db: None) -> SeedReport:
    """The shipped seed content, loaded as ``make run`` loads it."""
    return seed_load()


@pytest.fixture
def make_article(db: None) -> Callable[..., Article]:
    """An article with translations ``{language: (title, body)}``, rendered like the admin does."""

    def make(
        slug: str,
        translations: dict[str, tuple[str, str]],
        *,
        kind: str = ArticleKind.GUIDANCE,
        categories: list[str] | None = None,
        published: bool = True,
        position: int = 100,
    ) -> Article:
        article = Article.objects.create(
            slug=slug,
            kind=kind,
            categories=categories or [],
            published=published,
            position=position,
        )
        for language, (title, body) in translations.items():
            translation = Translation.objects.create(
                article=article, language=language, title=title, summary="", body=body
            )
            translation_render(translation=translation)
        return article

    return make


@pytest.fixture(scope="module")
def seeded_module(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> object:
    """The seed loaded once for a whole module of read-only tests (removed afterwards).

    Tests using it must still be marked ``django_db`` and must not change knowledge-base rows.
    """
    from knowledge_base.models import CannedReply

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        report = seed_load()
        yield report
        Article.objects.all().delete()
        CannedReply.objects.all().delete()
