"""The queue, console and dashboard reads cost a fixed number of queries, however long the queue."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AbstractUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advice.models import SenderKind
from advice.selectors import console_snapshot, queue_estimates, queue_waiting
from advice.services.conversations import conversation_claim, conversation_start
from advice.services.messages import message_post
from stats.access import stats_scope_for
from stats.live import live_snapshot

pytestmark = pytest.mark.django_db


def waiting(count: int) -> None:
    for n in range(count):
        cid = conversation_start(browser_language="pl").conversation.pk
        message_post(
            conversation_id=cid, sender=SenderKind.CITIZEN, client_id=f"c{n}", text="Pomocy"
        )


def queries(read: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


@pytest.mark.parametrize(
    "read",
    [queue_waiting, queue_estimates],
    ids=["queue_waiting", "queue_estimates"],
)
def test_queue_reads_do_not_grow_with_the_queue(read: Callable[[], object]) -> None:
    waiting(2)
    few = queries(read)
    waiting(15)
    assert queries(read) == few
    assert few <= 4


def test_the_console_snapshot_does_not_grow_with_the_queue_or_the_chats(
    make_officer: Callable[..., AbstractUser],
) -> None:
    officer = make_officer(max_chats=10)
    waiting(2)
    few = queries(lambda: console_snapshot(user=officer))
    waiting(15)
    for entry in queue_waiting()[:3]:
        conversation_claim(conversation_id=entry.pk, officer=officer)
    assert queries(lambda: console_snapshot(user=officer)) == few
    assert few <= 3


def test_the_supervisor_live_figures_do_not_grow_with_the_queue(
    make_officer: Callable[..., AbstractUser],
) -> None:
    supervisor = make_officer("marek", supervisor=True)
    make_officer("anna")
    scope = stats_scope_for(supervisor)
    assert scope is not None
    waiting(2)
    few = queries(lambda: live_snapshot(scope=scope))
    waiting(15)
    assert queries(lambda: live_snapshot(scope=scope)) == few
    assert few <= 8
