"""Refusals reach staff in their own language, by error code: JSON answers, flash messages
and the strings the browser's scripts show error frames with."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.error_messages import ERROR_MESSAGES, error_strings
from core.errors import CaseErrorCode, ErrorCode
from tests.cases.conftest import chat

pytestmark = pytest.mark.django_db


def test_every_error_code_has_a_message() -> None:
    assert set(ERROR_MESSAGES) == {*ErrorCode, *CaseErrorCode}


def test_a_json_refusal_is_in_the_readers_language_with_the_english_detail_apart(
    make_officer, other_unit
) -> None:
    officer = make_officer("anna")
    stranger = make_officer("petr", in_unit=other_unit, languages=["cs"])
    conversation = chat(officer, ["Ktoś przejął moje konto."])
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(stranger)
    response = client.post(reverse("cases:escalate", args=[conversation.pk]))
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "not_assigned"
    assert body["message"] == "tento rozhovor vám není přidělen"
    assert body["detail"] == "This conversation is not assigned to you."


def test_a_flash_refusal_on_a_case_page_is_in_the_readers_language(
    make_officer, other_unit
) -> None:
    from cases.services.escalation import case_escalate
    from cases.services.referrals import referral_case_create, referral_decline

    officer = make_officer("anna")
    receiver = make_officer("petr", in_unit=other_unit, languages=["cs"])
    case = case_escalate(conversation_id=chat(officer, ["Oszustwo."]).pk, officer=officer)
    referral = referral_case_create(
        case_id=case.pk, user=officer, unit_code="OVA", reason="capacity", summary="Brak ludzi."
    )
    referral_decline(referral_id=referral.pk, user=receiver, reason="Nie nasza sprawa.")
    client = Client(HTTP_ACCEPT_LANGUAGE="uk")
    client.force_login(receiver)
    response = client.post(reverse("cases:accept", args=[referral.pk]), follow=True)
    page = response.content.decode()
    assert "щодо цієї передачі вже ухвалено рішення" in page
    assert "not pending" not in page.lower()


@pytest.mark.parametrize("language", ["pl", "cs", "uk"])
def test_the_console_scripts_get_every_error_message_in_the_readers_language(
    make_officer, language: str
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(make_officer("anna"))
    html = client.get(reverse("frontend:console")).content.decode()
    blob = re.search(r'<script id="i18n" type="application/json">(.*?)</script>', html, re.S)
    assert blob is not None
    strings = json.loads(blob.group(1))
    with translation.override("en"):
        english = error_strings()
    for key, text in english.items():
        assert key in strings
        assert strings[key] != text, (language, key)
