"""The console a Czech officer works in, as the scripts render it with a live chat open
(queue card, badges, triage, the citizen's messages, tools), shows no raw vocabulary code
and no English catalogue string (``tests.frontend.page_text.untranslated``)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import go_on_duty, login, send_citizen, start_chat
from tests.frontend.page_text import untranslated

pytestmark = pytest.mark.browser


def test_a_czech_officer_reads_a_live_chat_without_codes_or_english(
    new_page: Any, base_url: str
) -> None:
    officer = new_page(viewport={"width": 1366, "height": 900}, locale="cs-CZ")
    citizen = new_page(locale="pl-PL")
    login(officer, base_url, "petr")
    go_on_duty(officer)
    assert officer.locator("html").get_attribute("lang") == "cs"
    assert officer.locator("html").get_attribute("data-time-zone") == "Europe/Prague"

    start_chat(citizen, base_url, prechat={"what_happened": "sextortion", "under_18": False})
    send_citizen(citizen, "Ktoś grozi, że opublikuje moje nagie zdjęcia, chce 500 euro. znak-cs")
    officer.locator(".queue-card", has_text="znak-cs").wait_for()
    queue_lines = officer.inner_text("body").splitlines()
    officer.locator(".queue-card", has_text="znak-cs").get_by_role("button").first.click()
    officer.get_by_text("znak-cs").last.wait_for()
    officer.wait_for_timeout(500)  # suggestions and triage arrive right after the history
    lines = [*queue_lines, *officer.inner_text("body").splitlines()]
    problems = untranslated([line.strip() for line in lines if line.strip()], "cs")
    assert problems == []
