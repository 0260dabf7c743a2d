"""Staff pages are never cached; CSP violations are counted per directive, nothing else kept."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client

from poradnia.http_security import csp_violation_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(make_officer):
    def make(username: str, *, supervisor: bool = False) -> Client:
        client = Client()
        client.force_login(make_officer(username, supervisor=supervisor))
        return client

    return make


@pytest.mark.parametrize("path", ["/console/", "/supervisor/", "/console/cases/"])
def test_console_case_and_supervisor_pages_are_never_stored(client_for, path):
    response = client_for("marek", supervisor=True).get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_supervisor_page_says_its_csv_is_internal_and_unsuppressed(client_for):
    page = client_for("marek", supervisor=True).get("/supervisor/").content.decode()
    assert "internal and unsuppressed" in page
    assert "external=1" in page


def test_the_policy_names_the_report_endpoint(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "report-uri /csp-report/" in policy


def test_a_violation_report_is_counted_by_directive_and_its_content_dropped(client):
    before = csp_violation_count("script-src-elem")
    report = {
        "csp-report": {
            "document-uri": "https://poradnia.example/console/?secret=transcript",
            "blocked-uri": "https://evil.example/x.js",
            "effective-directive": "script-src-elem",
            "violated-directive": "script-src-elem",
        }
    }
    response = client.post(
        "/csp-report/", json.dumps(report), content_type="application/csp-report"
    )
    assert response.status_code == 204
    assert csp_violation_count("script-src-elem") == before + 1
    local = getattr(cache, "_cache", None)
    if isinstance(local, dict):  # the in-memory cache: look at everything it holds
        assert not any("evil.example" in str(k) or "transcript" in str(k) for k in local)
        stored = [cache.get(k.split(":", 2)[-1]) for k in list(local)]
        assert not any("evil.example" in str(v) or "transcript" in str(v) for v in stored)


def test_reporting_api_batches_and_garbage_are_handled(client):
    before = csp_violation_count("img-src")
    batch = [{"type": "csp-violation", "body": {"effectiveDirective": "img-src"}}] * 2
    assert (
        client.post(
            "/csp-report/", json.dumps(batch), content_type="application/reports+json"
        ).status_code
        == 204
    )
    assert csp_violation_count("img-src") == before + 2
    assert client.post("/csp-report/", b"\xff", content_type="application/json").status_code == 400
    assert client.get("/csp-report/").status_code == 405
