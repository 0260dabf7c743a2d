"""Quick exit and traces: nothing stored before a chat starts, nothing left after leaving."""

from __future__ import annotations

import pytest

from tests.browser.conftest import start_chat

pytestmark = pytest.mark.browser

STORAGE = "() => sessionStorage.length + localStorage.length"


def test_citizen_page_stores_nothing_until_a_chat_starts(new_page, base_url):
    page = new_page(locale="en-GB")
    page.goto(base_url + "/")
    page.wait_for_selector("#start-view:not([hidden])")
    assert page.context.cookies() == []
    assert page.evaluate(STORAGE) == 0
    start_chat(page, base_url)
    page.wait_for_function("() => sessionStorage.length === 1")
    assert page.context.cookies() == []


@pytest.mark.parametrize("how", ["button", "escape twice"])
def test_quick_exit_wipes_the_tab_and_back_does_not_return(new_page, base_url, how):
    page = new_page(locale="en-GB")
    page.goto(base_url + "/weather/?before=1")
    page.goto(base_url + "/")
    start_chat(page, base_url)
    page.fill("#message-input", "half-written")
    page.wait_for_function("() => sessionStorage.length === 1")

    if how == "button":
        page.click("#quick-exit")
    else:
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
    page.wait_for_url(base_url + "/weather/")
    assert page.title() == "Weather"
    assert page.evaluate(STORAGE) == 0
    assert page.context.cookies() == []

    page.go_back()
    page.wait_for_url(base_url + "/weather/?before=1")
    assert page.locator("#chat-view").count() == 0
