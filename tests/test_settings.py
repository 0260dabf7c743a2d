"""Settings from the environment: the embedded default, and production's refusal to guess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps([settings.DATABASES['default']['ENGINE'], "
    "settings.CHANNEL_LAYERS['default']['BACKEND'], settings.DEBUG]))"
)


def run_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_DEBUG", "TEST_DB_SUFFIX"}
    }
    clean.update(DJANGO_SETTINGS_MODULE="poradnia.settings", PORADNIA_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        env=clean,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_with_nothing_set_it_runs_embedded_without_debug_pages_and_a_generated_secret(tmp_path):
    result = run_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '["django.db.backends.sqlite3", "chat.layers.ThrottledInMemoryChannelLayer", false]'
    )
    secret = (tmp_path / "dev-secret-key").read_text()
    assert len(secret) >= 50


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = run_settings(
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_uses_postgresql_and_the_redis_layer(tmp_path):
    result = run_settings(
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
        REDIS_URL="redis://127.0.0.1:6379/0",
        SECRET_KEY="a-real-secret-from-the-environment",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '["django.db.backends.postgresql", "chat.layers.RedisPubSubLayer", false]'
    )


def test_a_developer_opts_in_to_debug_pages(tmp_path):
    result = run_settings(tmp_path, DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("true]")
