"""A citizen who can come back: the resume code, left messages, quick exit on phones,
and the bank numbers first when money is still moving."""

from __future__ import annotations

import os
import re

import pytest

from tests.browser.conftest import (
    SCREENSHOTS,
    go_on_duty,
    login,
    save_screenshot,
    send_citizen,
    start_chat,
    wait_for_empty_queue,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1366, "height": 768}


def shown_code(page) -> str:
    page.wait_for_selector("#code-box:not([hidden])")
    page.wait_for_function("() => document.querySelector('#code-words').textContent.length > 0")
    return page.inner_text("#code-words").strip()


def take(officer, text: str, *, section: str = "#queue-list"):
    card = officer.locator(f"{section} .queue-card", has_text=text)
    card.wait_for()
    card.get_by_role("button", name=re.compile("Take")).click()
    panel = officer.locator(".chat-panel:not([hidden])")
    panel.locator(".messages", has_text=text).wait_for()
    return panel


def reply(panel, text: str) -> None:
    panel.locator(".reply").fill(text)
    panel.locator(".reply").press("Enter")


def close_conversation(officer, panel) -> None:
    panel.get_by_role("button", name="Close…").click()
    officer.select_option("#close-outcome", "advice_given")
    officer.get_by_role("button", name="Close conversation").click()
    panel.locator(".ended-note:not([hidden])").wait_for()


def resume_with_code(page, base_url: str, typed: str) -> None:
    page.goto(base_url + "/")
    page.fill("#code-input", typed)
    page.get_by_role("button", name="Continue the conversation").click()
    page.wait_for_selector("#chat-view:not([hidden])")


def test_citizen_closes_the_tab_and_comes_back_with_the_code_to_the_reply(new_page, base_url):
    officer = new_page(viewport=DESK, locale="en-GB")
    login(officer, base_url, "anna")
    go_on_duty(officer)
    wait_for_empty_queue(officer)

    citizen = new_page(viewport=PHONE, locale="en-GB")
    start_chat(citizen, base_url)
    code = shown_code(citizen)
    assert len(code.split()) == 6
    send_citizen(citizen, "Someone took over my mail account and writes to my friends")
    citizen.wait_for_selector("#message-list .message.mine[data-state=sent]")
    panel = take(officer, "took over my mail")
    citizen.wait_for_selector("#message-list .notice:has-text('has joined')")

    citizen.context.close()
    panel.locator(".chat-badges", has_text="Citizen away").wait_for()
    reply(panel, "Change the password from a clean device and tell your friends.")
    panel.locator(".message.mine[data-state=sent]", has_text="clean device").wait_for()
    save_screenshot(officer, "console-citizen-away")

    # Another device: capitals and hyphens do not matter.
    again = new_page(viewport=PHONE, locale="en-GB")
    resume_with_code(again, base_url, "-".join(code.upper().split()))
    again.wait_for_selector("#message-list .message.theirs:has-text('clean device')")
    assert "took over my mail" in again.inner_text("#message-list")
    assert again.inner_text("#code-words").split() == code.split()
    panel.locator(".chat-badges", has_text="Citizen online").wait_for()
    save_screenshot(again, "citizen-came-back")

    # The conversation goes on from the new device.
    send_citizen(again, "Done, thank you")
    panel.locator(".messages", has_text="Done, thank you").wait_for()
    close_conversation(officer, panel)
    again.wait_for_selector("#ended-view:not([hidden])")
    # The ended conversation stays readable above the ending.
    assert again.locator("#message-list .message.theirs", has_text="clean device").is_visible()
    assert again.locator("#composer").is_hidden()


def test_a_wrong_code_is_refused_with_a_translated_message(new_page, base_url):
    page = new_page(viewport=PHONE, locale="pl-PL")
    page.goto(base_url + "/?lang=pl")
    page.fill("#code-input", "baba baba baba baba baba baba")
    page.get_by_role("button", name="Kontynuuj rozmowę").click()
    page.wait_for_selector("#code-error:has-text('Żadna rozmowa nie ma tego kodu')")
    assert page.locator("#start-view").is_visible()
    assert page.evaluate("() => sessionStorage.length") == 0


def test_nobody_on_duty_the_citizen_leaves_a_message_and_reads_the_answer_later(new_page, base_url):
    citizen = new_page(viewport=PHONE, locale="en-GB")
    start_chat(citizen, base_url)
    citizen.wait_for_selector("#nobody-on-duty:not([hidden])")
    send_citizen(citizen, "A fake shop took my money for a bike, nobody answers there")
    citizen.wait_for_selector("#message-list .message.mine[data-state=sent]")
    citizen.get_by_role("button", name="Leave the message and come back later").click()
    citizen.wait_for_selector("#message-left:not([hidden])")
    code = citizen.inner_text("#message-left-code").strip()
    assert len(code.split()) == 6
    assert citizen.locator("#nobody-on-duty").is_hidden()
    save_screenshot(citizen, "citizen-message-left")
    citizen.context.close()

    officer = new_page(viewport=DESK, locale="en-GB")
    login(officer, base_url, "anna")
    go_on_duty(officer)
    officer.locator("#left-list .queue-card", has_text="fake shop").wait_for()
    assert officer.locator("#queue-list .queue-card", has_text="fake shop").count() == 0
    save_screenshot(officer, "console-messages-left")
    panel = take(officer, "fake shop", section="#left-list")
    assert "Message left" in panel.locator(".chat-badges").inner_text()
    reply(panel, "Report it to your bank as a card dispute and keep the shop's web address.")
    panel.locator(".messages", has_text="card dispute").wait_for()

    later = new_page(viewport=PHONE, locale="en-GB")
    resume_with_code(later, base_url, code)
    later.wait_for_selector("#message-list .message.theirs:has-text('card dispute')")
    assert "fake shop" in later.inner_text("#message-list")
    close_conversation(officer, panel)
    later.wait_for_selector("#ended-view:not([hidden])")
    assert later.locator("#message-list .message.theirs", has_text="card dispute").is_visible()


def quick_exit_on_screen(page) -> bool:
    box = page.locator("#quick-exit").bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


@pytest.mark.parametrize("path", ["/", "/help/", "/help/stop-bank-transfer/?lang=pl"])
def test_quick_exit_stays_on_screen_at_360px_while_scrolled(new_page, base_url, path):
    page = new_page(viewport=PHONE, locale="en-GB")
    page.goto(base_url + path)
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("() => window.scrollY > 200")
    assert quick_exit_on_screen(page)
    if os.environ.get("UPDATE_SCREENSHOTS"):
        name = "quick-exit-help-phone" if "help" in path else "quick-exit-phone"
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))  # the screen, not the page
    page.locator("#quick-exit").click()
    page.wait_for_url(re.compile(r"/weather/"))
    assert page.evaluate("() => sessionStorage.length + localStorage.length") == 0


def test_money_still_moving_puts_the_bank_numbers_first_for_citizen_and_officer(new_page, base_url):
    officer = new_page(viewport=DESK, locale="en-GB")
    login(officer, base_url, "anna")
    go_on_duty(officer)
    wait_for_empty_queue(officer)

    citizen = new_page(viewport=PHONE, locale="pl-PL")
    start_chat(citizen, base_url, query="?lang=pl")
    send_citizen(citizen, "Przelałem 2000 zł oszustowi 10 minut temu, co mam robić?")
    # The first suggestions (from the pre-chat answers) are replaced once triage reads it.
    citizen.wait_for_selector("#suggestions.urgent")
    first = citizen.locator("#suggestion-list details").first
    assert first.get_attribute("data-slug") == "stop-bank-transfer"
    assert first.get_attribute("open") is not None
    assert "Zadzwoń teraz do banku" in citizen.inner_text("#suggestions-heading")
    table = first.locator("table")
    assert table.locator("tbody tr").first.inner_text().startswith("Polska")
    assert table.locator("a[href='tel:+48828828828']").inner_text() == "828 828 828"
    first.scroll_into_view_if_needed()
    save_screenshot(citizen, "citizen-money-moving")

    panel = take(officer, "Przelałem 2000 zł")
    articles = panel.locator(".tool.articles li[data-slug]")
    articles.first.wait_for()
    assert articles.first.get_attribute("data-slug") == "stop-bank-transfer"
    close_conversation(officer, panel)
