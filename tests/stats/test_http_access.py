"""The statistics endpoints over HTTP: who gets what, and what the answers look like."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from advice.models import AuditEvent

pytestmark = pytest.mark.django_db

METRICS = "/supervisor/stats/metrics.json"
EXPORT = "/supervisor/stats/export.csv"
CHART = "/supervisor/stats/chart.svg"
RANGE = {"from": "2025-03-01", "to": "2025-03-05"}


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("url", [METRICS, EXPORT, CHART])
def test_anonymous_visitor_is_sent_to_the_login_page(url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/console/login/?next=")


@pytest.mark.parametrize("url", [METRICS, EXPORT, CHART])
def test_officer_gets_403_json(url, officer):
    response = client_for(officer).get(url)
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"


def test_supervisor_gets_metrics_of_own_unit(make_conversation, unit, other_unit, supervisor):
    make_conversation(unit=unit, join=20, close=200)
    make_conversation(unit=other_unit, join=20, close=200)
    response = client_for(supervisor).get(METRICS, RANGE)
    assert response.status_code == 200
    body = response.json()
    assert body["totals"]["started"] == 1
    assert body["scope"] == {"all_units": False, "units": ["KAT"], "officers_visible": True}
    assert body["filters"]["from"] == "2025-03-01"


def test_supervisor_asking_for_another_unit_gets_403(other_unit, supervisor):
    response = client_for(supervisor).get(METRICS, {**RANGE, "unit": "OVA"})
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"


def test_bad_parameter_gets_400_json(supervisor):
    response = client_for(supervisor).get(METRICS, {"from": "yesterday"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_field"


def test_admin_sees_every_unit(make_conversation, unit, other_unit, admin_user):
    make_conversation(unit=unit, join=20, close=200)
    make_conversation(unit=other_unit, join=20, close=200)
    body = client_for(admin_user).get(METRICS, RANGE).json()
    assert body["totals"]["started"] == 2
    assert {r["unit"] for r in body["breakdowns"]["unit"]} == {"KAT", "OVA"}


def test_only_get_is_allowed(supervisor):
    assert client_for(supervisor).post(METRICS).status_code == 405


def test_external_csv_export_is_an_audited_attachment(make_conversation, unit, supervisor):
    make_conversation(unit=unit, join=20, close=200)
    response = client_for(supervisor).get(EXPORT, {**RANGE, "external": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["section"] == "total"
    assert rows[0]["started"] == "< 5"
    event = AuditEvent.objects.get(action="statistics.exported")
    assert event.actor_id == supervisor.pk
    assert event.params["external"] is True


def test_chart_endpoint_returns_an_svg_document(make_conversation, unit, supervisor):
    make_conversation(unit=unit, join=20, close=200)
    response = client_for(supervisor).get(CHART, {**RANGE, "chart": "heatmap"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert b'xmlns="http://www.w3.org/2000/svg"' in response.content
    assert b'role="img"' in response.content
