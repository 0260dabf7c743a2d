"""docs/deployment.md keeps up with the settings, the compose file and the image."""

from __future__ import annotations

import re

from tests.deploy.conftest import ROOT
from tests.deploy.test_dockerfile import runtime_command

DOC = ROOT / "docs" / "deployment.md"


def documented() -> str:
    return DOC.read_text()


def test_every_environment_variable_is_documented():
    settings = (ROOT / "poradnia" / "settings.py").read_text()
    read = set(re.findall(r'(?:environ\.get|_env_bool|_env_int)\(\s*"([A-Z_]+)"', settings))
    example = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    interpolated = set(re.findall(r"\$\{([A-Z_]+)", (ROOT / "compose.yaml").read_text()))
    assert "METRICS_ALLOWED_NETWORKS" in read
    for variable in read | example | interpolated:
        assert f"`{variable}`" in documented(), variable


def test_the_documented_daphne_limits_are_the_images():
    command = runtime_command()
    rows = [line for line in documented().splitlines() if line.startswith("| `--")]
    for option in (
        "--websocket_timeout",
        "--websocket_connect_timeout",
        "--websocket-max-message-size",
        "--websocket-max-frame-size",
        "--application-close-timeout",
    ):
        value = command[command.index(option) + 1]
        [row] = [row for row in rows if f"`{option}`" in row]
        assert re.search(rf"\| {value}\b", row), option
    ping = command[command.index("--ping-interval") + 1]
    timeout = command[command.index("--ping-timeout") + 1]
    assert f"| {ping} / {timeout} |" in documented()


def test_the_readme_links_the_deployment_guide_and_keeps_its_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "(docs/deployment.md)" in readme.split("## Production", 1)[1].split("##", 1)[0]
    assert "make run     #" in readme
    assert "make test    #" in readme
