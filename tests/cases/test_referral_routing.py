"""An accepted live conversation waits in the receiving unit's queue only; the referring
officer hears the decision live; a P1 referral alerts the receiving unit's consoles."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advice.events import outbox
from advice.models import Conversation, ConversationStatus
from advice.services.conversations import conversation_claim
from cases.services.referrals import (
    referral_accept,
    referral_conversation_create,
    referral_decline,
)
from core.errors import DomainError
from tests.cases.conftest import chat
from tests.conftest import officer_online, start_citizen


def refer(conversation_id, user, *, reason="language"):
    return referral_conversation_create(
        conversation_id=conversation_id,
        user=user,
        unit_code="OVA",
        reason=reason,
        summary="Mluví česky, bydlí v Ostravě.",
    )


def published(service, **kwargs):
    """Run ``service`` and return what it publishes after commit, as (group, frame) pairs."""
    with outbox.collecting() as box:
        service(**kwargs)
    return [(group, event["frame"]) for group, event in box]


@pytest.mark.django_db(transaction=True)
def test_an_accepted_conversation_can_be_claimed_only_by_the_receiving_unit(
    officer, colleague, foreign_officer
):
    conversation = chat(officer, ["Dobrý den"], language="cs")
    referral = refer(conversation.pk, officer)
    referral_accept(referral_id=referral.pk, user=foreign_officer)
    conversation.refresh_from_db()
    assert (conversation.status, conversation.unit.code) == (ConversationStatus.WAITING, "OVA")

    for sender in (officer, colleague):
        with pytest.raises(DomainError) as refused:
            conversation_claim(conversation_id=conversation.pk, officer=sender)
        assert refused.value.code.value == "not_allowed"
    conversation_claim(conversation_id=conversation.pk, officer=foreign_officer)
    conversation.refresh_from_db()
    assert conversation.assigned_officer_id == foreign_officer.pk


@pytest.mark.django_db(transaction=True)
def test_the_referrer_is_told_of_the_acceptance_after_commit(officer, foreign_officer):
    conversation = chat(officer, ["Dobrý den"], language="cs")
    referral = refer(conversation.pk, officer)
    with CaptureQueriesContext(connection) as queries:
        events = published(referral_accept, referral_id=referral.pk, user=foreign_officer)
    assert len(queries) < 40
    decided = [f for g, f in events if f["type"] == "referral.decided"]
    assert decided == [
        {
            "type": "referral.decided",
            "referral_id": referral.pk,
            "decision": "accepted",
            "unit": "OVA",
            "reason": "",
            "conversation_id": conversation.pk,
            "case_reference": None,
        }
    ]
    assert (f"officer.{officer.pk}", decided[0]) in events
    entry = next(f for g, f in events if f["type"] == "queue.entry")
    assert entry["entry"]["referred"] is True
    assert entry["entry"]["requeued"] is False
    # Not P1: no alert.
    assert not [f for g, f in events if f["type"] == "alert.p1"]


@pytest.mark.django_db(transaction=True)
def test_the_referrer_is_told_of_a_decline_with_its_reason(officer, foreign_officer):
    conversation = chat(officer, ["Dzień dobry"])
    referral = refer(conversation.pk, officer, reason="capacity")
    events = published(
        referral_decline, referral_id=referral.pk, user=foreign_officer, reason="Nemáme lidi"
    )
    decided = [(g, f) for g, f in events if f["type"] == "referral.decided"]
    assert len(decided) == 1
    group, frame = decided[0]
    assert group == f"officer.{officer.pk}"
    assert (frame["decision"], frame["reason"], frame["unit"]) == (
        "declined",
        "Nemáme lidi",
        "OVA",
    )


@pytest.mark.django_db(transaction=True)
def test_a_p1_referral_alerts_the_receiving_unit_when_made_and_when_accepted(
    officer, foreign_officer
):
    conversation = chat(officer, ["Pomoc"], language="cs")
    Conversation.objects.filter(pk=conversation.pk).update(urgency="P1")
    made = published(
        referral_conversation_create,
        conversation_id=conversation.pk,
        user=officer,
        unit_code="OVA",
        reason="jurisdiction",
        summary="P1",
    )
    ova = foreign_officer.officer_profile.unit_id
    alerts = [(g, f) for g, f in made if f["type"] == "alert.p1"]
    assert len(alerts) == 1
    assert alerts[0][0] == f"unit.{ova}"
    referral_id = alerts[0][1]["referral_id"]
    accepted = published(referral_accept, referral_id=referral_id, user=foreign_officer)
    alerts = [(g, f) for g, f in accepted if f["type"] == "alert.p1"]
    assert [g for g, _ in alerts] == [f"unit.{ova}"]
    assert "referral_id" not in alerts[0][1]


@pytest.mark.django_db(transaction=True)
async def test_consoles_see_the_accepted_conversation_only_in_the_receiving_unit(
    sockets, make_officer, other_unit
):
    anna = await database_sync_to_async(make_officer)("anna")
    bartek = await database_sync_to_async(make_officer)("bartek")
    petr = await database_sync_to_async(make_officer)("petr", languages=["cs"], in_unit=other_unit)
    sender = await officer_online(sockets, anna)
    colleague = await officer_online(sockets, bartek)
    receiver = await officer_online(sockets, petr)
    citizen, _ = await start_citizen(sockets, language="cs")
    conversation_id = (await sender.receive_until("queue.entry"))["entry"]["id"]
    await sender.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await sender.receive_until("replay.done")

    referral = await database_sync_to_async(refer)(conversation_id, anna)
    await database_sync_to_async(referral_accept)(referral_id=referral.pk, user=petr)

    entry = await receiver.receive_until("queue.entry")
    while not entry["entry"]["referred"]:  # the first was the citizen starting
        entry = await receiver.receive_until("queue.entry")
    assert entry["entry"]["id"] == conversation_id
    assert entry["entry"]["for_my_unit"] is True
    removed = await colleague.receive_until("queue.removed", reason="referred")
    assert (removed["conversation_id"], removed["reason"]) == (conversation_id, "referred")
    state = await sender.receive_until("conversation.state", reason="referred")
    assert state["conversation"]["referred"] is True
    assert state["conversation"]["for_my_unit"] is False
    decided = await sender.receive_until("referral.decided")
    assert (decided["decision"], decided["unit"]) == ("accepted", "OVA")
    assert await colleague.nothing()

    # A console that connects now gets a queue without it; claiming is refused.
    again = await sockets("/ws/officer/", user=bartek)
    await again.receive_until("officer.state")
    snapshot = await again.receive_until("queue.snapshot")
    assert conversation_id not in [e["id"] for e in snapshot["entries"]]
    await again.send({"type": "conversation.claim", "conversation_id": conversation_id})
    error = await again.receive_until("error")
    assert error["code"] == "not_allowed"

    await receiver.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await receiver.receive_until("replay.done", conversation_id=conversation_id)
    await citizen.receive_until("conversation.state", reason="officer_joined")
