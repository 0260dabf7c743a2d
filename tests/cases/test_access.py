"""Who sees what: every page, action and export applies the same access rule."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cases.models import Case
from cases.selectors import case_for_user, cases_visible_to
from cases.services.referrals import referral_accept, referral_case_create
from core.errors import DomainError
from tests.cases.conftest import client_for

pytestmark = pytest.mark.django_db

READS = ["", "print/", "export.json", "stix.json"]
WRITES = [
    ("fields/", {"category": "other", "urgency": "P1", "summary": "changed"}),
    ("status/", {"status": "closed"}),
    ("losses/", {"amount": "10", "currency": "PLN", "method": "cash"}),
    ("checklist/", {"have": ["timeline"]}),
    ("notes/", {"text": "x"}),
    ("indicators/extract/", {}),
    ("indicators/add/", {"text": "+48 512 345 678", "party": "suspect"}),
    ("transcript/append/", {}),
    ("refer/", {"unit": "OVA", "reason": "other", "summary": "x"}),
]


@pytest.fixture
def case(make_case) -> Case:
    return make_case(["Oszukano mnie, dzwonili z 601 234 567"])


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.invalid", "pw-root")


@pytest.mark.parametrize("who", ["officer", "colleague", "supervisor"])
def test_staff_of_the_cases_unit_read_everything(request, case, who):
    client = client_for(request.getfixturevalue(who))
    for path in READS:
        assert client.get(f"/console/cases/{case.pk}/{path}").status_code == 200, path
    assert case.reference in client.get("/console/cases/").content.decode()


@pytest.mark.parametrize("who", ["colleague", "supervisor"])
def test_staff_of_the_cases_unit_may_change_it(request, case, who):
    client = client_for(request.getfixturevalue(who))
    client.post(f"/console/cases/{case.pk}/notes/", {"text": "notatka"})
    assert case.notes.count() == 1


@pytest.mark.parametrize("who", ["foreign_officer", "foreign_supervisor"])
def test_another_units_staff_get_nothing(request, case, who):
    user = request.getfixturevalue(who)
    client = client_for(user)
    for path in READS:
        assert client.get(f"/console/cases/{case.pk}/{path}").status_code == 404, path
    for path, data in WRITES:
        response = client.post(f"/console/cases/{case.pk}/{path}", data)
        assert response.status_code == 404, path
    assert case.reference not in client.get("/console/cases/").content.decode()
    case.refresh_from_db()
    assert (case.status, case.urgency, case.summary) == ("open", "P3", "")
    assert not case.notes.exists()
    assert not case.losses.exists()
    assert not case.referrals.exists()
    with pytest.raises(DomainError):
        case_for_user(case.pk, user)


def test_a_superuser_without_an_officer_profile_sees_no_case(case, superuser):
    assert not cases_visible_to(superuser).exists()
    client = client_for(superuser)
    assert client.get("/console/cases/").status_code == 403
    for path in READS:
        assert client.get(f"/console/cases/{case.pk}/{path}").status_code == 403, path


def test_anonymous_visitors_are_sent_to_log_in(case):
    client = Client()
    for path in READS:
        response = client.get(f"/console/cases/{case.pk}/{path}")
        assert response.status_code == 302, path
        assert response["Location"].startswith("/console/login/")
    response = client.post(f"/console/cases/{case.pk}/notes/", {"text": "x"})
    assert response.status_code == 302
    assert not case.notes.exists()


def test_an_officer_keeps_read_access_to_a_case_they_worked_on(case, officer, foreign_officer):
    referral = referral_case_create(
        case_id=case.pk, user=officer, unit_code="OVA", reason="jurisdiction", summary="x"
    )
    referral_accept(referral_id=referral.pk, user=foreign_officer)
    client = client_for(officer)
    assert client.get(f"/console/cases/{case.pk}/").status_code == 200
    response = client.post(f"/console/cases/{case.pk}/notes/", {"text": "x"}, follow=True)
    assert "you are not allowed to do this" in response.content.decode()
    assert not case.notes.exists()


def test_the_list_shows_only_visible_cases_and_filters(make_case, officer, foreign_officer):
    mine = make_case(["a"])
    theirs = make_case(["b"], by=foreign_officer, language="cs")
    page = client_for(officer).get("/console/cases/?status=open").content.decode()
    assert mine.reference in page
    assert theirs.reference not in page
    page = client_for(officer).get("/console/cases/?status=closed").content.decode()
    assert mine.reference not in page
