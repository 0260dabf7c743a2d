"""A whole conversation in two browsers: pre-chat, queue, chat both ways, close, rating."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import go_on_duty, login, save_screenshot, send_citizen, start_chat

pytestmark = pytest.mark.browser


def test_citizen_and_officer_talk_from_prechat_to_rating(new_page, base_url):
    citizen = new_page(viewport={"width": 390, "height": 844}, locale="en-GB")
    officer = new_page(viewport={"width": 1366, "height": 768}, locale="en-GB")
    login(officer, base_url, "anna")
    go_on_duty(officer)

    citizen.goto(base_url + "/")
    citizen.wait_for_selector("#start-view:not([hidden])")
    save_screenshot(citizen, "citizen-start")
    start_chat(
        citizen, base_url, prechat={"what_happened": "marketplace_fraud", "happening_now": False}
    )
    citizen.wait_for_selector("#queue-position:text-matches('number \\\\d+ in the queue')")
    send_citizen(citizen, "I paid 300 zł for a phone on a marketplace and the seller vanished")
    citizen.wait_for_selector("#message-list .message.mine[data-state=sent]")

    card = officer.locator(".queue-card", has_text="seller vanished")
    card.wait_for()
    assert "Marketplace fraud" in card.inner_text()
    card.get_by_role("button", name=re.compile("Take")).click()
    panel = officer.locator(".chat-panel:not([hidden])")
    panel.locator(".messages", has_text="seller vanished").wait_for()

    citizen.wait_for_selector(
        "#message-list .notice:has-text('Anna (KAT) has joined the conversation.')"
    )
    assert citizen.locator("#waiting-panel").is_hidden()

    panel.locator(".reply").fill("Hello, I can help. Do you still have the seller's messages?")
    panel.locator(".reply").press("Enter")
    citizen.wait_for_selector("#message-list .message.theirs:has-text('seller')")
    assert "Anna (KAT)" in citizen.locator("#message-list .message.theirs").last.inner_text()
    assert "seller" in citizen.locator("#announcer").inner_text()

    citizen.fill("#message-input", "Yes, I")
    citizen.type("#message-input", " kept them")
    panel.locator(".typing:not([hidden])").wait_for()
    citizen.press("#message-input", "Enter")
    panel.locator(".messages", has_text="kept them").wait_for()
    tab = officer.locator(".chat-tab[aria-selected=true]")
    assert tab.locator(".unread").is_hidden()
    save_screenshot(citizen, "citizen-chat")

    # Each message shows exactly once on both sides, in order.
    citizen_texts = citizen.locator("#message-list .message:not(.notice) .body").all_inner_texts()
    assert [t for t in citizen_texts if "kept them" in t] == ["Yes, I kept them"]
    officer_texts = panel.locator(".messages .message .body").all_inner_texts()
    assert officer_texts == [
        "I paid 300 zł for a phone on a marketplace and the seller vanished",
        "Hello, I can help. Do you still have the seller's messages?",
        "Yes, I kept them",
    ]

    panel.get_by_role("button", name="Close…").click()
    officer.select_option("#close-outcome", "advice_given")
    officer.get_by_role("button", name="Close conversation").click()
    panel.locator(".ended-note:not([hidden])").wait_for()

    citizen.wait_for_selector("#ended-view:not([hidden])")
    assert "The adviser ended the conversation." in citizen.inner_text("#ended-reason")
    with citizen.expect_download() as download_info:
        citizen.locator("#ended-view .download-transcript").click()
    transcript = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "seller vanished" in transcript
    assert "Anna (KAT)" in transcript
    assert download_info.value.suggested_filename.endswith(".txt")

    citizen.check("#rating-form input[name=score][value='5']")
    citizen.fill("#rating-comment", "Thank you")
    citizen.click("#rating-form button[type=submit]")
    citizen.wait_for_selector("#rating-thanks:has-text('Thank you for your feedback.')")
