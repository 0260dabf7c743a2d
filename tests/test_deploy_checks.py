"""Production settings: staff cookies, HSTS and a clean ``manage.py check --deploy``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]
SECRET = "a-production-secret-of-sixty-characters-0123456789-abcdefghij"
PRODUCTION = {
    "DATABASE_URL": "postgres://poradnia@db.invalid:5432/poradnia",
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "poradnia.example",
    "BEHIND_TLS_PROXY": "1",
}
PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({n: getattr(s, n) for n in ("
    "'SESSION_COOKIE_NAME', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
    "'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_NAME', 'CSRF_COOKIE_SECURE', "
    "'CSRF_COOKIE_HTTPONLY', 'CSRF_COOKIE_SAMESITE', 'SECURE_HSTS_SECONDS', "
    "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', 'CSRF_TRUSTED_ORIGINS', "
    "'WEBSOCKET_ALLOWED_ORIGINS')}))"
)


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "REDIS_", "DJANGO_", "CSRF_", "WEBSOCKET_"))
        and k not in {"SECRET_KEY", "ALLOWED_HOSTS", "BEHIND_TLS_PROXY", "TEST_DB_SUFFIX"}
    }
    clean.update(DJANGO_SETTINGS_MODULE="poradnia.settings", PORADNIA_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, *args], env=clean, cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_deploy_checks_pass_in_production_settings(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_staff_cookies_are_strict_host_only_and_secure(tmp_path):
    result = run(["-c", PROBE], tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert values["CSRF_COOKIE_NAME"].startswith("__Host-")
    for kind in ("SESSION", "CSRF"):
        assert values[f"{kind}_COOKIE_SECURE"] is True
        assert values[f"{kind}_COOKIE_HTTPONLY"] is True
        assert values[f"{kind}_COOKIE_SAMESITE"] == "Strict"
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://poradnia.example"]
    assert values["WEBSOCKET_ALLOWED_ORIGINS"] == values["CSRF_TRUSTED_ORIGINS"]


def test_the_embedded_mode_allows_its_own_port_for_csrf_and_sockets(tmp_path):
    result = run(["-c", PROBE], tmp_path, PORT="8123")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["CSRF_TRUSTED_ORIGINS"] == ["http://127.0.0.1:8123", "http://localhost:8123"]
    assert values["WEBSOCKET_ALLOWED_ORIGINS"] == values["CSRF_TRUSTED_ORIGINS"]


@pytest.mark.django_db
def test_the_login_page_sets_a_strict_http_only_csrf_cookie(settings):
    response = Client().get("/console/login/")
    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["samesite"] == "Strict"
    assert cookie["httponly"] is True
