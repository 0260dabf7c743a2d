"""Case references: per unit and year, without gaps or duplicates, also under concurrency."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from django.db import connection

from advice.models import Unit
from cases.errors import CaseErrorCode
from cases.models import Case, ReferenceCounter
from cases.services.escalation import case_escalate, reference_year
from core.errors import DomainError
from tests.cases.conftest import chat


@pytest.mark.django_db
def test_references_count_up_per_unit(officer, foreign_officer, make_case):
    first = make_case(["a"])
    second = make_case(["b"])
    czech = make_case(["c"], by=foreign_officer, language="cs")
    year = datetime.now(UTC).year
    assert first.reference == f"KAT-{year}-000001"
    assert second.reference == f"KAT-{year}-000002"
    assert czech.reference == f"OVA-{year}-000001"


def test_the_year_is_the_units_local_year():
    warsaw = Unit(code="KAT", timezone="Europe/Warsaw")
    new_years_eve_utc = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 00:30 in Warsaw
    assert reference_year(warsaw, new_years_eve_utc) == 2027
    assert reference_year(Unit(code="X", timezone="Not/AZone"), new_years_eve_utc) == 2026


@pytest.mark.django_db
def test_a_failed_escalation_leaves_no_gap(officer, monkeypatch):
    first = make_conversation_case(officer)
    import cases.services.escalation as escalation

    def broken(case):
        raise RuntimeError("snapshot failed")

    monkeypatch.setattr(escalation, "transcript_append_new", broken)
    with pytest.raises(RuntimeError):
        case_escalate(conversation_id=chat(officer, ["x"]).pk, officer=officer)
    monkeypatch.undo()
    third = make_conversation_case(officer)
    assert int(third.reference[-6:]) == int(first.reference[-6:]) + 1


def make_conversation_case(officer):
    return case_escalate(conversation_id=chat(officer, ["x"]).pk, officer=officer)


@pytest.mark.django_db(transaction=True)
def test_concurrent_escalations_get_distinct_consecutive_numbers(make_officer):
    """Real concurrency (one connection per thread) on SQLite and on PostgreSQL."""
    officers = [make_officer(f"officer{i}") for i in range(8)]
    conversations = [chat(o, [f"sprawa {i}"]) for i, o in enumerate(officers)]
    barrier = threading.Barrier(len(officers))

    def escalate(index: int) -> str:
        barrier.wait()
        try:
            return case_escalate(
                conversation_id=conversations[index].pk, officer=officers[index]
            ).reference
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(officers)) as pool:
        references = list(pool.map(escalate, range(len(officers))))
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in references)
    assert numbers == list(range(1, len(officers) + 1))
    assert ReferenceCounter.objects.get().last_number == len(officers)


@pytest.mark.django_db(transaction=True)
def test_concurrent_escalations_of_one_conversation_make_one_case(make_officer):
    officer = make_officer("anna")
    supervisors = [make_officer(f"lead{i}", supervisor=True) for i in range(4)]
    conversation = chat(officer, ["pomocy"])
    people = [officer, *supervisors]
    barrier = threading.Barrier(len(people))

    def escalate(user) -> str:
        barrier.wait()
        try:
            return case_escalate(conversation_id=conversation.pk, officer=user).reference
        except DomainError as error:
            return error.code.value
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        outcomes = list(pool.map(escalate, people))
    assert outcomes.count(CaseErrorCode.ALREADY_ESCALATED.value) == len(people) - 1
    assert Case.objects.count() == 1
    assert ReferenceCounter.objects.get().last_number == 1
