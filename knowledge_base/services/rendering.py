"""Keeping each translation's cached HTML and checklist in step with its Markdown body."""

from __future__ import annotations

from collections.abc import Iterable

from knowledge_base.models import Translation
from knowledge_base.rendering import body_revision, checklist_items, render_markdown


def translation_render(*, translation: Translation) -> bool:
    """Render ``translation.body`` into ``rendered_html`` and ``checklist_items`` and save
    them, unless the cached rendering already belongs to this body and renderer version.

    Returns whether anything was rendered.
    """
    revision = body_revision(translation.body)
    if translation.rendered_revision == revision:
        return False
    translation.rendered_html = render_markdown(translation.body)
    translation.checklist_items = checklist_items(translation.body)
    translation.rendered_revision = revision
    translation.save(
        update_fields=["rendered_html", "checklist_items", "rendered_revision", "updated_at"]
    )
    return True


def translations_render_stale(*, translations: Iterable[Translation] | None = None) -> int:
    """Render every translation (default: all) whose cached rendering is out of date.

    Returns how many were rendered.
    """
    rows = Translation.objects.all() if translations is None else translations
    return sum(translation_render(translation=t) for t in rows)
