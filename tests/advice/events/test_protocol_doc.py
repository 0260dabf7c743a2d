"""docs/protocol.md says exactly what the code sends and accepts."""

from __future__ import annotations

import re
import typing
from pathlib import Path

from advice.events import frames
from chat import inbound
from core.errors import CaseErrorCode, ErrorCode
from core.vocabulary import StateReason

ROOT = Path(__file__).resolve().parents[3]
PROTOCOL = (ROOT / "docs" / "protocol.md").read_text()


def section(title: str) -> str:
    """The text of the ``## title`` section."""
    start = PROTOCOL.index(f"## {title}\n")
    end = PROTOCOL.find("\n## ", start + 1)
    return PROTOCOL[start : end if end != -1 else None]


def table_first_column(text: str) -> set[str]:
    return set(re.findall(r"^\| `([^`]+)` \|", text, flags=re.MULTILINE))


def constructed_types() -> set[str]:
    """Every ``type`` value a constructor of ``advice.events.frames`` can produce."""
    found: set[str] = set()
    for value in vars(frames).values():
        if isinstance(value, type) and typing.is_typeddict(value):
            hint = typing.get_type_hints(value).get("type")
            if hint is not None:
                found.update(typing.get_args(hint))
    source = (ROOT / "advice" / "events" / "frames.py").read_text()
    found.update(re.findall(r'\{"type": "([a-z0-9_.]+)"', source))
    return found


def test_every_frame_the_server_sends_is_documented_and_nothing_else() -> None:
    documented = table_first_column(section("Server → client"))
    documented |= table_first_column(section("Between server processes"))
    documented.add("supervisor.live")  # documented in docs/statistics.md
    assert documented == constructed_types()


def test_the_citizen_frames_are_the_documented_ones() -> None:
    assert table_first_column(section("Citizen → server")) == set(inbound.CITIZEN_FRAMES)


def test_the_officer_frames_are_the_documented_ones() -> None:
    assert table_first_column(section("Officer → server")) == set(inbound.OFFICER_FRAMES)


def test_the_supervisor_frames_are_the_documented_ones() -> None:
    assert table_first_column(section("Supervisor → server")) == set(inbound.SUPERVISOR_FRAMES)


def test_every_error_code_is_documented_and_nothing_else() -> None:
    assert table_first_column(section("Error codes")) == {code.value for code in ErrorCode}


def test_every_case_error_code_is_documented() -> None:
    cases = (ROOT / "docs" / "cases.md").read_text()
    missing = [code.value for code in CaseErrorCode if f"`{code.value}`" not in cases]
    assert missing == []


def test_every_state_reason_is_documented() -> None:
    text = section("Server → client")
    missing = [reason.value for reason in StateReason if f"`{reason.value}`" not in text]
    assert missing == []
