"""The console at a desk (1366×768: three panes, the reply box always on screen) and in the
field (a 360 px phone: queue and conversation as separate views, header actions in a menu)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import (
    go_on_duty,
    login,
    run_axe,
    save_screenshot,
    send_citizen,
    start_chat,
    wait_for_empty_queue,
)

pytestmark = pytest.mark.browser

DESK = {"viewport": {"width": 1366, "height": 768}, "locale": "en-GB"}
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "locale": "en-GB",
    "is_mobile": True,
    "has_touch": True,
}
SCROLL_WIDTH = "() => document.documentElement.scrollWidth"


def box(locator: Any) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not on screen"
    return dict(found)


def shown_in_list(panel: Any, text: str) -> bool:
    """True when the end of the message showing ``text`` is in the visible part of the list."""
    item = box(panel.locator(".messages li", has_text=text).last)
    frame = box(panel.locator(".messages"))
    bottom = item["y"] + item["height"]
    return frame["y"] < bottom <= frame["y"] + frame["height"] + 1


def citizen_sends_paced(citizen: Any, texts: list[str]) -> None:
    """Send each text once the previous one was acknowledged (a person typing, not a burst)."""
    for text in texts:
        already = citizen.locator(".message.mine[data-state=sent]").count()
        send_citizen(citizen, text)
        citizen.locator(".message.mine[data-state=sent]").nth(already).wait_for()


def test_desk_shows_three_panes_and_the_reply_box_in_a_long_conversation(new_page, base_url):
    officer = new_page(bypass_csp=True, **DESK)
    citizen = new_page(locale="en-GB")
    login(officer, base_url, "anna")
    go_on_duty(officer)
    wait_for_empty_queue(officer)
    start_chat(citizen, base_url, prechat={"what_happened": "account_takeover"})
    citizen_sends_paced(citizen, ["Someone took over my Instagram account, desk layout"])
    officer.locator(".queue-card", has_text="desk layout").get_by_role("button").click()
    panel = officer.locator(".chat-panel:not([hidden])")
    panel.locator(".messages", has_text="desk layout").wait_for()
    # A conversation of 30 messages, both sides writing (each side stays under its rate limit).
    for n in range(1, 15):
        citizen_sends_paced(citizen, [f"Detail {n:02d} of what the intruder wrote"])
        panel.locator(".reply").fill(f"Noted detail {n:02d}, go on")
        panel.locator(".reply").press("Enter")
        citizen.locator(".message.theirs", has_text=f"Noted detail {n:02d}").wait_for()
    citizen_sends_paced(citizen, ["That is all of it"])
    panel.locator(".messages li", has_text="That is all of it").wait_for()
    assert panel.locator(".messages li.message").count() >= 30

    # Queue | conversation | tools, side by side and inside the window.
    queue = box(officer.locator(".queue-pane"))
    conversation = box(panel.locator(".chat-main"))
    tools = box(panel.locator(".chat-tools"))
    assert queue["x"] + queue["width"] <= conversation["x"]
    assert conversation["x"] + conversation["width"] <= tools["x"]
    assert tools["x"] + tools["width"] <= 1366
    for pane in (queue, conversation, tools):
        assert pane["y"] < 200
        assert pane["y"] + pane["height"] > 600

    # The reply box is on screen without scrolling the page; the messages scroll inside
    # their own region, which the keyboard can reach and scroll.
    composer = box(panel.locator(".composer"))
    assert composer["y"] >= 0
    assert composer["y"] + composer["height"] <= 768
    assert officer.evaluate("() => document.scrollingElement.scrollHeight") <= 768
    messages = panel.locator(".messages")
    assert messages.evaluate("l => l.scrollHeight > l.clientHeight + 100")
    # The list follows the conversation: the newest message is in view.
    assert shown_in_list(panel, "That is all of it")
    messages.evaluate("l => { l.scrollTop = 0; }")
    messages.focus()
    officer.keyboard.press("End")
    officer.wait_for_function(
        "() => document.querySelector('.chat-panel:not([hidden]) .messages').scrollTop > 100"
    )

    panel.locator(".reply").fill("Thank you. First, change the password: desk reply")
    officer.keyboard.press("Enter")
    citizen.locator("#message-list .message.theirs", has_text="desk reply").wait_for()
    assert box(panel.locator(".composer"))["y"] + composer["height"] <= 768

    # The triage reasons are shown once: in the Triage tool, not also above the messages.
    triage_tab = panel.get_by_role("tab", name="Triage")
    triage_tab.click()
    reason = panel.locator(".triage-reasons li").first
    reason.wait_for()
    assert panel.text_content().count(reason.text_content()) == 1

    # Tool tabs by mouse …
    panel.get_by_role("tab", name="Canned replies").click()
    assert panel.locator(".tool.canned").is_visible()
    assert panel.locator(".tool.triage").is_hidden()
    assert panel.get_by_role("tab", name="Canned replies").get_attribute("aria-selected") == "true"
    # … and by keyboard: one tab stop, arrows move and show, Home and End jump.
    officer.keyboard.press("ArrowRight")
    notes_tab = panel.get_by_role("tab", name="Notes")
    assert notes_tab.get_attribute("aria-selected") == "true"
    assert officer.evaluate("document.activeElement.dataset.tool") == "notes"
    assert panel.locator(".tool.notes").is_visible()
    assert panel.locator(".tool.canned").is_hidden()
    officer.keyboard.press("End")
    assert panel.get_by_role("tab", name="Case").get_attribute("aria-selected") == "true"
    assert panel.get_by_role("button", name="Escalate to case").is_visible()
    officer.keyboard.press("ArrowRight")
    assert panel.get_by_role("tab", name="Articles").get_attribute("aria-selected") == "true"
    assert panel.locator(".tool.articles").is_visible()
    selected_tabs = panel.locator(".tool-tabs [role=tab][tabindex='0']")
    assert selected_tabs.count() == 1
    # Alt+Shift+O opens the Notes tool at its text box.
    officer.keyboard.press("Alt+Shift+O")
    assert officer.evaluate("document.activeElement.classList.contains('note-input')")

    assert run_axe(officer) == []
    panel.get_by_role("tab", name="Articles").click()
    officer.keyboard.press("Alt+Shift+M")
    save_screenshot(officer, "console")

    # Transfer and close sit in the conversation's header.
    panel.get_by_role("button", name="Close…").click()
    officer.select_option("#close-outcome", "advice_given")
    officer.get_by_role("button", name="Close conversation").click()
    panel.locator(".ended-note:not([hidden])").wait_for()
    citizen.wait_for_selector("#ended-view:not([hidden])")


def open_menu(officer: Any) -> Any:
    officer.locator("#menu-button").tap()
    menu = officer.locator("#console-menu")
    menu.wait_for()
    assert officer.locator("#menu-button").get_attribute("aria-expanded") == "true"
    return menu


def test_phone_console_fits_360px_and_works_with_one_thumb(new_page, base_url):
    officer = new_page(bypass_csp=True, **PHONE)
    citizen = new_page(locale="en-GB")
    login(officer, base_url, "olena")
    officer.wait_for_selector("#connection[data-state=open]")
    assert officer.evaluate(SCROLL_WIDTH) <= 360
    # The header's actions are behind the menu button.
    assert officer.locator("#duty-toggle").is_hidden()
    menu = open_menu(officer)
    toggle = officer.locator("#duty-toggle")
    assert box(toggle)["height"] >= 44
    if toggle.get_attribute("aria-pressed") == "true":
        officer.locator("#menu-button").tap()
    else:
        toggle.tap()
        officer.wait_for_selector("#duty-toggle[aria-pressed=true]", state="attached")
    assert menu.is_hidden()
    wait_for_empty_queue(officer)

    start_chat(citizen, base_url)
    citizen_sends_paced(citizen, ["Хтось зламав мій акаунт у Facebook, field unit"])
    card = officer.locator(".queue-card", has_text="field unit")
    take = card.get_by_role("button", name=re.compile("Take"))
    assert box(take)["height"] >= 44
    take.tap()

    # The conversation replaces the queue; the reply box sits at the bottom of the screen.
    panel = officer.locator(".chat-panel:not([hidden])")
    panel.locator(".messages", has_text="field unit").wait_for()
    assert officer.locator(".queue-pane").is_hidden()
    assert officer.evaluate(SCROLL_WIDTH) <= 360
    composer = box(panel.locator(".composer"))
    assert composer["y"] > 740 / 2
    assert composer["y"] + composer["height"] <= 740
    for target in (
        officer.locator("#menu-button"),
        officer.locator("#to-queue"),
        officer.locator(".chat-tab").first,
        panel.get_by_role("button", name="Tools"),
        panel.get_by_role("button", name="Send"),
    ):
        found = box(target)
        assert found["height"] >= 44, target
        assert found["width"] >= 44, target
    panel.locator(".reply").fill("Я допоможу. Змініть пароль, field reply")
    panel.get_by_role("button", name="Send").tap()
    citizen.locator("#message-list .message.theirs", has_text="field reply").wait_for()
    citizen_sends_paced(
        citizen,
        [
            "Дякую, а що далі? Він пише з нового профілю: "
            "https://example.invalid/profile/" + "a1b2c3d4" * 12
        ],
    )
    panel.locator(".messages", has_text="що далі").wait_for()
    assert officer.evaluate(SCROLL_WIDTH) <= 360

    # The tools replace the messages while open, and fit the width too.
    panel.get_by_role("button", name="Tools").tap()
    panel.get_by_role("tab", name="Canned replies").tap()
    assert panel.locator(".tool.canned").is_visible()
    assert panel.locator(".messages").is_hidden()
    assert officer.evaluate(SCROLL_WIDTH) <= 360
    panel.get_by_role("button", name="Tools").tap()
    assert panel.locator(".messages").is_visible()
    assert shown_in_list(panel, "що далі")
    assert run_axe(officer) == []
    save_screenshot(officer, "console-phone")

    # In the conversation view the menu also holds the conversation's actions; Esc closes it.
    menu = open_menu(officer)
    for action in ("Transfer…", "Escalate to case", "Refer to partner unit", "Close…"):
        assert box(menu.get_by_role("button", name=action))["height"] >= 44
    assert run_axe(officer) == []
    save_screenshot(officer, "console-phone-menu")
    officer.keyboard.press("Escape")
    assert menu.is_hidden()
    assert officer.evaluate("document.activeElement.id") == "menu-button"

    # Back to the queue; a new message shows as unread on the way back to the conversation.
    officer.locator("#to-queue").tap()
    officer.locator("#queue-heading").wait_for()
    assert panel.is_hidden()
    assert officer.evaluate("document.activeElement.id") == "queue-heading"
    citizen_sends_paced(citizen, ["Ви ще тут?"])
    back = officer.locator("#to-chats")
    back.locator(".unread", has_text="1 unread").wait_for()
    assert officer.evaluate(SCROLL_WIDTH) <= 360

    # The menu: conversation actions only in the conversation view; duty goes off and on.
    menu = open_menu(officer)
    assert menu.get_by_role("button", name="Transfer…").is_hidden()
    assert box(menu.get_by_role("link", name="Cases"))["height"] >= 44
    menu.locator("#duty-toggle").tap()
    officer.wait_for_selector("#duty-toggle[aria-pressed=false]", state="attached")
    assert menu.is_hidden()
    open_menu(officer).locator("#duty-toggle").tap()
    officer.wait_for_selector("#duty-toggle[aria-pressed=true]", state="attached")

    # Into the conversation again: the unread mark goes, and the menu closes it.
    back.tap()
    panel.locator(".messages", has_text="Ви ще тут?").wait_for()
    assert officer.locator(".chat-tab .unread").first.is_hidden()
    open_menu(officer).get_by_role("button", name="Close…").tap()
    officer.select_option("#close-outcome", "advice_given")
    officer.get_by_role("button", name="Close conversation").tap()
    panel.locator(".ended-note:not([hidden])").wait_for()
    citizen.wait_for_selector("#ended-view:not([hidden])")
