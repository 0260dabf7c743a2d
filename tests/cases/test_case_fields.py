"""Editing a case: status workflow, fields, losses, checklist and notes, through the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cases.models import CaseStatus
from cases.services.cases import case_transition
from core.errors import DomainError
from tests.cases.conftest import client_for

pytestmark = pytest.mark.django_db


def test_status_moves_open_referred_closed_and_reopens(make_case, officer):
    case = make_case()
    assert case_transition(case_id=case.pk, user=officer, status="referred").status == "referred"
    closed = case_transition(case_id=case.pk, user=officer, status="closed")
    assert closed.closed_at is not None
    reopened = case_transition(
        case_id=case.pk, user=officer, status="open", reason="Ofiara dosłała nowe dowody"
    )
    assert (reopened.status, reopened.closed_at) == ("open", None)


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ([], "open"),  # already open
        ([], "archived"),  # no such status
        (["referred"], "open"),
        (["closed"], "referred"),
        (["closed"], "closed"),
    ],
)
def test_invalid_transitions_are_rejected(make_case, officer, path, target):
    case = make_case()
    for status in path:
        case_transition(case_id=case.pk, user=officer, status=status)
    with pytest.raises(DomainError) as refused:
        case_transition(case_id=case.pk, user=officer, status=target, reason="x")
    assert refused.value.code.value == "invalid_transition"


def test_reopening_needs_a_reason(make_case, officer):
    case = make_case()
    case_transition(case_id=case.pk, user=officer, status="closed")
    with pytest.raises(DomainError) as refused:
        case_transition(case_id=case.pk, user=officer, status="open")
    assert refused.value.code.value == "invalid_field"


def test_invalid_transition_through_the_page_shows_the_error(make_case, officer):
    case = make_case()
    client = client_for(officer)
    response = client.post(f"/console/cases/{case.pk}/status/", {"status": "open"}, follow=True)
    assert "this change is not possible now" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_fields_are_edited_in_the_units_local_time(make_case, officer, colleague):
    case = make_case()
    client = client_for(officer)
    response = client.post(
        f"/console/cases/{case.pk}/fields/",
        {
            "category": "bank_impersonation",
            "urgency": "P2",
            "assigned_officer": str(colleague.pk),
            "incident_at": "2026-03-14T09:30",
            "summary": "Fałszywy konsultant banku, przelew na „bezpieczne konto”.",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.category, case.urgency, case.assigned_officer_id) == (
        "bank_impersonation",
        "P2",
        colleague.pk,
    )
    # 09:30 in Warsaw in March (UTC+1) is 08:30 UTC.
    assert case.incident_at.isoformat() == "2026-03-14T08:30:00+00:00"
    # The new category's checklist items are added.
    assert case.evidence_items.filter(code="remote_access_app").exists()


def test_assigning_an_officer_of_another_unit_is_refused(make_case, officer, foreign_officer):
    case = make_case()
    response = client_for(officer).post(
        f"/console/cases/{case.pk}/fields/",
        {"category": "other", "urgency": "P3", "assigned_officer": str(foreign_officer.pk)},
        follow=True,
    )
    # The form does not even offer that officer.
    assert "Select a valid choice" in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_officer_id == officer.pk


def test_several_losses_in_several_currencies(make_case, officer):
    case = make_case()
    client = client_for(officer)
    for amount, currency, method in (
        ("1500,50", "PLN", "blik"),
        ("200", "PLN", "transfer"),
        ("0.015", "BTC", "crypto"),
    ):
        client.post(
            f"/console/cases/{case.pk}/losses/",
            {"amount": amount, "currency": currency, "method": method},
        )
    assert list(case.losses.values_list("amount", "currency")) == [
        (Decimal("1500.50"), "PLN"),
        (Decimal("200"), "PLN"),
        (Decimal("0.015"), "BTC"),
    ]
    page = client.get(f"/console/cases/{case.pk}/").content.decode()
    assert "1700.50 PLN" in page
    assert "0.015 BTC" in page
    response = client.post(
        f"/console/cases/{case.pk}/losses/",
        {"amount": "-5", "currency": "PLN", "method": "cash"},
        follow=True,
    )
    assert "a value is missing or not valid" in response.content.decode()
    loss = case.losses.first()
    client.post(f"/console/cases/{case.pk}/losses/{loss.pk}/remove/")
    assert case.losses.count() == 2


def test_checklist_records_what_the_victim_has(make_case, officer):
    case = make_case()
    client_for(officer).post(
        f"/console/cases/{case.pk}/checklist/", {"have": ["screenshots", "timeline"]}
    )
    assert set(case.evidence_items.filter(have=True).values_list("code", flat=True)) == {
        "screenshots",
        "timeline",
    }


def test_notes_are_internal_and_escaped(make_case, officer):
    case = make_case(["<script>alert(1)</script> pomocy"])
    client = client_for(officer)
    client.post(f"/console/cases/{case.pk}/notes/", {"text": "Oddzwonić <b>jutro</b>"})
    page = client.get(f"/console/cases/{case.pk}/").content.decode()
    assert "Oddzwonić &lt;b&gt;jutro&lt;/b&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<style" not in page
    assert " style=" not in page


def test_a_closed_case_cannot_be_edited_until_reopened(make_case, officer):
    case = make_case()
    case_transition(case_id=case.pk, user=officer, status="closed")
    response = client_for(officer).post(
        f"/console/cases/{case.pk}/losses/",
        {"amount": "10", "currency": "EUR", "method": "card"},
        follow=True,
    )
    assert "reopen it first" in response.content.decode()
    assert not case.losses.exists()


def test_forms_are_csrf_protected(make_case, officer):
    case = make_case()
    response = client_for(officer, csrf=True).post(
        f"/console/cases/{case.pk}/notes/", {"text": "x"}
    )
    assert response.status_code == 403
    assert not case.notes.exists()
