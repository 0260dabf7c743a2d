"""The console writes triage reasons exactly as the server does, in every officer's language
(frontend/.../common/reason_text.js against core/reason_text.py)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from core.reason_text import reason_table, reason_texts
from tests.frontend.node import node_or_skip
from triage.engine import assess

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "frontend" / "static" / "frontend" / "js" / "common" / "reason_text.js"

REASONS: list[Any] = [
    *assess(
        texts=["Przed chwilą przelałem 5000 zł na bezpieczne konto, pan z banku nadal dzwoni"],
        browser_language="pl",
    ).reasons,
    *assess(texts=["Mój chłopak jest bardzo zazdrosny i sprawdza mój telefon"]).reasons,
    *assess(texts=["Ta cena mnie zabija, czy ten sklep to oszustwo?"]).reasons,
    *assess(texts=["ne bachu sensu zhyty"], browser_language="uk").reasons,
    {"code": "language_uncertain", "languages": ["uk", "ru"]},
    {"code": "citizen_not_safe", "to": "P1"},
    {"code": "model_urgency", "quotes": [], "probability": 0.5, "to": "P3"},
    {"code": "a wording without a code yet", "quotes": ["%(level)s <i>"]},
    "an English sentence stored before reasons had codes → P2",
    {"quotes": ["no code"]},
]


def in_node(table: dict[str, Any], locale: str) -> list[str]:
    node = node_or_skip()
    script = (
        f"import {{ reasonText }} from {json.dumps(MODULE.as_uri())};"
        f"const format = new Intl.NumberFormat({json.dumps(locale)},"
        " { minimumFractionDigits: 2, maximumFractionDigits: 2 });"
        f"const table = {json.dumps(table)};"
        f"const texts = {json.dumps(REASONS)}"
        ".map((r) => reasonText(r, table, (n) => format.format(n))).filter(Boolean);"
        "process.stdout.write(JSON.stringify(texts));"
    )
    out = subprocess.run(
        [node, "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize("language", ["pl", "cs", "uk", "en", "de", "nb"])
def test_the_console_and_the_server_write_the_same_sentences(language: str) -> None:
    with translation.override(language):
        table = reason_table()
        expected = reason_texts(REASONS)
    assert len(expected) == len(REASONS) - 1
    assert in_node(table, language) == expected
