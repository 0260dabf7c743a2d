"""Legal hold and review date on the case page: supervisors of the case's unit change them
with a reason (audited, shown on the page); officers see them read only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from advice.models import AuditEvent
from cases.models import Case
from cases.services.purge import purge_expired
from tests.cases.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(make_case) -> Case:
    return make_case(["Szantażują mnie zdjęciami"])


def supervisor_page(client, case: Case) -> str:
    client.post(f"/console/cases/{case.pk}/", {"reason": "supervision"})
    return client.get(f"/console/cases/{case.pk}/").content.decode()


def test_a_supervisor_puts_the_case_on_hold_and_the_page_says_why(supervisor, case):
    client = client_for(supervisor)
    assert "Put on legal hold" in supervisor_page(client, case)
    answer = client.post(
        f"/console/cases/{case.pk}/legal-hold/",
        {"hold-hold": "1", "hold-reason": "Prosecutor's preservation order 12/26"},
    )
    assert answer.status_code == 302
    page = client.get(answer["Location"]).content.decode()
    assert "The case is on legal hold." in page
    assert "Prosecutor&#x27;s preservation order 12/26" in page
    assert "Lift the legal hold" in page
    event = AuditEvent.objects.get(action="case.legal_hold_set")
    assert (event.actor_id, event.params["hold"], event.params["reason"]) == (
        supervisor.pk,
        True,
        "Prosecutor's preservation order 12/26",
    )
    # Held past its review date, the case is not erased.
    case.refresh_from_db()
    assert purge_expired(now=case.review_at + timedelta(days=30)).cases == 0


def test_lifting_the_hold_needs_a_reason_too(supervisor, case):
    client = client_for(supervisor)
    supervisor_page(client, case)
    client.post(f"/console/cases/{case.pk}/legal-hold/", {"hold-hold": "1", "hold-reason": "x"})
    client.post(f"/console/cases/{case.pk}/legal-hold/", {"hold-hold": "0", "hold-reason": ""})
    case.refresh_from_db()
    assert case.legal_hold
    client.post(
        f"/console/cases/{case.pk}/legal-hold/", {"hold-hold": "0", "hold-reason": "Order ended"}
    )
    case.refresh_from_db()
    assert not case.legal_hold
    assert case.legal_hold_reason == ""
    assert [
        e.params["reason"] for e in AuditEvent.objects.filter(action="case.legal_hold_set")
    ] == [
        "x",
        "Order ended",
    ]


def test_a_supervisor_moves_the_review_date_and_the_page_shows_it(supervisor, case):
    client = client_for(supervisor)
    supervisor_page(client, case)
    later = (timezone.localdate() + timedelta(days=2000)).isoformat()
    answer = client.post(
        f"/console/cases/{case.pk}/review-date/",
        {"review-review_on": later, "review-reason": "Trial expected in 2032"},
    )
    page = client.get(answer["Location"]).content.decode()
    assert "Review date changed." in page
    assert later in page
    event = AuditEvent.objects.get(action="case.review_date_set")
    assert event.params["to"].startswith(later)
    assert event.params["reason"] == "Trial expected in 2032"


def test_a_review_date_in_the_past_is_refused(supervisor, case):
    client = client_for(supervisor)
    supervisor_page(client, case)
    before = case.review_at
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    answer = client.post(
        f"/console/cases/{case.pk}/review-date/",
        {"review-review_on": yesterday, "review-reason": "Erase it now"},
    )
    page = client.get(answer["Location"]).content.decode()
    assert "the review date must be in the future" in page
    case.refresh_from_db()
    assert case.review_at == before
    assert not AuditEvent.objects.filter(action="case.review_date_set").exists()


def test_the_assigned_officer_sees_both_read_only_and_cannot_change_them(officer, case):
    client = client_for(officer)
    page = client.get(f"/console/cases/{case.pk}/").content.decode()
    assert "Legal hold" in page
    assert "None: the case is erased at its review date." in page
    assert "Put on legal hold" not in page
    assert "Only a supervisor of the case's unit can change these." in page
    client.post(f"/console/cases/{case.pk}/legal-hold/", {"hold-hold": "1", "hold-reason": "x"})
    later = (timezone.localdate() + timedelta(days=9000)).isoformat()
    client.post(
        f"/console/cases/{case.pk}/review-date/",
        {"review-review_on": later, "review-reason": "keep"},
    )
    case.refresh_from_db()
    assert not case.legal_hold
    assert later not in str(case.review_at)
    assert not AuditEvent.objects.filter(
        action__in=["case.legal_hold_set", "case.review_date_set"]
    ).exists()


def test_a_supervisor_of_another_unit_cannot_hold_the_case(foreign_supervisor, case):
    client = client_for(foreign_supervisor)
    answer = client.post(
        f"/console/cases/{case.pk}/legal-hold/", {"hold-hold": "1", "hold-reason": "x"}
    )
    assert answer.status_code == 404
    case.refresh_from_db()
    assert not case.legal_hold
