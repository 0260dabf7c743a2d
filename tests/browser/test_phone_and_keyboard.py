"""The citizen page on a 360 px phone (no sideways scrolling) and with the keyboard alone."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SCROLL_WIDTH = "() => document.scrollingElement.scrollWidth"


def test_citizen_page_fits_a_360px_screen(new_page, base_url):
    page = new_page(
        viewport={"width": 360, "height": 740}, locale="de-DE", is_mobile=True, has_touch=True
    )
    page.goto(base_url + "/")
    page.wait_for_selector("html[lang=de]")
    assert page.evaluate(SCROLL_WIDTH) <= 360
    page.click("#start-chat")
    page.fill("#message-input", "x" * 300 + " https://example.invalid/" + "a" * 200)
    page.press("#message-input", "Enter")
    page.wait_for_selector(".message.mine[data-state=sent]")
    assert page.evaluate(SCROLL_WIDTH) <= 360
    assert page.locator("#quick-exit").is_visible()
    # The scripts speak the page's language too (strings handed over through json_script).
    assert "Gesendet" in page.inner_text(".message.mine .delivery")
    assert page.inner_text("#quick-exit") == "Schnell verlassen"


def test_citizen_can_start_and_chat_with_the_keyboard_only(new_page, base_url):
    page = new_page(locale="en-GB")
    page.goto(base_url + "/")
    page.wait_for_selector("#start-view:not([hidden])")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "start-chat":
            break
    else:
        pytest.fail("Tab never reached the Start chat button")
    page.keyboard.press("Enter")
    page.wait_for_selector("#chat-view:not([hidden])")
    assert page.evaluate("document.activeElement.id") == "message-input"
    page.keyboard.type("Typed with the keyboard only")
    page.keyboard.press("Enter")
    page.wait_for_selector(".message.mine[data-state=sent]:has-text('keyboard only')")
