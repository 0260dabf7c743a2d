"""A supervisor exports the officer corrections of their unit as corpus lines for review."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from advice.models import AuditEvent, SenderKind, TriageOverride, Unit
from advice.services.conversations import conversation_start
from advice.services.messages import message_post
from advice.services.triage_apply import conversation_override
from triage.corpus import parse_line


def _corrected_conversation(
    officer: Any, texts: list[str], changes: dict[str, object], *, browser: str = "pl"
) -> int:
    conversation = conversation_start(browser_language=browser).conversation
    for number, text in enumerate(texts):
        message_post(
            conversation_id=conversation.pk,
            sender=SenderKind.CITIZEN,
            client_id=f"c{number}",
            text=text,
        )
    before = TriageOverride.objects.count()
    conversation_override(conversation_id=conversation.pk, officer=officer, changes=changes)
    assert TriageOverride.objects.count() > before, "triage already agreed: not a correction"
    return conversation.pk


def _export(**options: Any) -> list[dict[str, Any]]:
    out = io.StringIO()
    call_command("triage_export_corrections", stdout=out, **options)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.django_db
def test_the_supervisor_gets_each_corrected_conversation_as_a_corpus_line(
    make_officer: Callable[..., Any],
) -> None:
    officer = make_officer("anna")
    make_officer("sylwia", supervisor=True)
    corrected = _corrected_conversation(
        officer,
        ["dzień dobry", "mam pytanie", "czy mogę tu napisać"],
        {"category": "child_abuse", "urgency": "P1"},
    )
    _corrected_conversation(officer, ["czy to oszustwo?"], {"urgency": "P2"})

    lines = _export(supervisor="sylwia")

    assert len(lines) == 2
    first = lines[0]
    assert first["id"] == f"review-KAT-{corrected}"
    assert first["texts"][1] == "mam pytanie"
    assert (first["category"], first["urgency"]) == ("child_abuse", "P1")
    fields = {correction["field"] for correction in first["review"]["corrections"]}
    assert fields == {"category", "urgency"}
    second = lines[1]["review"]
    assert any("asks whether something is a scam" in text for text in second["triage_reasons"])
    assert {reason["code"] for reason in second["triage_reason_codes"]} >= {"rule_question"}
    # Every line reads as a corpus line once a person has reviewed it.
    for number, line in enumerate(lines, start=1):
        parse_line(line, path=Path("review.jsonl"), number=number)
    assert AuditEvent.objects.filter(action="triage.corrections_exported").count() == 1


@pytest.mark.django_db
def test_corrections_of_another_unit_are_not_exported(
    make_officer: Callable[..., Any], other_unit: Unit
) -> None:
    stranger = make_officer("petr", in_unit=other_unit)
    _corrected_conversation(stranger, ["Někdo mi vyhrožuje"], {"urgency": "P1"}, browser="cs")
    make_officer("sylwia", supervisor=True)

    assert _export(supervisor="sylwia") == []


@pytest.mark.django_db
def test_an_officer_who_is_not_a_supervisor_cannot_export(
    make_officer: Callable[..., Any],
) -> None:
    make_officer("anna")
    with pytest.raises(CommandError, match="supervisor"):
        _export(supervisor="anna")
