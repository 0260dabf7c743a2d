"""The transcript's hash chain: frozen at escalation, appended on demand, tampering shows."""

from __future__ import annotations

import hashlib
import json

import pytest

from advice.models import SenderKind
from advice.services.messages import message_post
from cases.models import TranscriptEntry
from cases.services.transcript import (
    GENESIS,
    entry_hash,
    transcript_refresh,
    transcript_verify,
)
from core.errors import DomainError
from tests.cases.conftest import client_for

pytestmark = pytest.mark.django_db

TEXTS = ["Dzień dobry", "Przelałam 500 zł", "Na konto PL61 1090 1014 0000 0712 1981 2874"]


def test_the_hash_is_sha256_over_previous_hash_and_canonical_json(make_case):
    case = make_case(TEXTS)
    first = case.transcript.get(position=1)
    body = json.dumps(
        {
            "author_name": "",
            "created_at": first.message_created_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "kind": "text",
            "sender": "citizen",
            "seq": 1,
            "text": "Dzień dobry",
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )
    assert first.prev_hash == GENESIS
    assert first.hash == hashlib.sha256((GENESIS + body).encode()).hexdigest()
    second = case.transcript.get(position=2)
    assert second.prev_hash == first.hash
    assert case.transcript_head == case.transcript.order_by("-position").first().hash


def test_an_altered_message_breaks_the_chain_at_that_entry(make_case):
    case = make_case(TEXTS)
    assert transcript_verify(case).valid
    TranscriptEntry.objects.filter(case=case, position=2).update(text="Przelałam 50 zł")
    check = transcript_verify(case)
    assert (check.valid, check.first_broken, check.problem) == (False, 2, "content_changed")


def test_a_recomputed_entry_breaks_the_next_link(make_case):
    case = make_case(TEXTS)
    entry = case.transcript.get(position=2)
    entry.text = "Przelałam 50 zł"
    entry.hash = entry_hash(
        entry.prev_hash,
        seq=entry.seq,
        sender=entry.sender,
        author_name=entry.author_name,
        kind=entry.kind,
        text=entry.text,
        created_at=entry.message_created_at,
    )
    entry.save()
    check = transcript_verify(case)
    assert (check.first_broken, check.problem) == (3, "link_broken")


def test_removed_entries_show_in_the_middle_and_at_the_end(make_case):
    case = make_case(TEXTS)
    last = case.transcript_length
    case.transcript.filter(position=last).delete()
    check = transcript_verify(case)
    assert (check.valid, check.first_broken, check.problem) == (False, last, "head_mismatch")
    case.transcript.filter(position=2).delete()
    check = transcript_verify(case)
    assert (check.first_broken, check.problem) == (2, "missing_entry")


def test_later_messages_are_appended_on_demand_and_chained(make_case, officer):
    case = make_case(TEXTS)
    before = case.transcript_length
    conversation_id = case.conversation_links.get().conversation_id
    message_post(
        conversation_id=conversation_id,
        sender=SenderKind.CITIZEN,
        client_id="later",
        text="Jeszcze jedno: karta 4111 1111 1111 1111",
    )
    assert transcript_refresh(case_id=case.pk, user=officer) == 1
    assert transcript_refresh(case_id=case.pk, user=officer) == 0
    case.refresh_from_db()
    assert case.transcript_length == before + 1
    appended = case.transcript.get(position=before + 1)
    assert appended.prev_hash == case.transcript.get(position=before).hash
    # The card number never enters the case record in full.
    assert appended.text == "Jeszcze jedno: karta 411111******1111"
    assert transcript_verify(case).valid


def test_only_the_cases_unit_may_append(make_case, foreign_officer):
    case = make_case(TEXTS)
    with pytest.raises(DomainError) as refused:
        transcript_refresh(case_id=case.pk, user=foreign_officer)
    assert refused.value.code.value == "not_found"


def test_the_page_shows_the_verification_state(make_case, officer):
    case = make_case(TEXTS)
    page = client_for(officer).get(f"/console/cases/{case.pk}/").content.decode()
    assert "Chain intact" in page
    TranscriptEntry.objects.filter(case=case, position=1).update(text="zmienione")
    page = client_for(officer).get(f"/console/cases/{case.pk}/").content.decode()
    assert "Chain broken at entry 1 (content_changed)" in page
