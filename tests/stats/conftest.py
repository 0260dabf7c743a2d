"""Fixtures for statistics tests: hand-built conversation histories with known answers."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser, Group

from advice.models import Conversation, OfficerProfile, Unit

# A fixed Monday noon (UTC) that the hand-built histories are anchored on.
T0 = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)


def seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


@pytest.fixture
def make_conversation(db: None) -> Callable[..., Conversation]:
    """Create a conversation with explicit timestamps (offsets in seconds from its start).

    ``at`` is when it started; ``join``, ``first_msg``, ``close``, ``escalate``, ``refer``
    are seconds after ``at`` (None: never happened).
    """

    def make(
        *,
        at: datetime = T0,
        status: str = "closed",
        unit: Unit | None = None,
        officer: AbstractUser | None = None,
        join: float | None = None,
        first_msg: float | None = None,
        close: float | None = None,
        escalate: float | None = None,
        refer: float | None = None,
        **fields: Any,
    ) -> Conversation:
        conversation = Conversation.objects.create(
            token_hash=secrets.token_hex(32), status=status, unit=unit, assigned_officer=officer
        )

        def after(offset: float | None) -> datetime | None:
            return None if offset is None else at + seconds(offset)

        Conversation.objects.filter(pk=conversation.pk).update(
            created_at=at,
            queued_at=at,
            claimed_at=after(join),
            first_officer_message_at=after(first_msg),
            closed_at=after(close),
            escalated_at=after(escalate),
            referred_at=after(refer),
            **fields,
        )
        conversation.refresh_from_db()
        return conversation

    return make


def _staff(username: str, unit: Unit, *, supervisor: bool, on_duty: bool) -> AbstractUser:
    """A staff account without a password hash (hashing would slow every test down)."""
    user = get_user_model().objects.create(username=username, password=make_password(None))
    user.groups.add(Group.objects.get_or_create(name="officers")[0])
    if supervisor:
        user.groups.add(Group.objects.get_or_create(name="supervisors")[0])
    OfficerProfile.objects.create(
        user=user,
        display_name=username.capitalize(),
        unit=unit,
        languages=["pl", "en"],
        on_duty=on_duty,
    )
    return user  # type: ignore[no-any-return]


@pytest.fixture
def make_staff(unit: Unit) -> Callable[..., AbstractUser]:
    def make(
        username: str,
        *,
        supervisor: bool = False,
        on_duty: bool = True,
        in_unit: Unit | None = None,
    ) -> AbstractUser:
        return _staff(username, in_unit or unit, supervisor=supervisor, on_duty=on_duty)

    return make


@pytest.fixture
def supervisor(make_staff: Callable[..., AbstractUser]) -> AbstractUser:
    return make_staff("marek", supervisor=True, on_duty=False)


@pytest.fixture
def officer(make_staff: Callable[..., AbstractUser]) -> AbstractUser:
    return make_staff("anna")


@pytest.fixture
def admin_user(db: None) -> AbstractUser:
    return get_user_model().objects.create(  # type: ignore[no-any-return]
        username="root", password=make_password(None), is_superuser=True, is_staff=True
    )
