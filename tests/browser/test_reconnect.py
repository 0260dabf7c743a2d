"""The citizen's network drops: the page queues, reconnects, resumes with no loss or duplicates."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import go_on_duty, login, send_citizen, start_chat

pytestmark = pytest.mark.browser


def test_messages_survive_a_network_drop_without_duplicates(new_page, base_url):
    officer = new_page(viewport={"width": 1366, "height": 900}, locale="en-GB")
    citizen = new_page(allow_errors=True, viewport={"width": 390, "height": 844}, locale="en-GB")
    login(officer, base_url, "jana")
    go_on_duty(officer)
    start_chat(citizen, base_url)
    send_citizen(citizen, "Someone took over my e-mail account, reconnect test")
    officer.locator(".queue-card", has_text="reconnect test").get_by_role(
        "button", name=re.compile("Take")
    ).click()
    panel = officer.locator(".chat-panel:not([hidden])")
    panel.locator(".messages", has_text="reconnect test").wait_for()
    citizen.wait_for_selector("#waiting-panel", state="hidden")

    citizen.context.set_offline(True)
    citizen.wait_for_selector("#connection[data-state=offline]")
    send_citizen(citizen, "Written while offline")
    queued = citizen.locator("#message-list .message.mine", has_text="Written while offline")
    assert queued.get_attribute("data-state") == "queued"
    assert "will be sent" in queued.inner_text()
    for text in ("First answer while you were away", "Second answer while you were away"):
        panel.locator(".reply").fill(text)
        panel.locator(".reply").press("Enter")
    panel.locator(".message.mine[data-state=sent]", has_text="Second answer").wait_for()

    citizen.context.set_offline(False)
    citizen.wait_for_selector("#connection[data-state=open]", timeout=20000)
    citizen.wait_for_selector("#message-list .message.theirs:has-text('Second answer')")
    queued.and_(citizen.locator("[data-state=sent]")).wait_for()
    panel.locator(".messages", has_text="Written while offline").wait_for()

    citizen_bodies = citizen.locator("#message-list .message:not(.notice) .body").all_inner_texts()
    assert citizen_bodies == [
        "Someone took over my e-mail account, reconnect test",
        "First answer while you were away",
        "Second answer while you were away",
        "Written while offline",
    ]
    officer_bodies = panel.locator(".messages .message .body").all_inner_texts()
    assert officer_bodies == citizen_bodies
