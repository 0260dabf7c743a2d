"""Referral between units: a case or a live conversation, accepted or declined, all traced."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from advice.models import AuditEvent, Conversation, ConversationStatus
from cases.models import Referral
from cases.selectors import cases_visible_to
from cases.services.referrals import (
    referral_accept,
    referral_case_create,
    referral_decline,
)
from core.errors import DomainError
from tests.cases.conftest import chat, client_for
from tests.conftest import officer_online, start_citizen

SUMMARY = "Ofiara mieszka w Ostrawie, pieniądze trafiły na czeskie konto."


def refer(case, user, unit="OVA"):
    return referral_case_create(
        case_id=case.pk, user=user, unit_code=unit, reason="jurisdiction", summary=SUMMARY
    )


@pytest.mark.django_db
def test_the_receiving_unit_accepts_a_case_and_owns_it(
    make_case, officer, colleague, foreign_officer
):
    case = make_case()
    response = client_for(officer).post(
        f"/console/cases/{case.pk}/refer/",
        {"unit": "OVA", "reason": "jurisdiction", "summary": SUMMARY},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    own_page = client_for(officer).get(f"/console/cases/{case.pk}/").content.decode()
    assert f'action="/console/cases/{case.pk}/refer/"' not in own_page  # one at a time
    assert SUMMARY in own_page
    # Pending: the Czech unit sees it in its inbox and may read the case, not change it.
    inbox = client_for(foreign_officer).get("/console/cases/inbox/").content.decode()
    assert case.reference in inbox
    assert SUMMARY in inbox
    assert cases_visible_to(foreign_officer).filter(pk=case.pk).exists()
    reader = client_for(foreign_officer)
    reader.post(f"/console/cases/{case.pk}/", {"reason": "referral"})
    page = reader.get(f"/console/cases/{case.pk}/").content.decode()
    assert "read only until accepted" in page
    response = client_for(foreign_officer).post(
        f"/console/cases/{case.pk}/notes/", {"text": "x"}, follow=True
    )
    assert "you are not allowed to do this" in response.content.decode()
    assert not case.notes.exists()

    response = client_for(foreign_officer).post(f"/console/cases/referrals/{referral.pk}/accept/")
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.unit.code, case.assigned_officer_id) == ("OVA", foreign_officer.pk)
    assert case.reference.startswith("KAT-")  # the reference never changes
    # The escalating officer worked on it and keeps seeing it; their colleague no longer does.
    assert cases_visible_to(officer).filter(pk=case.pk).exists()
    assert not cases_visible_to(colleague).filter(pk=case.pk).exists()
    # Both units see the history.
    history = client_for(colleague).get("/console/cases/inbox/").content.decode()
    assert case.reference in history
    assert "Accepted" in history
    actions = list(
        AuditEvent.objects.filter(object_type="case", object_id=str(case.pk)).values_list(
            "action", flat=True
        )
    )
    assert "case.referred" in actions
    assert "case.referral_accepted" in actions


@pytest.mark.django_db
def test_declining_a_case_referral_needs_a_reason_and_keeps_the_case(
    make_case, officer, foreign_officer
):
    case = make_case()
    referral = refer(case, officer)
    client = client_for(foreign_officer)
    response = client.post(f"/console/cases/referrals/{referral.pk}/decline/", {"reason": ""})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "pending"
    client.post(
        f"/console/cases/referrals/{referral.pk}/decline/",
        {"reason": "Poza naszą właściwością"},
    )
    referral.refresh_from_db()
    case.refresh_from_db()
    assert (referral.status, referral.decision_reason) == ("declined", "Poza naszą właściwością")
    assert case.unit.code == "KAT"
    assert not cases_visible_to(foreign_officer).filter(pk=case.pk).exists()
    page = client_for(officer).get(f"/console/cases/{case.pk}/").content.decode()
    assert "Poza naszą właściwością" in page
    event = AuditEvent.objects.get(action="case.referral_declined")
    assert event.params["reason"] == "Poza naszą właściwością"


@pytest.mark.django_db
def test_referral_rules(make_case, officer, foreign_officer, colleague, other_unit):
    case = make_case()
    with pytest.raises(DomainError) as refused:
        refer(case, officer, unit="KAT")
    assert refused.value.code.value == "same_unit"
    with pytest.raises(DomainError) as refused:
        refer(case, officer, unit="XXX")
    assert refused.value.code.value == "unknown_unit"
    referral = refer(case, officer)
    with pytest.raises(DomainError) as refused:
        refer(case, officer)
    assert refused.value.code.value == "referral_pending"
    # Only the receiving unit decides, and only once.
    with pytest.raises(DomainError) as refused:
        referral_accept(referral_id=referral.pk, user=colleague)
    assert refused.value.code.value == "not_found"
    referral_decline(referral_id=referral.pk, user=foreign_officer, reason="nie")
    with pytest.raises(DomainError) as refused:
        referral_accept(referral_id=referral.pk, user=foreign_officer)
    assert refused.value.code.value == "referral_not_pending"


@pytest.mark.django_db
def test_a_live_conversation_is_referred_over_the_json_endpoint(officer, foreign_officer):
    conversation = chat(officer, ["Dobrý den, jsem z Ostravy"], language="cs")
    client = client_for(officer)
    url = f"/console/cases/refer-conversation/{conversation.pk}/"
    response = client.post(
        url,
        {"unit": "OVA", "reason": "language", "summary": "Citizen writes Czech, lives in Ostrava"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["to_unit"]) == ("pending", "OVA")
    again = client.post(
        url,
        {"unit": "OVA", "reason": "language", "summary": "again"},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert again.json()["code"] == "referral_pending"
    bad = client.post(url, {"unit": "OVA", "reason": "because", "summary": "x"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_field"
    broken = client.post(url, "{not json", content_type="application/json")
    assert broken.json()["code"] == "invalid_json"

    inbox = client_for(foreign_officer).get("/console/cases/inbox/").content.decode()
    assert "Citizen writes Czech" in inbox
    client_for(foreign_officer).post(f"/console/cases/referrals/{body['referral_id']}/accept/")
    conversation.refresh_from_db()
    assert conversation.unit.code == "OVA"
    assert conversation.status == ConversationStatus.WAITING
    assert conversation.assigned_officer_id is None
    assert conversation.referred_at is not None
    # Not handed back to the shared queue: reserved for OVA (tests/cases/test_referral_routing.py).
    assert conversation.requeued_at is None
    actions = list(conversation.audit.values_list("action", flat=True))
    assert {"conversation.referred", "conversation.referral_accepted"} <= set(actions)
    assert "conversation.requeued" in actions


@pytest.mark.django_db
def test_declining_a_conversation_referral_leaves_it_with_the_officer(officer, foreign_officer):
    conversation = chat(officer, ["Dzień dobry"])
    response = client_for(officer).post(
        f"/console/cases/refer-conversation/{conversation.pk}/",
        {"unit": "OVA", "reason": "capacity", "summary": "Brak ludzi"},
    )
    referral_id = response.json()["referral_id"]
    referral_decline(referral_id=referral_id, user=foreign_officer, reason="Też nie mamy")
    conversation.refresh_from_db()
    assert (conversation.unit.code, conversation.status, conversation.assigned_officer_id) == (
        "KAT",
        "active",
        officer.pk,
    )
    assert conversation.referred_at is None
    assert conversation.audit.filter(action="conversation.referral_declined").exists()


@pytest.mark.django_db
def test_only_the_assigned_officer_may_refer_a_conversation(officer, colleague):
    conversation = chat(officer, ["Dzień dobry"])
    response = client_for(colleague).post(
        f"/console/cases/refer-conversation/{conversation.pk}/",
        {"unit": "OVA", "reason": "capacity", "summary": "x"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_assigned"


@pytest.mark.django_db(transaction=True)
async def test_the_citizen_sees_the_referred_conversation_go_back_to_the_queue(
    sockets, make_officer, other_unit
):
    officer_user = await database_sync_to_async(make_officer)("anna")
    czech_user = await database_sync_to_async(make_officer)(
        "petr", languages=["cs"], in_unit=other_unit
    )
    officer = await officer_online(sockets, officer_user)
    citizen, _token = await start_citizen(sockets, language="cs")
    entry = await officer.receive_until("queue.entry")
    conversation_id = entry["entry"]["id"]
    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await citizen.receive_until("conversation.state", reason="officer_joined")

    polish = await database_sync_to_async(client_for)(officer_user)
    response = await database_sync_to_async(polish.post)(
        f"/console/cases/refer-conversation/{conversation_id}/",
        {"unit": "OVA", "reason": "language", "summary": "Mówi po czesku"},
    )
    referral_id = response.json()["referral_id"]
    czech = await database_sync_to_async(client_for)(czech_user)
    await database_sync_to_async(czech.post)(f"/console/cases/referrals/{referral_id}/accept/")

    state = await citizen.receive_until("conversation.state", reason="referred")
    assert state["status"] == "waiting"
    conversation = await Conversation.objects.select_related("unit").aget(pk=conversation_id)
    assert conversation.unit.code == "OVA"
