"""The production Dockerfile, checked by parsing it (no Docker engine is needed)."""

from __future__ import annotations

import json
from pathlib import Path

from dockerfile_parse import DockerfileParser

ROOT = Path(__file__).resolve().parents[1]
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
    "COMMENT",
}


def parsed() -> list[dict]:
    parser = DockerfileParser(path=str(ROOT / "Dockerfile"))
    return [item for item in parser.structure if item["instruction"] != "COMMENT"]


def test_every_instruction_is_a_dockerfile_instruction():
    instructions = [item["instruction"] for item in parsed()]
    assert instructions[0] == "FROM"
    assert set(instructions) <= KNOWN


def test_image_is_python_311_and_runs_daphne_as_a_non_root_user():
    items = parsed()
    assert items[0]["value"].startswith("python:3.11")
    users = [i["value"] for i in items if i["instruction"] == "USER"]
    assert users
    assert users[-1] not in ("root", "0")
    last_user = max(n for n, i in enumerate(items) if i["instruction"] == "USER")
    cmd = next(i for i in items if i["instruction"] == "CMD")
    assert items.index(cmd) > last_user
    command = " ".join(json.loads(cmd["value"]))
    assert "poradnia.serve" in command  # Daphne (poradnia/serve.py)
    assert "poradnia.asgi:application" in command


def test_every_copied_path_exists_and_every_app_is_copied():
    copied = []
    for item in parsed():
        if item["instruction"] == "COPY":
            *sources, _dest = item["value"].split()
            copied += sources
    for source in copied:
        assert (ROOT / source).exists(), f"COPY {source}: no such path in the repository"
    for app in ("poradnia", "advice", "chat", "triage", "knowledge_base", "frontend", "manage.py"):
        assert app in copied


def test_static_files_are_collected_and_no_secret_is_baked_in():
    runs = " ".join(i["value"] for i in parsed() if i["instruction"] == "RUN")
    assert "collectstatic" in runs
    envs = " ".join(i["value"] for i in parsed() if i["instruction"] == "ENV")
    assert "SECRET_KEY" not in envs
    assert "DATABASE_URL" not in envs


def test_daphne_runs_with_the_tested_websocket_limits_in_the_image_and_make_run():
    from tests.e2e.test_daphne_server import DAPHNE_LIMITS

    cmd = next(i["value"] for i in reversed(parsed()) if i["instruction"] == "CMD")
    command = " ".join(json.loads(cmd))
    makefile = (ROOT / "Makefile").read_text().replace("\\\n\t", "")
    run_target = makefile.split("\nrun:")[1].split("\n\n")[0]
    assert "$(DAPHNE_LIMITS)" in run_target
    limits = " ".join(DAPHNE_LIMITS)
    assert limits in command
    assert f"DAPHNE_LIMITS := {limits}" in makefile
