"""Models of the knowledge base: articles with per-language translations, and canned replies.

Only services in ``knowledge_base.services`` change these rows (the admin calls them after a
save), so the rendered HTML always matches the Markdown it was rendered from.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleKind(models.TextChoices):
    GUIDANCE = "guidance", _("Guidance")
    EVIDENCE_CHECKLIST = "evidence_checklist", _("Evidence checklist")
    SUPPORT_CONTACTS = "support_contacts", _("Support contacts")


def _language_choices() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


class Article(models.Model):
    """One piece of guidance; its text lives in one ``Translation`` per language."""

    slug = models.SlugField(max_length=80, unique=True)
    # Triage category codes (``advice.prechat.CATEGORIES``) this article serves; empty for
    # general articles that help in any case.
    categories = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=24, choices=ArticleKind.choices)
    published = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(
        default=100, help_text=_("Lower comes first in lists.")
    )
    last_reviewed = models.DateField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_base_articles",
    )
    # Hash of the seed metadata last written by ``load_knowledge_base``; blank for articles
    # written in the admin. Lets the loader tell its own values from a supervisor's edits.
    seed_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.slug


class Translation(models.Model):
    """An article's text in one language, with its sanitised HTML cached per body revision."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=8, choices=_language_choices)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=400, blank=True, default="")
    body = models.TextField(help_text=_("Markdown. Raw HTML, images and unsafe links are removed."))
    # Words a victim would write about this topic (comma-separated); they weigh most when
    # articles are suggested for a citizen's messages.
    keywords = models.TextField(blank=True, default="")
    rendered_html = models.TextField(blank=True, default="", editable=False)
    # ``renderer version + sha256(body)`` of the body ``rendered_html`` was made from.
    rendered_revision = models.CharField(max_length=80, blank=True, default="", editable=False)
    # Top-level list items of the body, as plain text (the structured evidence checklist).
    checklist_items = models.JSONField(default=list, blank=True, editable=False)
    seed_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["article", "language"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["article", "language"], name="kb_translation_unique")
        ]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")

    def __str__(self) -> str:
        return f"{self.article.slug} [{self.language}]"


shortcut_validator = RegexValidator(
    r"^/[a-z0-9][a-z0-9_-]{0,30}$",
    _("A slash followed by lower-case letters, digits, '-' or '_', e.g. /hello."),
)


class CannedReply(models.Model):
    """A short snippet officers send often, called up by its shortcut (e.g. ``/hello``)."""

    shortcut = models.CharField(max_length=32, unique=True, validators=[shortcut_validator])
    position = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True)
    seed_hash = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        ordering = ["position", "shortcut"]
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")

    def __str__(self) -> str:
        return self.shortcut


class CannedReplyTranslation(models.Model):
    """The text of a canned reply in one language (plain text, sent as an ordinary message)."""

    reply = models.ForeignKey(CannedReply, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=8, choices=_language_choices)
    title = models.CharField(max_length=120)
    text = models.TextField()
    seed_hash = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        ordering = ["reply", "language"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["reply", "language"], name="kb_reply_translation_unique"
            )
        ]
        verbose_name = _("canned reply translation")
        verbose_name_plural = _("canned reply translations")

    def __str__(self) -> str:
        return f"{self.reply.shortcut} [{self.language}]"
