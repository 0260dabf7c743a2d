"""The admin lists conversations without a word the citizen wrote: reading goes through the
audited console, which asks staff not assigned to a conversation why."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from advice.models import Conversation

pytestmark = pytest.mark.django_db


def test_the_conversation_admin_shows_no_prechat_answer_or_triage_quote():
    conversation = Conversation.objects.create(
        token_hash="0" * 64,
        prechat={"name_hint": "Kasia z Gliwic"},
        triage_reasons=[{"rule": "sextortion", "quote": "wyśle moje zdjęcia"}],
        rating_comment="dziękuję Ani",
    )
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-root-123")
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("admin:advice_conversation_change", args=[conversation.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Kasia z Gliwic" not in text
    assert "wyśle moje zdjęcia" not in text
    assert "dziękuję Ani" not in text
