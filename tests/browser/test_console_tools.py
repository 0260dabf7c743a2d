"""Console tools: keyboard take, canned reply shortcut, notes, unread counts, triage, transfer."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    go_on_duty,
    login,
    save_screenshot,
    send_citizen,
    start_chat,
    wait_for_empty_queue,
)

pytestmark = pytest.mark.browser


def test_officer_works_two_chats_with_keyboard_and_tools(new_page, base_url):
    officer = new_page(viewport={"width": 1366, "height": 900}, locale="en-GB")
    first = new_page(locale="en-GB")
    second = new_page(locale="en-GB")
    login(officer, base_url, "marek")
    go_on_duty(officer)
    wait_for_empty_queue(officer)

    start_chat(first, base_url)
    send_citizen(first, "My Facebook account was hacked, tools one")
    officer.locator(".queue-card", has_text="tools one").wait_for()
    officer.keyboard.press("Alt+Shift+T")
    panel = officer.locator(".chat-panel:not([hidden])")
    panel.locator(".messages", has_text="tools one").wait_for()
    assert officer.evaluate("document.activeElement.classList.contains('reply')")

    # "/hello" then Tab expands the canned reply; Enter sends it.
    officer.keyboard.type("/hello")
    officer.keyboard.press("Tab")
    reply = panel.locator(".reply").input_value()
    assert reply.startswith("Hello") or len(reply) > 20
    officer.keyboard.press("Enter")
    first.wait_for_selector("#message-list .message.theirs")

    # An internal note is shown to staff and never to the citizen.
    officer.keyboard.press("Alt+Shift+O")
    officer.keyboard.type("Citizen sounds calm; zebra marker")
    panel.get_by_role("button", name="Add note").click()
    panel.locator(".note-list li", has_text="zebra marker").wait_for()
    panel.locator(".note-list li[data-note-id]:not([data-note-id=''])").wait_for()
    assert "zebra marker" not in first.inner_text("body")

    # A second chat: its new messages raise an unread count on its tab until it is opened.
    start_chat(second, base_url)
    send_citizen(second, "Somebody threatens me online, tools two")
    officer.locator(".queue-card", has_text="tools two").get_by_role("button").click()
    officer.locator(".chat-tab").nth(1).wait_for()
    officer.locator(".chat-tab").nth(0).click()
    send_citizen(second, "Are you still there?")
    unread = officer.locator(".chat-tab").nth(1).locator(".unread")
    unread.wait_for()
    assert unread.inner_text() == "1 unread"
    assert officer.title().startswith("(1) ")
    officer.keyboard.press("Alt+Shift+N")
    unread.wait_for(state="hidden")

    # Correct the triage of the second chat, then hand it back to the queue.
    panel = officer.locator(".chat-panel:not([hidden])")
    panel.get_by_role("tab", name="Triage").click()
    panel.locator("select[name=urgency]").select_option("P2")
    panel.get_by_role("button", name="Save correction").click()
    panel.locator(".chat-badges", has_text="P2 urgent").wait_for()
    panel.get_by_role("button", name="Transfer…").click()
    officer.locator("#transfer-dialog select[name=officer]").select_option("")
    officer.locator("#transfer-dialog").get_by_role("button", name="Transfer", exact=True).click()
    panel.locator(".ended-note:not([hidden])").wait_for()
    officer.locator(".queue-card", has_text="Are you still there?").wait_for()

    # The supervisor's live view now has a waiting conversation and an officer with a chat.
    officer.goto(base_url + "/supervisor/")
    officer.locator("#live-tiles div").first.wait_for()
    officer.locator("#live-officers tr", has_text="Marek").wait_for()
    officer.wait_for_load_state("networkidle")
    save_screenshot(officer, "supervisor")
