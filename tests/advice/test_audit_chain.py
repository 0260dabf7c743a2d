"""The audit trail is a hash chain: tampering shows, forks cannot happen, purging keeps it whole."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from advice.audit import audit_record
from advice.audit_chain import GENESIS, chain_hash, event_canonical
from advice.audit_verify import audit_chain_verify, audit_purge
from advice.db_guard import audit_guard_install, audit_guard_remove
from advice.models import AuditChainHead, AuditEvent


def record(n: int) -> AuditEvent:
    return audit_record(action="conversation.viewed", actor_kind="system", params={"n": n})


def system_view_hash(previous: str, stored: AuditEvent, params: dict) -> str:
    """The hash a stored ``record``-style event must carry, computed here from its fields."""
    return chain_hash(
        previous,
        event_canonical(
            seq=stored.seq,
            at=stored.at,
            actor_id=None,
            actor_kind="system",
            action="conversation.viewed",
            conversation_ref=None,
            object_type="",
            object_id="",
            params=params,
        ),
    )


def tamper(sql: str, params: list) -> None:
    """What someone with raw database access could do after dropping the guard."""
    audit_guard_remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    audit_guard_install(connection)


def verify_output() -> str:
    try:
        call_command("verify_audit", stdout=(out := _Out()))
    except CommandError as error:
        return f"FAILED {error}"
    return out.text


class _Out:
    text = ""

    def write(self, value: str) -> None:
        self.text += value


@pytest.mark.django_db
def test_each_event_carries_the_hash_of_its_fields_and_the_previous_hash():
    first, second = record(1), record(2)
    assert (first.seq, second.seq) == (second.seq - 1, second.seq)
    stored = AuditEvent.objects.get(pk=second.pk)
    assert stored.hash == system_view_hash(first.hash, stored, {"n": 2})
    assert AuditChainHead.objects.get().hash == stored.hash
    assert verify_output().startswith("Audit chain intact: 2 events")


@pytest.mark.django_db
def test_verify_audit_names_the_first_changed_event():
    events = [record(n) for n in range(4)]
    tamper("UPDATE advice_auditevent SET params = %s WHERE id = %s", ['{"n": 99}', events[2].pk])
    report = audit_chain_verify()
    assert (report.first_broken, report.event_id) == (events[2].seq, events[2].pk)
    assert f"position {events[2].seq}" in verify_output()


@pytest.mark.django_db
def test_verify_audit_notices_a_deleted_event_and_a_cut_off_end():
    events = [record(n) for n in range(4)]
    tamper("DELETE FROM advice_auditevent WHERE id = %s", [events[1].pk])
    assert audit_chain_verify().first_broken == events[1].seq


@pytest.mark.django_db
def test_verify_audit_notices_the_newest_events_cut_off():
    events = [record(n) for n in range(3)]
    tamper("DELETE FROM advice_auditevent WHERE id = %s", [events[-1].pk])
    report = audit_chain_verify()
    assert report.first_broken == events[-1].seq
    assert "head" in report.problem


@pytest.mark.django_db
def test_the_database_refuses_to_change_or_delete_a_recent_event():
    event = record(1)
    for sql in (
        "UPDATE advice_auditevent SET hash = 'x' WHERE id = %s",
        "DELETE FROM advice_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(IntegrityError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, hash=event.hash).exists()


@pytest.mark.django_db
def test_purging_old_events_keeps_the_last_purged_hash_as_the_anchor(monkeypatch):
    long_ago = datetime(2001, 5, 1, 12, tzinfo=UTC)
    with monkeypatch.context() as patched:
        patched.setattr(timezone, "now", lambda: long_ago)
        old = [record(n) for n in range(3)]
    recent = [record(n) for n in range(2)]

    report = audit_purge()

    assert report.purged == 3
    assert (report.anchor_seq, report.anchor_hash) == (old[-1].seq, old[-1].hash)
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [e.pk for e in recent]
    assert audit_chain_verify().intact
    assert audit_purge().purged == 0  # idempotent
    # The anchor is the proof: change it and the remaining chain no longer verifies.
    AuditChainHead.objects.update(anchor_hash=GENESIS)
    assert audit_chain_verify().first_broken == recent[0].seq


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    threads, per_thread = 4, 10
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def write(worker: int) -> None:
        try:
            start.wait()
            for n in range(per_thread):
                with transaction.atomic():
                    audit_record(
                        action="conversation.viewed",
                        actor_kind="system",
                        params={"w": worker, "n": n},
                    )
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=write, args=(w,)) for w in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    seqs = sorted(AuditEvent.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, threads * per_thread + 1))
    assert audit_chain_verify().intact


@pytest.mark.django_db
def test_events_sealed_by_the_database_verify_like_those_sealed_here():
    """On PostgreSQL the head's UPDATE computes the hash (one statement); the text it hashes
    must be the canonical JSON byte for byte, whatever the parameters hold."""
    record(0)  # creates the head
    awkward = [
        {"text": "Zażółć gęślą jaźń — Ёлка ї ґ 😭", "quote": 'say "hi"\\n', "nl": "a\nb\tc"},
        {"nested": {"b": [1, 2.5, None, True], "a": {"z": "}"}}, "seq": 7},
        {3: "integer key", "empty": ""},
        {},
    ]
    events = [
        audit_record(action="conversation.viewed", actor_kind="system", params=params)
        for params in awkward
    ]
    stored = list(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("seq"))
    previous = AuditEvent.objects.get(seq=stored[0].seq - 1).hash
    for event, params in zip(stored, awkward, strict=True):
        assert event.hash == system_view_hash(previous, event, params)
        previous = event.hash
    assert [e.seq for e in events] == [e.seq for e in stored]
    assert [e.hash for e in events] == [e.hash for e in stored]
    assert audit_chain_verify().intact
