"""Fixtures of the case-record tests: officers of two units and conversations to escalate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client

from advice.models import Conversation, SenderKind, Unit
from advice.services.conversations import conversation_claim, conversation_start
from advice.services.messages import message_post
from cases.models import Case
from cases.services.escalation import case_escalate


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Staff accounts are made in nearly every test; the real hasher would take most of
    the folder's run time (pytest-django restores the setting after each test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def officer(make_officer: Callable[..., AbstractUser]) -> AbstractUser:
    return make_officer("anna")


@pytest.fixture
def colleague(make_officer: Callable[..., AbstractUser]) -> AbstractUser:
    """Another officer of the same unit (KAT)."""
    return make_officer("bartek")


@pytest.fixture
def supervisor(make_officer: Callable[..., AbstractUser]) -> AbstractUser:
    return make_officer("marek", supervisor=True)


@pytest.fixture
def foreign_officer(make_officer: Callable[..., AbstractUser], other_unit: Unit) -> AbstractUser:
    """An officer of OVA (Czech unit)."""
    return make_officer("petr", languages=["cs"], in_unit=other_unit)


@pytest.fixture
def foreign_supervisor(make_officer: Callable[..., AbstractUser], other_unit: Unit) -> AbstractUser:
    return make_officer("ivana", languages=["cs"], in_unit=other_unit, supervisor=True)


def chat(officer: AbstractUser, texts: list[str], *, language: str = "pl") -> Conversation:
    """A conversation in which the citizen wrote ``texts`` and ``officer`` took it."""
    started = conversation_start(language=language)
    conversation_id = started.conversation.pk
    for index, text in enumerate(texts):
        message_post(
            conversation_id=conversation_id,
            sender=SenderKind.CITIZEN,
            client_id=f"c{index}",
            text=text,
        )
    conversation_claim(conversation_id=conversation_id, officer=officer)
    return Conversation.objects.get(pk=conversation_id)


@pytest.fixture
def make_case(officer: AbstractUser) -> Callable[..., Case]:
    def make(
        texts: list[str] | None = None,
        *,
        by: AbstractUser | None = None,
        language: str = "pl",
        **_: Any,
    ) -> Case:
        escalating = by or officer
        conversation = chat(escalating, texts or ["Oszukano mnie na OLX."], language=language)
        return case_escalate(conversation_id=conversation.pk, officer=escalating)

    return make


def client_for(user: AbstractUser, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client
