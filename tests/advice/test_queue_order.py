"""Queue order: urgency first, aging so nobody starves, handed-back conversations at the head."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from advice.models import Conversation
from advice.selectors import queue_estimate, queue_waiting

pytestmark = pytest.mark.django_db


def waiting(urgency: str, minutes_ago: float, **extra) -> Conversation:
    conversation = Conversation.objects.create(
        token_hash=f"h{Conversation.objects.count()}", urgency=urgency, **extra
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        queued_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    conversation.refresh_from_db()
    return conversation


def test_more_urgent_goes_first_then_the_longest_wait(settings):
    settings.QUEUE_AGING_SECONDS = 3600
    p3_old = waiting("P3", 5)
    p2_new = waiting("P2", 1)
    p3_new = waiting("P3", 2)
    p1_new = waiting("P1", 0.5)
    assert [c.pk for c in queue_waiting()] == [p1_new.pk, p2_new.pk, p3_old.pk, p3_new.pk]


def test_a_p4_that_waited_long_overtakes_fresh_p3s_but_never_a_p1(settings):
    settings.QUEUE_AGING_SECONDS = 600
    p4_old = waiting("P4", 25)  # aged two levels: ranks with P2
    p3_fresh = waiting("P3", 1)
    p1_fresh = waiting("P1", 0)
    assert [c.pk for c in queue_waiting()] == [p1_fresh.pk, p4_old.pk, p3_fresh.pk]


def test_handed_back_conversation_goes_to_the_head(settings):
    settings.QUEUE_AGING_SECONDS = 600
    p1 = waiting("P1", 3)
    requeued = waiting("P3", 0, requeued_at=timezone.now())
    assert [c.pk for c in queue_waiting()] == [requeued.pk, p1.pk]


def test_a_conversation_accepted_on_referral_goes_first_among_its_urgency(settings):
    settings.QUEUE_AGING_SECONDS = 3600
    p2 = waiting("P2", 1)
    p3_old = waiting("P3", 5)
    referred_p3 = waiting("P3", 0.5, referred_at=timezone.now())
    p1 = waiting("P1", 0.2)
    assert [c.pk for c in queue_waiting()] == [p1.pk, p2.pk, referred_p3.pk, p3_old.pk]


def test_nobody_on_duty_gives_no_estimate(make_officer):
    make_officer(on_duty=False)
    conversation = waiting("P3", 0)
    estimate = queue_estimate(conversation_id=conversation.pk)
    assert estimate is not None
    assert estimate.position == 1
    assert estimate.officers_on_duty == 0
    assert estimate.estimated_wait_seconds is None


def test_estimate_grows_with_the_position_beyond_free_places(make_officer):
    officer = make_officer(max_chats=1)
    officer.officer_profile.open_sockets = 1
    officer.officer_profile.save()
    conversations = [waiting("P3", 10 - n) for n in range(4)]
    first = queue_estimate(conversation_id=conversations[0].pk)
    last = queue_estimate(conversation_id=conversations[-1].pk)
    assert first.officers_on_duty == 1
    assert last.position == 4
    assert last.estimated_wait_seconds > first.estimated_wait_seconds
