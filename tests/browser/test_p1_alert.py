"""A critical conversation alerts the officer: a visible role=alert banner and a beep."""

from __future__ import annotations

import pytest

from tests.browser.conftest import go_on_duty, login, send_citizen, start_chat

pytestmark = pytest.mark.browser


def test_p1_conversation_raises_a_visible_and_audible_alert(new_page, base_url):
    officer = new_page(viewport={"width": 1366, "height": 900}, locale="en-GB")
    citizen = new_page(locale="en-GB")
    login(officer, base_url, "petr")
    go_on_duty(officer)

    start_chat(citizen, base_url, prechat={"in_danger": True, "under_18": True})
    assert citizen.locator("#danger-note").count() == 1
    send_citizen(citizen, "He says he will hurt me tonight, I am scared for my life")

    banner = officer.locator("#p1-alerts[role=alert] .p1-banner")
    banner.wait_for()
    assert "Critical conversation waiting" in banner.inner_text()
    assert officer.locator("#p1-alerts").get_attribute("data-beeped") == "true"
    card = officer.locator(".queue-card[data-urgency=P1]")
    card.wait_for()
    assert "P1 critical" in card.inner_text()
    banner.get_by_role("button", name="Open the queue entry").click()
    assert officer.evaluate("document.activeElement.closest('.queue-card') !== null")
