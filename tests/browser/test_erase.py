"""A citizen erases their conversation from the chat: a confirmation first, then nothing of
it stays in the tab, and the officer's console says the citizen erased it."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import go_on_duty, login, send_citizen, start_chat

pytestmark = pytest.mark.browser

STORAGE = "() => sessionStorage.length + localStorage.length"


def test_the_citizen_erases_the_conversation_and_the_officer_is_told(new_page, base_url):
    citizen = new_page(locale="en-GB")
    officer = new_page(viewport={"width": 1366, "height": 900}, locale="en-GB")
    login(officer, base_url, "anna")
    go_on_duty(officer)
    start_chat(citizen, base_url)
    send_citizen(citizen, "Someone is blackmailing me with photos")
    citizen.wait_for_selector("#message-list .message.mine[data-state=sent]")
    card = officer.locator(".queue-card", has_text="blackmailing")
    card.wait_for()
    card.get_by_role("button", name=re.compile("Take")).click()
    panel = officer.locator(".chat-panel:not([hidden])")
    panel.locator(".messages", has_text="blackmailing").wait_for()

    citizen.get_by_role("button", name="Erase conversation").click()
    confirm = citizen.locator("#confirm-erase")
    assert "cannot be undone" in confirm.inner_text()
    citizen.get_by_role("button", name="No, keep it").click()
    assert confirm.is_hidden()
    assert citizen.locator("#chat-view").is_visible()

    citizen.get_by_role("button", name="Erase conversation").click()
    citizen.get_by_role("button", name="Yes, erase everything").click()

    citizen.wait_for_selector("#ended-view:not([hidden])")
    assert "Your conversation has been erased." in citizen.inner_text("#ended-reason")
    assert citizen.locator("#message-list .message").count() == 0
    assert citizen.evaluate(STORAGE) == 0
    assert citizen.locator("#ended-view .download-transcript").first.is_hidden()

    note = panel.locator(".ended-note:not([hidden])")
    note.wait_for()
    assert "The citizen erased this conversation." in note.inner_text()
    assert panel.locator(".messages .message").count() == 0
