"""Browser test fixtures: one real Daphne server and one Chromium per session.

The server runs in a subprocess on a dedicated SQLite file with demo staff (websockets
through the real ASGI stack); Chromium is Debian's ``/usr/bin/chromium`` driven by Playwright.
Without Chromium the tests skip, unless ``REQUIRE_SERVICES`` is set (CI): then they fail.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "browser-demo-password"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(
            "Chromium is required (REQUIRE_SERVICES is set) but /usr/bin/chromium is absent."
        )
    pytest.skip("/usr/bin/chromium is not installed")


@pytest.fixture(scope="session")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("browser")
    env = {
        **os.environ,
        "SQLITE_PATH": str(tmp / "browser.sqlite3"),
        "DEMO_PASSWORD": PASSWORD,
        "PORADNIA_VAR_DIR": str(tmp),
        # As ``make run`` serves it: without Django's debug pages, static files from WhiteNoise.
        "DJANGO_DEBUG": "0",
        # Conversations whose test has closed its browser leave the shared queue quickly, so
        # every test starts with an empty queue (see ``wait_for_empty_queue``).
        "CITIZEN_RESUME_SECONDS": "2",
        "CITIZEN_CODE_RESUME_SECONDS": "3",
        # Every test's browser connects from 127.0.0.1: the per-address limits on starts and
        # open sockets (docs/security.md) would refuse the session's later tests.
        "LIMIT_STARTS": "1000",
        "LIMIT_OPEN_SOCKETS": "1000",
        # Places past the third are shown rounded (test_queue_place.py): no other test has
        # more than three citizens waiting at once.
        "QUEUE_EXACT_POSITIONS": "3",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "TEST_DB_SUFFIX", "STATIC_ROOT"):
        env.pop(name, None)
    return env


def seed(module: str, server_env: dict[str, str]) -> dict[str, Any]:
    """Run ``python -m tests.browser.<module> <suffix>`` against the server's database and
    return what it prints (JSON: the accounts and records it made, named with the suffix)."""
    result = subprocess.run(
        [sys.executable, "-m", f"tests.browser.{module}", uuid.uuid4().hex[:6]],
        env=server_env,
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.fail(f"tests.browser.{module} failed:\n" + result.stderr)
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture(scope="session")
def base_url(server_env: dict[str, str]) -> Iterator[str]:
    """Daphne serving a migrated database with demo staff and articles, on a free port."""
    _require_chromium()
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["compile_catalogues"], ["migrate", "--noinput", "-v", "0"], ["demo_data"]):
        subprocess.run(
            [*manage, *command], env=server_env, check=True, cwd=ROOT, capture_output=True
        )
    port = free_port()
    server_env["PORT"] = str(port)  # the embedded mode allows the origin it is served on
    log = open(Path(server_env["PORADNIA_VAR_DIR"]) / "daphne.log", "wb")  # noqa: SIM115
    daphne = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "poradnia.asgi:application",
        ],
        env=server_env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/weather/", timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline or daphne.poll() is not None:
                daphne.kill()
                log.close()
                pytest.fail("Daphne did not start; see " + log.name)
            time.sleep(0.2)
    yield url
    daphne.terminate()
    daphne.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser(base_url: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


class OriginGuard:
    """Records every request a page makes to another origin (there must be none)."""

    def __init__(self, base_url: str, *, allow_errors: bool) -> None:
        self.base_url = base_url
        self.allow_errors = allow_errors
        self.foreign: list[str] = []
        self.errors: list[str] = []

    def watch(self, page: Any) -> Any:
        ws_base = "ws" + self.base_url.removeprefix("http")

        def on_request(request: Any) -> None:
            if not request.url.startswith((self.base_url, "data:", "blob:")):
                self.foreign.append(request.url)

        def on_websocket(websocket: Any) -> None:
            if not websocket.url.startswith(ws_base):
                self.foreign.append(websocket.url)

        def on_console(message: Any) -> None:
            if message.type == "error" and not self.allow_errors:
                self.errors.append(message.text)

        page.on("request", on_request)
        page.on("websocket", on_websocket)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", on_console)
        return page


@pytest.fixture
def new_page(browser: Any, base_url: str) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh browser context; checks afterwards that no page reached another
    origin or raised a script error."""
    contexts: list[Any] = []
    guards: list[OriginGuard] = []

    def open_page(*, allow_errors: bool = False, **context_options: Any) -> Any:
        """``allow_errors`` tolerates console errors (a socket failing while offline)."""
        context = browser.new_context(**context_options)
        contexts.append(context)
        guard = OriginGuard(base_url, allow_errors=allow_errors)
        guards.append(guard)
        page = guard.watch(context.new_page())
        page.set_default_timeout(10000)
        return page

    yield open_page
    for context in contexts:
        context.close()
    for guard in guards:
        assert guard.foreign == [], f"requests to other origins: {guard.foreign}"
        assert guard.errors == [], f"script errors: {guard.errors}"


def login(page: Any, base_url: str, username: str) -> None:
    page.goto(base_url + "/console/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def go_on_duty(page: Any) -> None:
    page.wait_for_selector("#connection[data-state=open]")
    toggle = page.locator("#duty-toggle")
    if toggle.get_attribute("aria-pressed") != "true":
        toggle.click()
    page.wait_for_selector("#duty-toggle[aria-pressed=true]")


def wait_for_empty_queue(page: Any) -> None:
    """Wait until conversations left by earlier tests have been abandoned."""
    page.wait_for_selector("#queue-empty:not([hidden])", timeout=20000)


def consoles_on_duty(new_page: Any, base_url: str, usernames: dict[str, str]) -> dict[str, Any]:
    """One console per ``{locale: username}``, each logged in and on duty, by locale."""
    consoles = {}
    for locale, username in usernames.items():
        page = new_page(viewport={"width": 1366, "height": 900}, locale=locale)
        login(page, base_url, username)
        go_on_duty(page)
        consoles[locale] = page
    return consoles


def start_chat(
    page: Any, base_url: str, *, query: str = "", prechat: dict[str, Any] | None = None
) -> None:
    page.goto(base_url + "/" + query)
    prechat = prechat or {}
    if "what_happened" in prechat:
        page.select_option("#what-happened", prechat["what_happened"])
    for question in ("happening_now", "in_danger", "under_18"):
        if question in prechat:
            value = "yes" if prechat[question] else "no"
            page.check(f"input[name={question}][value={value}]")
    page.click("#start-chat")
    page.wait_for_selector("#chat-view:not([hidden])")


def send_citizen(page: Any, text: str) -> None:
    page.fill("#message-input", text)
    page.press("#message-input", "Enter")


def save_screenshot(page: Any, name: str) -> None:
    """Refresh ``docs/screenshots/<name>.png`` when ``UPDATE_SCREENSHOTS`` is set.

    Off by default so that running the tests leaves the work tree unchanged.
    """
    if not os.environ.get("UPDATE_SCREENSHOTS"):
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def run_axe(page: Any, *, also: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it is now, and those of the
    rules ``also`` whatever their impact."""
    if not AXE.exists():
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail("node_modules/axe-core/axe.min.js is missing (run npm install).")
        pytest.skip("axe-core is not installed (npm install)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})); }"
    )
    return [v for v in result if v["impact"] in ("serious", "critical") or v["id"] in also]
