"""Language-detection accuracy on real short texts: the translations shipped with Django.

Every ``msgstr`` of Django's own catalogues (``django/conf/locale`` and ``django/contrib/*/locale``)
for our languages, and the English ``msgid`` strings, stripped of placeholders and markup and
de-duplicated, is detected without a browser hint. Prints Markdown tables by language and by
length (letters). Run from the repository root:

    .venv/bin/python -m tests.triage.language_accuracy [--baseline]

``--baseline`` adds stock langdetect (all 55 profiles, seeded) for comparison; it is slow.
"""

from __future__ import annotations

import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import django
import polib

from triage.language import SUPPORTED, detect_language

DJANGO_DIR = Path(django.__file__).resolve().parent
BUCKETS = ((1, 10), (11, 20), (21, 40), (41, 80), (81, 10_000))
_PLACEHOLDER_RE = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[a-zA-Z%]|\{[^}]*\}")
_MARKUP_RE = re.compile(r"<[^>]*>|&\w+;|https?://\S+")
_LETTER_RE = re.compile(r"[^\W\d_]")


def catalogue_files(code: str) -> list[Path]:
    folder = "nb" if code == "nb" else code
    return sorted(
        [
            *DJANGO_DIR.glob(f"conf/locale/{folder}/LC_MESSAGES/*.po"),
            *DJANGO_DIR.glob(f"contrib/*/locale/{folder}/LC_MESSAGES/*.po"),
        ]
    )


def clean(text: str) -> str:
    return " ".join(_MARKUP_RE.sub(" ", _PLACEHOLDER_RE.sub(" ", text)).split())


def samples(code: str) -> list[str]:
    """Distinct cleaned strings of one language (English: the source strings)."""
    found: set[str] = set()
    for path in catalogue_files(code):
        for entry in polib.pofile(str(path)):
            if code == "en":
                texts = [entry.msgid, entry.msgid_plural]
            else:
                texts = [entry.msgstr, *entry.msgstr_plural.values()]
                texts = [text for text in texts if text and text != entry.msgid]
            for text in texts:
                cleaned = clean(text or "")
                if _LETTER_RE.search(cleaned):
                    found.add(cleaned)
    return sorted(found)


def letters(text: str) -> int:
    return len(_LETTER_RE.findall(text))


def bucket_of(text: str) -> str:
    count = letters(text)
    for low, high in BUCKETS:
        if low <= count <= high:
            return f"{low}–{high}" if high < 10_000 else f"{low}+"
    return "0"


def _baseline_detector() -> object:
    from langdetect import DetectorFactory, detect

    DetectorFactory.seed = 0

    def run(text: str) -> str:
        try:
            code = detect(text)
        except Exception:  # langdetect raises on text without features
            return ""
        return "nb" if code == "no" else code

    return run


def main() -> None:
    baseline = "--baseline" in sys.argv
    detect_stock = _baseline_detector() if baseline else None
    by_language: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    by_length: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    started = time.perf_counter()
    calls = 0
    for code in SUPPORTED:
        for text in samples(code):
            guess = detect_language([text])
            calls += 1
            stock_right = 0
            if detect_stock is not None:
                stock_right = int(detect_stock(text) == code)  # type: ignore[operator]
            row = (
                1,
                int(guess.language == code),
                int(guess.confident),
                int(guess.confident and guess.language == code),
                stock_right,
            )
            for table, key in ((by_language, code), (by_length, bucket_of(text))):
                for index, value in enumerate(row):
                    table[key][index] += value
                for index, value in enumerate(row):
                    table["all"][index] += value if table is by_language else 0
    elapsed = time.perf_counter() - started

    def pct(part: int, whole: int) -> str:
        return f"{100 * part / whole:.1f} %" if whole else "–"

    header = "| {} | texts | correct | confident | correct when confident |"
    rule = "|---|---:|---:|---:|---:|"
    if baseline:
        header += " stock langdetect |"
        rule += "---:|"
    out = sys.stdout
    for title, table, keys in (
        ("language", by_language, [*SUPPORTED, "all"]),
        ("letters", by_length, [f"{lo}–{hi}" if hi < 10_000 else f"{lo}+" for lo, hi in BUCKETS]),
    ):
        out.write(header.format(title) + "\n" + rule + "\n")
        for key in keys:
            total, right, confident, right_confident, stock = table[key]
            line = (
                f"| {key} | {total} | {pct(right, total)} | {pct(confident, total)} "
                f"| {pct(right_confident, confident)} |"
            )
            if baseline:
                line += f" {pct(stock, total)} |"
            out.write(line + "\n")
        out.write("\n")
    if not baseline:
        out.write(f"{calls} texts, {1000 * elapsed / calls:.3f} ms per text on average\n")


if __name__ == "__main__":
    main()
