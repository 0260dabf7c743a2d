"""Loading the shipped seed content (articles and canned replies) from data files.

Layout of ``knowledge_base/seed/``:

- ``articles.json``: ``[{"slug", "kind", "categories", "position", "last_reviewed",
  "published"?}, …]`` — the articles, in list order.
- ``articles/<slug>/<language>.md``: one translation. A header of ``title:``, ``summary:``
  and ``keywords:`` lines, a line ``---``, then the Markdown body.
- ``canned_replies.json``: ``[{"shortcut", "position", "translations": {language:
  {"title", "text"}}}, …]``.

Loading is idempotent and safe on every start. Each row remembers a hash of the seed values it
was last given (``seed_hash``). A row whose current values still equal that hash is updated to
new seed values; a row a supervisor has edited since (values differ from the hash) is kept as
it is and reported, unless ``force`` is set. Rows are never deleted, and ``published`` /
``active`` are set only when a row is created, so unpublishing a seed article sticks.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from core.vocabulary import Category
from knowledge_base.languages import supported_languages
from knowledge_base.models import (
    Article,
    ArticleKind,
    CannedReply,
    CannedReplyTranslation,
    Translation,
)
from knowledge_base.services.rendering import translation_render

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
HEADER_FIELDS = ("title", "summary", "keywords")


class SeedError(Exception):
    """The seed files are malformed; the message names the file and the problem."""


@dataclass
class SeedReport:
    """What one load did, counted over articles, translations and canned replies."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rendered: int = 0
    kept: list[str] = field(default_factory=list)

    def count(self, status: str, label: str) -> None:
        if status == "kept":
            self.kept.append(label)
        else:
            setattr(self, status, getattr(self, status) + 1)


@dataclass(frozen=True)
class SeedTranslation:
    language: str
    title: str
    summary: str
    keywords: str
    body: str


@dataclass(frozen=True)
class SeedArticle:
    slug: str
    kind: str
    categories: list[str]
    position: int
    last_reviewed: datetime.date | None
    published: bool
    translations: tuple[SeedTranslation, ...]


def parse_translation_file(path: Path) -> SeedTranslation:
    """Read one ``<language>.md`` seed file (header, ``---``, Markdown body)."""
    content = path.read_text(encoding="utf-8")
    header, separator, body = content.partition("\n---\n")
    if not separator:
        raise SeedError(f"{path}: no '---' line between the header and the body.")
    values: dict[str, str] = {}
    for line in header.splitlines():
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        if not colon or key.strip() not in HEADER_FIELDS:
            raise SeedError(f"{path}: unexpected header line {line!r}.")
        values[key.strip()] = value.strip()
    if not values.get("title") or not body.strip():
        raise SeedError(f"{path}: a title and a body are required.")
    language = path.stem
    if language not in supported_languages():
        raise SeedError(f"{path}: '{language}' is not a supported language.")
    return SeedTranslation(
        language=language,
        title=values["title"],
        summary=values.get("summary", ""),
        keywords=values.get("keywords", ""),
        body=body.strip() + "\n",
    )


def read_seed_articles(seed_dir: Path = SEED_DIR) -> list[SeedArticle]:
    """Every seed article with its translations; raises ``SeedError`` on malformed files."""
    index_path = seed_dir / "articles.json"
    entries = json.loads(index_path.read_text(encoding="utf-8"))
    articles = []
    for entry in entries:
        slug = entry["slug"]
        if entry["kind"] not in ArticleKind.values:
            raise SeedError(f"{index_path}: {slug}: unknown kind {entry['kind']!r}.")
        unknown = set(entry.get("categories", [])) - set(Category.values)
        if unknown:
            raise SeedError(f"{index_path}: {slug}: unknown categories {sorted(unknown)}.")
        files = sorted((seed_dir / "articles" / slug).glob("*.md"))
        if not files:
            raise SeedError(f"{index_path}: {slug}: no translations in articles/{slug}/.")
        reviewed = entry.get("last_reviewed")
        articles.append(
            SeedArticle(
                slug=slug,
                kind=entry["kind"],
                categories=list(entry.get("categories", [])),
                position=int(entry.get("position", 100)),
                last_reviewed=datetime.date.fromisoformat(reviewed) if reviewed else None,
                published=bool(entry.get("published", True)),
                translations=tuple(parse_translation_file(path) for path in files),
            )
        )
    return articles


def _hash(values: Mapping[str, Any]) -> str:
    encoded = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def _sync(instance: models.Model, values: Mapping[str, Any], *, created: bool, force: bool) -> str:
    """Bring one row to its seed ``values`` unless a person edited it; returns the status
    (``created``, ``updated``, ``unchanged`` or ``kept``)."""
    seed_hash = _hash(values)
    current = _hash({name: getattr(instance, name) for name in values})
    stored: str = getattr(instance, "seed_hash", "")
    if not created and current == seed_hash:
        if stored != seed_hash:
            instance.seed_hash = seed_hash  # type: ignore[attr-defined]
            instance.save(update_fields=["seed_hash"])
        return "unchanged"
    if not created and not force and stored != current:
        return "kept"
    for name, value in values.items():
        setattr(instance, name, value)
    instance.seed_hash = seed_hash  # type: ignore[attr-defined]
    instance.save()
    return "created" if created else "updated"


def _load_article(seed: SeedArticle, *, force: bool, report: SeedReport) -> None:
    article, created = Article.objects.get_or_create(
        slug=seed.slug, defaults={"kind": seed.kind, "published": seed.published}
    )
    meta = {
        "kind": seed.kind,
        "categories": seed.categories,
        "position": seed.position,
        "last_reviewed": seed.last_reviewed,
    }
    report.count(_sync(article, meta, created=created, force=force), seed.slug)
    for seed_translation in seed.translations:
        translation = Translation.objects.filter(
            article=article, language=seed_translation.language
        ).first()
        is_new = translation is None
        if translation is None:
            translation = Translation(article=article, language=seed_translation.language)
        values = {
            "title": seed_translation.title,
            "summary": seed_translation.summary,
            "keywords": seed_translation.keywords,
            "body": seed_translation.body,
        }
        label = f"{seed.slug} [{seed_translation.language}]"
        report.count(_sync(translation, values, created=is_new, force=force), label)
        if translation_render(translation=translation):
            report.rendered += 1


def _load_canned_replies(entries: list[dict[str, Any]], *, force: bool, report: SeedReport) -> None:
    for entry in entries:
        shortcut = entry["shortcut"]
        reply, created = CannedReply.objects.get_or_create(shortcut=shortcut)
        meta = {"position": int(entry.get("position", 100))}
        report.count(_sync(reply, meta, created=created, force=force), shortcut)
        for language, texts in entry["translations"].items():
            if language not in supported_languages():
                raise SeedError(f"canned reply {shortcut}: unsupported language {language!r}.")
            translation = CannedReplyTranslation.objects.filter(
                reply=reply, language=language
            ).first()
            is_new = translation is None
            if translation is None:
                translation = CannedReplyTranslation(reply=reply, language=language)
            values = {"title": texts["title"], "text": texts["text"].strip()}
            status = _sync(translation, values, created=is_new, force=force)
            report.count(status, f"{shortcut} [{language}]")


def seed_load(*, seed_dir: Path = SEED_DIR, force: bool = False) -> SeedReport:
    """Create or update the seed articles and canned replies in one transaction.

    Raises ``SeedError`` (and writes nothing) if a seed file is malformed.
    """
    articles = read_seed_articles(seed_dir)
    canned_path = seed_dir / "canned_replies.json"
    canned = json.loads(canned_path.read_text(encoding="utf-8")) if canned_path.exists() else []
    report = SeedReport()
    with transaction.atomic():
        for seed in articles:
            _load_article(seed, force=force, report=report)
        _load_canned_replies(canned, force=force, report=report)
    return report
