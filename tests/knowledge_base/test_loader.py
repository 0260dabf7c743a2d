"""The shipped seed loads on every start without duplicating or clobbering anything."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from core.vocabulary import Category
from knowledge_base.models import (
    Article,
    ArticleKind,
    CannedReply,
    CannedReplyTranslation,
    Translation,
)
from knowledge_base.services.seed import SEED_DIR, SeedError, seed_load

CATEGORIES = tuple(Category.values)

pytestmark = pytest.mark.django_db


MINI_SEED = ("first-hour", "phishing", "something-else")


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    """A small copy of the shipped seed (three articles, all canned replies) to modify."""
    target = tmp_path / "seed"
    for slug in MINI_SEED:
        shutil.copytree(SEED_DIR / "articles" / slug, target / "articles" / slug)
    entries = json.loads((SEED_DIR / "articles.json").read_text(encoding="utf-8"))
    (target / "articles.json").write_text(
        json.dumps([entry for entry in entries if entry["slug"] in MINI_SEED]), encoding="utf-8"
    )
    shutil.copy(SEED_DIR / "canned_replies.json", target / "canned_replies.json")
    return target


def counts() -> tuple[int, int, int, int]:
    return (
        Article.objects.count(),
        Translation.objects.count(),
        CannedReply.objects.count(),
        CannedReplyTranslation.objects.count(),
    )


def test_loading_twice_creates_nothing_twice(seeded):
    first = counts()
    report = seed_load()
    assert counts() == first
    assert report.created == 0
    assert report.updated == 0
    assert report.rendered == 0
    assert report.kept == []


def test_command_is_what_make_run_calls_and_is_idempotent(seed_copy):
    out = io.StringIO()
    call_command("load_knowledge_base", seed_dir=seed_copy, stdout=out)
    translations = len(list(seed_copy.glob("articles/*/*.md")))
    canned = json.loads((seed_copy / "canned_replies.json").read_text(encoding="utf-8"))
    canned_texts = sum(len(entry["translations"]) for entry in canned)
    created = len(MINI_SEED) + translations + len(canned) + canned_texts
    assert f"{created} created" in out.getvalue()
    first = counts()
    assert first == (len(MINI_SEED), translations, len(canned), canned_texts)
    call_command("load_knowledge_base", seed_dir=seed_copy, verbosity=0)
    assert counts() == first
    assert Translation.objects.filter(rendered_html="").count() == 0


def test_shipped_seed_covers_every_category_in_every_article_language(seeded):
    assert Article.objects.count() >= 15
    for article in Article.objects.all():
        languages = set(article.translations.values_list("language", flat=True))
        assert set(settings.ARTICLE_LANGUAGES) <= languages, article.slug
    for category in CATEGORIES:
        kinds = {
            article.kind for article in Article.objects.all() if category in article.categories
        }
        assert ArticleKind.GUIDANCE in kinds, category
        if category != "other":
            assert ArticleKind.EVIDENCE_CHECKLIST in kinds, category
    general = set(Article.objects.filter(categories=[]).values_list("slug", flat=True))
    assert {
        "first-hour",
        "preserve-evidence",
        "stop-bank-transfer",
        "formal-report",
        "support-for-you",
    } <= general


def test_seed_names_no_phone_numbers_but_the_eu_wide_ones():
    allowed = {"112", "116 006", "116 111", "116006", "116111"}
    phone_like = re.compile(r"(?<![\w-])\+?\d[\d ()/-]{4,}\d(?![\w-])")
    for path in [*SEED_DIR.glob("articles/*/*.md"), SEED_DIR / "canned_replies.json"]:
        text = path.read_text(encoding="utf-8")
        for match in phone_like.findall(text):
            assert match.strip() in allowed, f"{path}: {match}"
        for number in re.findall(r"tel:([^\s)\"]+)", text):
            assert number in allowed, f"{path}: tel:{number}"


def test_changed_seed_text_updates_untouched_rows_and_rerenders(seed_copy):
    seed_load(seed_dir=seed_copy)
    path = seed_copy / "articles" / "first-hour" / "en.md"
    path.write_text(path.read_text(encoding="utf-8").replace("## 1. Are you safe?", "## 1. Safe?"))
    report = seed_load(seed_dir=seed_copy)
    assert report.updated == 1
    translation = Translation.objects.get(article__slug="first-hour", language="en")
    assert "<h2>1. Safe?</h2>" in translation.rendered_html


def test_supervisor_edits_are_kept_unless_forced(seed_copy):
    seed_load(seed_dir=seed_copy)
    translation = Translation.objects.get(article__slug="first-hour", language="pl")
    translation.title = "Pierwsza godzina (wersja jednostki)"
    translation.save()
    path = seed_copy / "articles" / "first-hour" / "pl.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Jeśli komuś", "Gdy komuś"))

    report = seed_load(seed_dir=seed_copy)
    assert report.kept == ["first-hour [pl]"]
    translation.refresh_from_db()
    assert translation.title == "Pierwsza godzina (wersja jednostki)"

    seed_load(seed_dir=seed_copy, force=True)
    translation.refresh_from_db()
    assert translation.title == "Pierwsze kroki w pierwszej godzinie"
    assert "Gdy komuś" in translation.body


def test_an_unpublished_seed_article_stays_unpublished(seeded):
    Article.objects.filter(slug="something-else").update(published=False)
    seed_load()
    assert not Article.objects.get(slug="something-else").published


def test_new_seed_languages_and_articles_are_added(seed_copy):
    seed_load(seed_dir=seed_copy)
    (seed_copy / "articles" / "first-hour" / "lt.md").write_text(
        "title: Pirmieji žingsniai\n---\nSkambinkite 112.\n", encoding="utf-8"
    )
    report = seed_load(seed_dir=seed_copy)
    assert report.created == 1
    assert Translation.objects.filter(article__slug="first-hour", language="lt").exists()


def test_malformed_seed_is_refused_and_nothing_is_written(seed_copy):
    (seed_copy / "articles" / "phishing" / "en.md").write_text("title: No separator\n")
    with pytest.raises(SeedError, match=r"phishing/en\.md"):
        seed_load(seed_dir=seed_copy)
    assert counts() == (0, 0, 0, 0)


def test_seed_with_an_unknown_category_is_refused(seed_copy):
    index = seed_copy / "articles.json"
    entries = json.loads(index.read_text(encoding="utf-8"))
    entries[0]["categories"] = ["not_a_category"]
    index.write_text(json.dumps(entries), encoding="utf-8")
    with pytest.raises(SeedError, match="not_a_category"):
        seed_load(seed_dir=seed_copy)


def test_command_reports_a_broken_seed_as_a_command_error(seed_copy):
    (seed_copy / "articles" / "phishing" / "en.md").write_text("title: x\n")
    with pytest.raises(CommandError, match=r"phishing/en\.md"):
        call_command("load_knowledge_base", seed_dir=seed_copy, verbosity=0)


def test_supervisors_may_edit_but_not_delete_articles(seed_copy):
    call_command("load_knowledge_base", seed_dir=seed_copy, verbosity=0)
    codenames = set(
        Group.objects.get(name="supervisors").permissions.values_list("codename", flat=True)
    )
    assert {"change_article", "add_translation", "change_cannedreply"} <= codenames
    assert "delete_article" not in codenames
