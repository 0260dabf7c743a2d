"""The production Dockerfile and its build context, checked by parsing (no Docker engine)."""

from __future__ import annotations

import json
import re
import shlex
from functools import cache

from dockerfile_parse import DockerfileParser

from poradnia.serve import ServeCommand
from tests.deploy.conftest import ROOT
from tests.e2e.server import DAPHNE_LIMITS

KNOWN = {
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
}
# Every top-level package and file the running service imports or reads.
NEEDED_IN_IMAGE = (
    "manage.py",
    "pyproject.toml",
    "poradnia/settings.py",
    "poradnia/asgi.py",
    "core/metrics.py",
    "advice/models.py",
    "cases/models.py",
    "stats/rollup.py",
    "chat/consumers/base.py",
    "triage/data",
    "knowledge_base",
    "frontend/templates",
    "locale/pl/LC_MESSAGES/django.po",
    "deploy/scheduler.py",
)
KEPT_OUT = (
    ".git",
    ".venv/bin/python",
    ".env",
    "tests/conftest.py",
    "bench/load.py",
    "docs/performance.md",
    "node_modules/x",
    "advice/__pycache__/models.cpython-311.pyc",
    "var/poradnia.sqlite3",
    "locale/pl/LC_MESSAGES/django.mo",
    "deploy/nginx.conf",
)


def instructions() -> list[dict]:
    parser = DockerfileParser(path=str(ROOT / "Dockerfile"))
    return [item for item in parser.structure if item["instruction"] != "COMMENT"]


def stages() -> list[list[dict]]:
    result: list[list[dict]] = []
    for item in instructions():
        if item["instruction"] == "FROM":
            result.append([])
        result[-1].append(item)
    return result


def runtime_command() -> list[str]:
    cmd = [i for i in stages()[-1] if i["instruction"] == "CMD"]
    assert len(cmd) == 1
    return json.loads(cmd[0]["value"])


@cache
def ignore_patterns() -> list[tuple[bool, re.Pattern[str]]]:
    """``.dockerignore`` as (negated, regex) pairs, in Docker's order (the last match wins)."""
    patterns = []
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        glob = line.lstrip("!").strip("/")
        regex = re.escape(glob).replace(r"\*\*/", "(.*/)?").replace(r"\*\*", ".*")
        regex = regex.replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        patterns.append((negated, re.compile(regex + "$")))
    return patterns


def in_build_context(path: str) -> bool:
    """Whether Docker sends ``path`` to the build: a pattern matching it or a parent applies."""
    parts = path.split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    excluded = False
    for negated, pattern in ignore_patterns():
        if any(pattern.match(candidate) for candidate in candidates):
            excluded = not negated
    return not excluded


def test_every_instruction_is_a_dockerfile_instruction():
    names = [item["instruction"] for item in instructions()]
    assert names[0] == "FROM"
    assert set(names) <= KNOWN


def test_a_build_stage_prepares_and_a_slim_python_311_stage_runs():
    build, runtime = stages()[0], stages()[-1]
    assert len(stages()) >= 2
    assert build[0]["value"].startswith("python:3.11")
    assert build[0]["value"].endswith(" AS build")
    assert runtime[0]["value"].startswith("python:3.11-slim")
    build_runs = " ".join(i["value"] for i in build if i["instruction"] == "RUN")
    for step in ("pip install", "compile_catalogues", "collectstatic"):
        assert step in build_runs
    # The hashed files and manifest of production's static storage, not the debug layout.
    assert "DJANGO_DEBUG=0" in build_runs
    runtime_runs = " ".join(i["value"] for i in runtime if i["instruction"] == "RUN")
    assert "pip" not in runtime_runs
    copies = [i["value"] for i in runtime if i["instruction"] == "COPY"]
    assert copies
    assert all(value.startswith("--from=build ") for value in copies)


def test_the_service_runs_as_a_non_root_user():
    runtime = stages()[-1]
    users = [n for n, i in enumerate(runtime) if i["instruction"] == "USER"]
    assert users
    assert runtime[users[-1]]["value"] not in ("root", "0", "0:0")
    cmd = next(n for n, i in enumerate(runtime) if i["instruction"] == "CMD")
    assert cmd > users[-1]


def test_the_health_check_asks_healthz():
    checks = [i["value"] for i in stages()[-1] if i["instruction"] == "HEALTHCHECK"]
    assert len(checks) == 1
    assert "--timeout=" in checks[0]
    assert "http://127.0.0.1:8000/healthz" in checks[0]


def test_daphne_runs_with_explicit_websocket_limits_it_understands():
    command = runtime_command()
    assert command[:3] == ["python", "-m", "poradnia.serve"]  # Daphne (poradnia/serve.py)
    # Daphne's own argument parser: every flag exists and every value has its type.
    args = ServeCommand().parser.parse_args(command[3:])
    assert args.application == "poradnia.asgi:application"
    for flag in (
        "--websocket_timeout",
        "--websocket_connect_timeout",
        "--ping-interval",
        "--ping-timeout",
        "--application-close-timeout",
        "--websocket-max-message-size",
    ):
        assert flag in command, flag
    assert 0 < args.websocket_timeout <= 86400
    # The 5 s default dropped handshakes in a surge (STACK-FACTS #9).
    assert args.websocket_connect_timeout > 5
    assert args.websocket_max_frame_size <= args.websocket_max_message_size
    assert 0 < args.ping_interval < 60
    assert args.ping_timeout > 0
    assert args.application_close_timeout >= 10
    assert args.websocket_max_message_size >= 32 * 1024
    assert args.proxy_headers
    assert args.proxy_headers_host == "X-Real-IP"
    assert args.server_name == ""  # no "Server: daphne" header


def test_every_copied_path_exists_and_reaches_the_build():
    for item in instructions():
        if item["instruction"] != "COPY" or item["value"].startswith("--from="):
            continue
        *sources, _dest = shlex.split(item["value"])
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: no such path in the repository"
            assert source == "." or in_build_context(source), source


def test_the_build_context_carries_the_service_and_nothing_private():
    for path in NEEDED_IN_IMAGE:
        assert (ROOT / path).exists(), path
        assert in_build_context(path), f"{path} is kept out of the image by .dockerignore"
    for path in KEPT_OUT:
        assert not in_build_context(path), f"{path} would be sent to the image"


def test_new_top_level_packages_need_no_dockerfile_change():
    for module in ("reports/models.py", "partners/services/referrals.py"):
        assert in_build_context(module)


def test_no_secret_or_database_is_baked_in():
    envs = " ".join(i["value"] for i in instructions() if i["instruction"] in ("ENV", "ARG"))
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "METRICS_TOKEN"):
        assert name not in envs
    command = " ".join(runtime_command())
    assert "migrate" not in command  # the one-shot migrate service does that


def test_the_image_and_make_run_share_the_websocket_limits_the_server_tests_use():
    makefile = (ROOT / "Makefile").read_text().replace("\\\n\t", "")
    run_target = makefile.split("\nrun:")[1].split("\n\n")[0]
    assert "$(DAPHNE_LIMITS)" in run_target
    limits = " ".join(DAPHNE_LIMITS)
    assert limits in " ".join(runtime_command())
    assert f"DAPHNE_LIMITS := {limits}" in makefile
