"""Escalating a live conversation: the citizen is told the case reference in the chat."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async

from advice.models import AuditEvent, Conversation
from advice.services.conversations import conversation_close
from cases.models import Case, IndicatorStatus
from cases.services.escalation import case_escalate
from cases.services.transcript import transcript_verify
from core.errors import DomainError
from tests.cases.conftest import chat, client_for
from tests.conftest import officer_online, start_citizen


@pytest.mark.django_db(transaction=True)
async def test_citizen_receives_the_case_reference_live(sockets, make_officer):
    officer_user = await database_sync_to_async(make_officer)("anna")
    officer = await officer_online(sockets, officer_user)
    citizen, _token = await start_citizen(sockets, language="pl")
    entry = await officer.receive_until("queue.entry")
    conversation_id = entry["entry"]["id"]
    await citizen.send(
        {
            "type": "message.send",
            "client_id": "c1",
            "text": "Przelałam 2000 zł na konto PL61 1090 1014 0000 0712 1981 2874, "
            "dzwonili z +48 512 345 678",
        }
    )
    await citizen.stored("c1")
    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await officer.receive_until("replay.done")

    client = await database_sync_to_async(client_for)(officer_user)
    response = await database_sync_to_async(client.post)(
        f"/console/cases/escalate/{conversation_id}/"
    )
    assert response.status_code == 201
    body = json.loads(response.content)
    assert body["reference"].startswith("KAT-")
    assert body["url"] == f"/console/cases/{body['case_id']}/"

    notice = await citizen.receive_until("message", sender="system")
    assert notice["kind"] == "system"
    assert notice["payload"]["case_reference"] == body["reference"]
    assert body["reference"] in notice["text"]
    assert "Zabierz ze sobą" in notice["text"]  # Polish, the conversation's language
    assert notice["payload"]["bring"][0].startswith("Dokument tożsamości")
    staff_copy = await officer.receive_until("message", sender="system")
    assert staff_copy["payload"]["case_reference"] == body["reference"]

    conversation = await Conversation.objects.aget(pk=conversation_id)
    assert conversation.escalated_at is not None
    case = await Case.objects.aget(pk=body["case_id"])
    kinds = {
        kind
        async for kind in case.indicators.filter(status=IndicatorStatus.SUGGESTED).values_list(
            "kind", flat=True
        )
    }
    assert kinds == {"iban", "phone"}
    assert await AuditEvent.objects.filter(action="case.escalated").acount() == 1


@pytest.mark.django_db
def test_escalation_freezes_the_transcript_and_builds_the_checklist(officer):
    conversation = chat(officer, ["Kupiłam telefon na OLX, zapłaciłam i nic nie przyszło."])
    case = case_escalate(conversation_id=conversation.pk, officer=officer)

    assert case.unit.code == "KAT"
    assert case.assigned_officer_id == officer.pk
    assert case.language == "pl"
    entries = list(case.transcript.order_by("position"))
    # The citizen's message and the reference notice, both chained.
    assert [e.sender for e in entries] == ["citizen", "system"]
    assert transcript_verify(case).valid
    assert case.evidence_items.filter(code="screenshots").exists()


@pytest.mark.django_db
def test_a_conversation_becomes_a_case_only_once(officer):
    conversation = chat(officer, ["Ktoś włamał się na moje konto."])
    first = case_escalate(conversation_id=conversation.pk, officer=officer)
    client = client_for(officer)
    response = client.post(f"/console/cases/escalate/{conversation.pk}/")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "already_escalated"
    assert first.reference in body["detail"]
    assert body["message"] == "this conversation is already a case"
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_an_ended_conversation_can_still_be_escalated_without_a_notice(officer):
    conversation = chat(officer, ["Szantażują mnie zdjęciami."])
    conversation_close(conversation_id=conversation.pk, by="officer", officer=officer)
    case = case_escalate(conversation_id=conversation.pk, officer=officer)
    assert not case.transcript.filter(
        sender="system", kind="system", text__contains="KAT-"
    ).exists()
    event = AuditEvent.objects.get(action="case.escalated")
    assert event.params["citizen_notified"] is False


@pytest.mark.django_db
def test_only_the_assigned_officer_or_a_supervisor_of_the_unit_may_escalate(
    officer, colleague, supervisor, foreign_supervisor
):
    conversation = chat(officer, ["Pomocy"])
    for outsider in (colleague, foreign_supervisor):
        with pytest.raises(DomainError) as refused:
            case_escalate(conversation_id=conversation.pk, officer=outsider)
        assert refused.value.code.value == "not_assigned"
    case = case_escalate(conversation_id=conversation.pk, officer=supervisor)
    assert case.created_by_id == supervisor.pk


@pytest.mark.django_db
def test_escalation_endpoint_answers_errors_as_json(officer, foreign_officer, client):
    conversation = chat(officer, ["Pomocy"])
    response = client.post(f"/console/cases/escalate/{conversation.pk}/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    response = client_for(foreign_officer).post(f"/console/cases/escalate/{conversation.pk}/")
    assert response.status_code == 403
    assert response.json() == {
        "code": "not_assigned",
        "message": "this conversation is not assigned to you",
        "detail": "This conversation is not assigned to you.",
    }
    response = client_for(officer).post("/console/cases/escalate/999999/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client_for(officer).get(f"/console/cases/escalate/{conversation.pk}/").status_code == 405


@pytest.mark.django_db
def test_escalation_endpoint_requires_the_csrf_token(officer):
    conversation = chat(officer, ["Pomocy"])
    response = client_for(officer, csrf=True).post(f"/console/cases/escalate/{conversation.pk}/")
    assert response.status_code == 403
    assert not Case.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("pl", "Numer Twojej sprawy to"),
        ("cs", "Číslo vašeho případu je"),
        ("uk", "Номер вашої справи"),
        ("de", "Ihr Aktenzeichen lautet"),
        ("en", "Your case reference is"),
        ("lt", "Your case reference is"),  # no translation: English
    ],
)
def test_the_notice_speaks_the_conversation_language(officer, language, expected):
    conversation = chat(officer, ["..."], language=language)
    case = case_escalate(conversation_id=conversation.pk, officer=officer)
    notice = case.transcript.get(sender="system")
    assert notice.text.startswith(expected)
    assert case.reference in notice.text


@pytest.mark.django_db
def test_the_checklist_comes_from_the_knowledge_base_when_it_has_one(officer):
    from knowledge_base.models import Article, Translation

    article = Article.objects.create(
        slug="evidence-phishing-test",
        kind="evidence_checklist",
        categories=["phishing"],
        published=True,
    )
    for language, items in (
        ("pl", ["Sam SMS z numerem nadawcy", "Zrzuty ekranu fałszywej strony"]),
        ("uk", ["Саме SMS з номером відправника", "Знімки екрана фальшивої сторінки"]),
    ):
        Translation.objects.create(
            article=article,
            language=language,
            title="Lista",
            body="Zachowaj:\n\n" + "\n".join(f"- {item}" for item in items),
        )
    conversation = chat(officer, ["Dostałam SMS z linkiem"], language="uk")
    Conversation.objects.filter(pk=conversation.pk).update(category="phishing")
    case = case_escalate(conversation_id=conversation.pk, officer=officer)

    # Officers of KAT read the checklist in Polish, the unit's first language.
    assert list(case.evidence_items.values_list("label", flat=True)) == [
        "Sam SMS z numerem nadawcy",
        "Zrzuty ekranu fałszywej strony",
    ]
    # The citizen is told in Ukrainian what to bring.
    notice = case.transcript.get(sender="system")
    assert "Саме SMS з номером відправника" in notice.text
    page = client_for(officer).get(f"/console/cases/{case.pk}/").content.decode()
    assert "Zrzuty ekranu fałszywej strony" in page
