"""The sweeper at a chosen moment: dead processes' sockets close, due-times run, once."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from advice.events import outbox
from advice.models import AuditEvent, Conversation, OfficerProfile, SocketLease
from advice.services.conversations import (
    conversation_claim,
    conversation_resume,
    conversation_start,
)
from advice.services.leases import SocketRef, process_beat
from advice.services.presence import officer_connected
from advice.services.sweeper import sweep_due

pytestmark = pytest.mark.django_db

A = "host-a:101:aaaa"
B = "host-b:202:bbbb"


def ttl() -> timedelta:
    return timedelta(seconds=settings.PRESENCE_TTL_SECONDS)


def grace() -> timedelta:
    return timedelta(seconds=settings.OFFICER_GRACE_SECONDS)


def resume() -> timedelta:
    return timedelta(seconds=settings.CITIZEN_RESUME_SECONDS)


@pytest.fixture
def t0() -> datetime:
    """The last moment both processes renewed their heartbeat."""
    now = timezone.now()
    process_beat(process_id=A, now=now)
    process_beat(process_id=B, now=now)
    return now


@pytest.fixture
def officer_on_a(make_officer, t0):
    user = make_officer()
    officer_connected(officer=user, socket=SocketRef(A, "a.officer"))
    return user


def profile(user) -> OfficerProfile:
    return OfficerProfile.objects.get(user=user)


def status(conversation_id: int) -> str:
    return Conversation.objects.values_list("status", flat=True).get(pk=conversation_id)


def test_a_process_that_still_beats_keeps_its_sockets(officer_on_a, t0):
    conversation_start(socket=SocketRef(A, "a.citizen"))
    result = sweep_due(now=t0 + ttl() - timedelta(seconds=1))
    assert result.processes_expired == []
    assert profile(officer_on_a).open_sockets == 1
    assert SocketLease.objects.count() == 2


def test_a_dead_process_officer_goes_offline_and_their_chats_are_requeued_after_grace(
    officer_on_a, t0, django_capture_on_commit_callbacks
):
    # The citizen of the active chat is on process B, which keeps beating.
    started = conversation_start(socket=SocketRef(B, "b.citizen"))
    conversation_claim(conversation_id=started.conversation.pk, officer=officer_on_a)

    found_dead = t0 + ttl() + timedelta(seconds=1)
    process_beat(process_id=B, now=found_dead)
    result = sweep_due(now=found_dead)
    assert result.processes_expired == [A]
    assert result.officers_offline == [officer_on_a.pk]
    officer = profile(officer_on_a)
    assert officer.open_sockets == 0
    assert officer.grace_due_at == found_dead + grace()
    assert status(started.conversation.pk) == "active", "the grace period has only begun"

    process_beat(process_id=B, now=found_dead + grace())
    assert sweep_due(now=found_dead + grace() - timedelta(seconds=1)).conversations_requeued == []
    with outbox.collecting() as events, django_capture_on_commit_callbacks(execute=True):
        result = sweep_due(now=found_dead + grace())
    assert result.conversations_requeued == [started.conversation.pk]
    conversation = Conversation.objects.get(pk=started.conversation.pk)
    assert (conversation.status, conversation.assigned_officer_id) == ("waiting", None)
    assert profile(officer_on_a).grace_due_at is None
    reasons = [event["frame"].get("reason") for _group, event in events]
    assert "officer_disconnected" in reasons
    assert AuditEvent.objects.filter(action="conversation.requeued").count() == 1


def test_a_waiting_citizen_of_a_dead_process_is_abandoned_after_the_resume_time(t0):
    started = conversation_start(socket=SocketRef(A, "a.citizen"))
    found_dead = t0 + ttl() + timedelta(seconds=1)
    sweep_due(now=found_dead)
    conversation = Conversation.objects.get(pk=started.conversation.pk)
    assert conversation.citizen_open_sockets == 0
    assert conversation.resume_due_at == found_dead + resume()

    assert sweep_due(now=found_dead + resume() - timedelta(seconds=1)).conversations_abandoned == []
    result = sweep_due(now=found_dead + resume())
    assert result.conversations_abandoned == [started.conversation.pk]
    conversation = Conversation.objects.get(pk=started.conversation.pk)
    assert (conversation.status, conversation.ended_by) == ("abandoned", "timeout")


def test_a_citizen_who_resumes_on_another_process_in_time_keeps_the_conversation(t0):
    started = conversation_start(socket=SocketRef(A, "a.citizen"))
    found_dead = t0 + ttl() + timedelta(seconds=1)
    sweep_due(now=found_dead)
    conversation_resume(token=started.token, socket=SocketRef(B, "b.citizen"))
    later = found_dead + resume() + timedelta(seconds=1)
    process_beat(process_id=B, now=later)
    assert sweep_due(now=later).conversations_abandoned == []
    conversation = Conversation.objects.get(pk=started.conversation.pk)
    assert (conversation.status, conversation.citizen_open_sockets) == ("waiting", 1)
    assert conversation.resume_due_at is None


def test_an_officer_who_reconnects_on_another_process_in_time_keeps_their_chats(officer_on_a, t0):
    started = conversation_start(socket=SocketRef(B, "b.citizen"))
    conversation_claim(conversation_id=started.conversation.pk, officer=officer_on_a)
    found_dead = t0 + ttl() + timedelta(seconds=1)
    process_beat(process_id=B, now=found_dead)
    sweep_due(now=found_dead)
    officer_connected(officer=officer_on_a, socket=SocketRef(B, "b.officer"))
    later = found_dead + grace() + timedelta(seconds=1)
    process_beat(process_id=B, now=later)
    assert sweep_due(now=later).conversations_requeued == []
    assert status(started.conversation.pk) == "active"
    assert profile(officer_on_a).open_sockets == 1


def test_sweeping_twice_at_the_same_moment_does_the_work_once(officer_on_a, t0):
    started = conversation_start(socket=SocketRef(A, "a.citizen"))
    found_dead = t0 + ttl() + timedelta(seconds=1)
    first = sweep_due(now=found_dead)
    assert (first.processes_expired, first.officers_offline) == ([A, B], [officer_on_a.pk])
    again = sweep_due(now=found_dead)
    assert (again.processes_expired, again.officers_offline) == ([], [])

    due = found_dead + resume()
    assert sweep_due(now=due).conversations_abandoned == [started.conversation.pk]
    assert sweep_due(now=due).conversations_abandoned == []
    assert AuditEvent.objects.filter(action="conversation.abandoned").count() == 1


def test_leases_of_a_process_without_a_heartbeat_are_swept(make_officer, t0):
    user = make_officer()
    officer_connected(officer=user, socket=SocketRef(A, "a.officer"))
    # A process declared dead takes a new id; a lease left under the old one is an orphan.
    SocketLease.objects.filter(channel_name="a.officer").update(process_id="gone:1:dead")
    result = sweep_due(now=timezone.now() + ttl() + timedelta(seconds=1))
    assert "gone:1:dead" in result.processes_expired
    assert profile(user).open_sockets == 0


def test_an_idle_sweep_costs_a_few_queries(officer_on_a, t0, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        sweep_due(now=t0 + timedelta(seconds=1))
