"""Every page is served with a strict CSP and contains no inline script, style or handler."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


class InlineFinder(HTMLParser):
    """Collects inline code: script bodies, <style>, style="" and on*="" attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "style":
            self.found.append("<style>")
        for name in names:
            if name == "style" or name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
        if tag == "script":
            is_data = names.get("type") == "application/json"
            if "src" not in names and not is_data:
                self.found.append("inline <script>")
            if names.get("type") != "module" and not is_data:
                self.found.append(f"classic script {names.get('src')}")

    def handle_starttag_end(self) -> None:  # pragma: no cover - HTMLParser API symmetry
        pass


def inline_code(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def assert_strict(response) -> None:
    policy = response.headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert inline_code(response.content.decode()) == []


def test_public_pages_have_strict_csp_and_no_inline_code(client: Client):
    for url in ("/", "/?lang=uk", "/weather/", "/console/login/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


def test_staff_pages_have_strict_csp_and_no_inline_code(client_for):
    client = client_for("marek", supervisor=True)
    for url in ("/console/", "/supervisor/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


def test_the_finder_does_catch_inline_code():
    html = '<script>alert(1)</script><p style="x" onclick="y"></p><style></style>'
    assert len(inline_code(html)) == 5
