"""``manage.py triage``: JSON lines in, one JSON line out per input, errors do not stop it."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command


def run(*lines: str, full: bool = False) -> list[dict[str, object]]:
    out = StringIO()
    stdin = StringIO("".join(f"{line}\n" for line in lines))
    call_command("triage", *(["--full"] if full else []), stdin=stdin, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_each_line_gets_language_category_urgency_and_reasons() -> None:
    (result,) = run(
        json.dumps(
            {
                "text": "Przed chwilą przelałem 4000 zł na bezpieczne konto, pan z banku "
                "nadal jest na linii",
                "browser_language": "pl",
            },
            ensure_ascii=False,
        )
    )
    assert result["language"] == "pl"
    assert result["category"] == "bank_impersonation"
    assert result["urgency"] == "P2"
    assert any("przed chwilą" in reason.lower() for reason in result["reasons"])  # type: ignore[attr-defined]


def test_browser_language_is_optional_and_may_be_a_locale() -> None:
    first, second = run(
        json.dumps({"text": "hello"}), json.dumps({"text": "hei", "browser_language": "nb-NO"})
    )
    assert first["language"] == "en"
    assert second["language"] == "nb"


def test_invalid_lines_get_an_error_and_processing_continues() -> None:
    results = run(
        "this is not json",
        json.dumps(["a list"]),
        json.dumps({"browser_language": "pl"}),
        json.dumps({"text": 42}),
        json.dumps({"text": "hi", "browser_language": 7}),
        json.dumps({"text": "I want to kill myself"}),
    )
    assert [sorted(result) for result in results[:5]] == [["error"]] * 5
    assert "JSON" in str(results[0]["error"])
    assert "'text'" in str(results[2]["error"])
    assert results[5]["urgency"] == "P1"


def test_blank_lines_are_skipped() -> None:
    results = run("", json.dumps({"text": "hallo"}), "   ")
    assert len(results) == 1


def test_several_messages_and_prechat_answers_can_be_given() -> None:
    (result,) = run(
        json.dumps({"texts": ["hello", "help"], "prechat": {"in_danger": True}}), full=True
    )
    assert result["urgency"] == "P1"
    assert result["language_candidates"]
    assert result["language_confident"] in (True, False)
