"""Opening a case one is not assigned to asks why first, and the reason is audited with it."""

from __future__ import annotations

import pytest

from advice.models import AuditEvent
from cases.models import Case
from core.errors import DomainError
from tests.cases.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(make_case) -> Case:
    return make_case(["Oszukano mnie, dzwonili z 601 234 567"])


def viewed() -> list[dict]:
    return list(AuditEvent.objects.filter(action="case.viewed").values_list("params", flat=True))


def test_the_assigned_officer_opens_the_case_without_a_question(officer, case):
    response = client_for(officer).get(f"/console/cases/{case.pk}/")
    assert response.status_code == 200
    assert "Why are you opening this case?" not in response.content.decode()
    assert viewed() == [{"reference": case.reference, "access": "unit", "view": "detail"}]


def test_a_colleague_is_asked_why_before_seeing_anything(colleague, case):
    response = client_for(colleague).get(f"/console/cases/{case.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Why are you opening this case?" in page
    assert "601 234 567" not in page
    assert viewed() == []


def test_the_reason_given_is_stored_with_the_access(colleague, case):
    client = client_for(colleague)
    answer = client.post(
        f"/console/cases/{case.pk}/", {"reason": "covering", "text": "Anna is on leave"}
    )
    assert answer.status_code == 302
    assert answer["Location"] == f"/console/cases/{case.pk}/"
    assert client.get(answer["Location"]).status_code == 200
    [params] = viewed()
    assert params["justification"] == {"reason": "covering", "text": "Anna is on leave"}
    # The justification holds for a while: the next view is recorded with it, unasked.
    assert "601 234 567" in client.get(f"/console/cases/{case.pk}/").content.decode()
    assert [p["justification"]["reason"] for p in viewed()] == ["covering", "covering"]


@pytest.mark.parametrize(
    "data", [{"reason": "curiosity"}, {"reason": "other", "text": ""}, {"reason": ""}]
)
def test_an_unknown_reason_or_other_without_words_is_asked_again(colleague, case, data):
    response = client_for(colleague).post(f"/console/cases/{case.pk}/", data)
    assert response.status_code == 200
    assert "Why are you opening this case?" in response.content.decode()
    assert viewed() == []


def test_a_case_from_another_unit_stays_not_found(foreign_officer, case):
    client = client_for(foreign_officer)
    assert client.get(f"/console/cases/{case.pk}/").status_code == 404
    assert client.post(f"/console/cases/{case.pk}/", {"reason": "covering"}).status_code == 404


def exported() -> list[dict]:
    return list(AuditEvent.objects.filter(action="case.exported").values_list("params", flat=True))


@pytest.mark.parametrize("view", ["print/", "export.json", "stix.json"])
def test_print_and_downloads_ask_a_colleague_why_first(colleague, case, view):
    client = client_for(colleague)
    response = client.get(f"/console/cases/{case.pk}/{view}")
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Why are you opening this case?" in page
    assert "601 234 567" not in page
    assert case.reference in page
    assert exported() == []


@pytest.mark.parametrize(
    ("view", "kind"),
    [
        ("print/", "text/html"),
        ("export.json", "application/json"),
        ("stix.json", "application/json"),
    ],
)
def test_the_reason_given_for_a_download_is_stored_with_the_export(colleague, case, view, kind):
    client = client_for(colleague)
    answer = client.post(f"/console/cases/{case.pk}/{view}", {"reason": "legal_request"})
    assert answer.status_code == 302
    assert answer["Location"] == f"/console/cases/{case.pk}/{view}"
    download = client.get(answer["Location"])
    assert download["Content-Type"].startswith(kind)
    assert "Why are you opening" not in download.content.decode()
    [params] = exported()
    assert params["justification"] == {"reason": "legal_request", "text": ""}


def test_a_reason_given_on_the_case_page_also_covers_its_downloads(colleague, case):
    client = client_for(colleague)
    client.post(f"/console/cases/{case.pk}/", {"reason": "covering", "text": "Anna is away"})
    download = client.get(f"/console/cases/{case.pk}/export.json")
    assert download["Content-Type"].startswith("application/json")
    assert [p["justification"]["reason"] for p in exported()] == ["covering"]


def test_the_assigned_officer_downloads_without_a_question(officer, case):
    client = client_for(officer)
    for view in ("print/", "export.json", "stix.json"):
        assert (
            "Why are you opening"
            not in client.get(f"/console/cases/{case.pk}/{view}").content.decode()
        )
    assert [p["format"] for p in exported()] == ["print", "json", "stix"]
    assert not [p for p in exported() if "justification" in p]


def test_the_services_refuse_a_read_without_the_needed_reason(colleague, officer, case):
    from cases.services.reading import case_export_json, case_open, case_print

    for read in (case_open, case_print, case_export_json):
        with pytest.raises(DomainError) as refused:
            read(case_id=case.pk, user=colleague)
        assert refused.value.code == "justification_required"
    assert case_open(case_id=case.pk, user=officer).pk == case.pk
