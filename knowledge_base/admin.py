"""Admin for supervisors editing the knowledge base: articles with their translations, a
preview of the sanitised rendering, a translation-completeness table, and canned replies.

Saving a translation here calls ``translation_render`` so the cached HTML follows the body.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core.vocabulary import Category
from knowledge_base.categories import category_label
from knowledge_base.models import (
    Article,
    CannedReply,
    CannedReplyTranslation,
    Translation,
)
from knowledge_base.rendering import body_revision, render_markdown
from knowledge_base.selectors import translation_completeness
from knowledge_base.services.rendering import translation_render


def _preview(translation: Translation) -> SafeString:
    """The sanitised rendering; fresh if the body changed since the cached one was made."""
    if not translation.pk:
        return mark_safe("")
    html = (
        translation.rendered_html
        if translation.rendered_revision == body_revision(translation.body)
        else render_markdown(translation.body)
    )
    # ``html`` went through bleach's allow-list in knowledge_base.rendering.
    return format_html('<div class="kb-preview">{}</div>', mark_safe(html))  # noqa: S308


class ArticleForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Triage categories this article serves; none for a general article."),
    )

    class Meta:
        model = Article
        fields = ["slug", "kind", "categories", "published", "position", "last_reviewed", "author"]


class TranslationInline(admin.StackedInline):
    model = Translation
    extra = 0
    fields = ["language", "title", "summary", "keywords", "body", "preview"]
    readonly_fields = ["preview"]

    @admin.display(description=_("Sanitised rendering (as saved)"))
    def preview(self, obj: Translation) -> SafeString:
        return _preview(obj)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    inlines = [TranslationInline]
    list_display = [
        "slug",
        "kind",
        "category_names",
        "published",
        "last_reviewed",
        "languages_present",
        "missing_ui_languages",
    ]
    list_filter = ["kind", "published"]
    search_fields = ["slug", "translations__title"]
    change_list_template = "admin/knowledge_base/article/change_list.html"

    class Media:
        css = {"all": ["knowledge_base/admin.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return super().get_queryset(request).prefetch_related("translations")

    @admin.display(description=_("categories"))
    def category_names(self, obj: Article) -> str:
        return ", ".join(category_label(code) for code in obj.categories or [])

    @admin.display(description=_("languages"))
    def languages_present(self, obj: Article) -> str:
        return " ".join(sorted(t.language for t in obj.translations.all()))

    @admin.display(description=_("missing UI languages"))
    def missing_ui_languages(self, obj: Article) -> str:
        present = {t.language for t in obj.translations.all()}
        return " ".join(c for c in settings.ARTICLE_LANGUAGES if c not in present) or "—"

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        if not change and obj.author is None and request.user.is_authenticated:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def save_formset(
        self,
        request: HttpRequest,
        form: Any,
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        super().save_formset(request, form, formset, change)
        for instance in formset.new_objects + [obj for obj, _fields in formset.changed_objects]:
            if isinstance(instance, Translation):
                translation_render(translation=instance)

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path(
                "completeness/",
                self.admin_site.admin_view(self.completeness_view),
                name="knowledge_base_article_completeness",
            )
        ]
        return extra + super().get_urls()

    def completeness_view(self, request: HttpRequest) -> HttpResponse:
        """Table: one row per article, one column per language; missing UI languages stand
        out and link to a pre-filled new translation."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        add_url = reverse("admin:knowledge_base_translation_add")
        rows: list[dict[str, Any]] = []
        incomplete = 0
        for row in translation_completeness():
            incomplete += bool(row.missing_ui)
            cells = []
            for code, _name in settings.LANGUAGES:
                cells.append(
                    {
                        "code": code,
                        "present": code in row.present,
                        "required": code in settings.ARTICLE_LANGUAGES,
                        "add_url": f"{add_url}?article={row.article_id}&language={code}",
                    }
                )
            rows.append({"row": row, "cells": cells})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Translation completeness"),
            "opts": self.model._meta,
            "languages": settings.LANGUAGES,
            "ui_languages": settings.ARTICLE_LANGUAGES,
            "rows": rows,
            "incomplete": incomplete,
        }
        return render(request, "admin/knowledge_base/completeness.html", context)


@admin.register(Translation)
class TranslationAdmin(admin.ModelAdmin):
    list_display = ["article", "language", "title", "updated_at"]
    list_filter = ["language", "article__kind"]
    search_fields = ["title", "summary", "body", "article__slug"]
    fields = ["article", "language", "title", "summary", "keywords", "body", "preview", "items"]
    readonly_fields = ["preview", "items"]

    class Media:
        css = {"all": ["knowledge_base/admin.css"]}

    @admin.display(description=_("Sanitised rendering (as saved)"))
    def preview(self, obj: Translation) -> SafeString:
        return _preview(obj)

    @admin.display(description=_("Checklist items (top-level list items)"))
    def items(self, obj: Translation) -> SafeString:
        return format_html(
            "<ol>{}</ol>", format_html_join("", "<li>{}</li>", ((i,) for i in obj.checklist_items))
        )

    def save_model(self, request: HttpRequest, obj: Translation, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        translation_render(translation=obj)


class CannedReplyTranslationInline(admin.TabularInline):
    model = CannedReplyTranslation
    extra = 0
    fields = ["language", "title", "text"]


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    inlines = [CannedReplyTranslationInline]
    list_display = ["shortcut", "position", "active", "languages_present"]
    list_editable = ["position", "active"]
    fields = ["shortcut", "position", "active"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CannedReply]:
        return super().get_queryset(request).prefetch_related("translations")

    @admin.display(description=_("languages"))
    def languages_present(self, obj: CannedReply) -> str:
        return " ".join(sorted(t.language for t in obj.translations.all()))
