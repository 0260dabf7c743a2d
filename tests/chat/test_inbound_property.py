"""No client input makes the frame parser raise anything but a DomainError (an error frame)."""

from __future__ import annotations

import contextlib
import dataclasses
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chat import inbound
from core.errors import DomainError

TABLES = [inbound.CITIZEN_FRAMES, inbound.OFFICER_FRAMES, inbound.SUPERVISOR_FRAMES]
FIELD_NAMES = sorted(
    {spec.name for table in TABLES for kind in table.values() for spec in dataclasses.fields(kind)}
)

# Every character, lone surrogates and non-characters included.
any_text = st.text(alphabet=st.characters(codec=None, categories=None), max_size=60)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | any_text
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(FIELD_NAMES) | any_text, children, max_size=4)
    ),
    max_leaves=20,
)
frame_types = st.sampled_from(sorted(inbound.CLIENT_FRAME_TYPES)) | any_text
frames = st.builds(
    lambda kind, fields: {"type": kind, **fields},
    frame_types,
    st.dictionaries(st.sampled_from(FIELD_NAMES) | any_text, json_values, max_size=5),
)


def parses_or_refuses(text: str) -> None:
    for table in TABLES:
        with contextlib.suppress(DomainError):
            inbound.parse(text, table)
        inbound.client_ref(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames)
def test_any_frame_shaped_json_parses_or_is_refused(frame: dict) -> None:
    parses_or_refuses(json.dumps(frame))
    parses_or_refuses(json.dumps(frame, ensure_ascii=False))


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_value_parses_or_is_refused(value: object) -> None:
    parses_or_refuses(json.dumps(value))


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_any_text_parses_or_is_refused(text: str) -> None:
    parses_or_refuses(text)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,
        '{"type":"ping","a":' * 5_000 + "1" + "}" * 5_000,
        '{"type": "conversation.resume", "token": "x", "last_seq": ' + "9" * 5_000 + "}",
        '{"type": "message.send", "client_id": "a", "text": "x", "text": 1}',
        '{"type": "ping"}' * 2,
        '"\\ud800"',
    ],
)
def test_pathological_frames_are_refused_with_a_domain_error(text: str) -> None:
    parses_or_refuses(text)
