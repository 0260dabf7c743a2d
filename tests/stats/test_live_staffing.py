"""The live staffing tiles agree with each other and count partner units that can help."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AbstractUser

from advice.models import Unit
from advice.services.conversations import conversation_claim, conversation_start
from advice.services.presence import officer_set_duty
from stats.access import stats_scope_for
from stats.live import live_snapshot

pytestmark = pytest.mark.django_db


def test_an_officer_who_went_off_duty_with_a_chat_open_still_counts_in_the_load(
    make_officer: Callable[..., AbstractUser],
) -> None:
    supervisor = make_officer("marek", supervisor=True, on_duty=False)
    anna = make_officer("anna", max_chats=3)
    cid = conversation_start(browser_language="pl").conversation.pk
    conversation_claim(conversation_id=cid, officer=anna)
    officer_set_duty(officer=anna, on_duty=False)
    scope = stats_scope_for(supervisor)
    assert scope is not None
    live = live_snapshot(scope=scope)
    assert live["active"] == 1
    assert live["officers"]["load"] == 1
    assert live["officers"]["on_duty"] == 0
    assert live["officers"]["capacity"] == 0


def test_a_partner_units_officer_on_duty_covers_their_language(
    make_officer: Callable[..., AbstractUser], other_unit: Unit
) -> None:
    supervisor = make_officer("marek", supervisor=True, on_duty=False, languages=["pl"])
    scope = stats_scope_for(supervisor)
    assert scope is not None
    conversation_start(language="uk")
    assert live_snapshot(scope=scope)["waiting"]["languages_without_officer"] == ["uk"]
    make_officer("olena", languages=["uk", "ru"], in_unit=other_unit)
    assert live_snapshot(scope=scope)["waiting"]["languages_without_officer"] == []
