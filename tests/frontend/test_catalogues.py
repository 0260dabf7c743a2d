"""The translation catalogues are complete for every interface language."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PLACEHOLDER = re.compile(r"%\(\w+\)s")
TEMPLATE_STRING = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def frontend_msgids() -> set[tuple[str, str]]:
    """Every (context, msgid) the front end and the shared vocabulary mark for translation."""
    found: set[tuple[str, str]] = set()
    for template in (ROOT / "frontend" / "templates").rglob("*.html"):
        found.update(("", m.group(2)) for m in TEMPLATE_STRING.finditer(template.read_text()))
    sources = [ROOT / "frontend" / "ui_text.py", *sorted((ROOT / "core").glob("*.py"))]
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text())):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            args = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if node.func.id == "_" and len(args) == 1:
                found.add(("", args[0]))
            elif node.func.id in ("pgettext", "pgettext_lazy") and len(args) == 2:
                found.add((args[0], args[1]))
    return found


@pytest.mark.parametrize("language", settings.UI_LANGUAGES)
def test_every_entry_is_translated_and_keeps_its_placeholders(language):
    po = catalogue(language)
    assert po.percent_translated() == 100, [e.msgid for e in po.untranslated_entries()][:10]
    assert po.fuzzy_entries() == []
    for entry in po.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry.msgid)), (
                language,
                entry.msgid,
                text,
            )


@pytest.mark.parametrize("language", settings.UI_LANGUAGES)
def test_every_front_end_string_is_in_the_catalogue(language):
    wanted = frontend_msgids()
    assert len(wanted) > 200
    present = {(e.msgctxt or "", e.msgid) for e in catalogue(language).translated_entries()}
    assert sorted(wanted - present) == []
