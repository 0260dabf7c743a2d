"""axe-core finds no serious or critical violation on any page; screenshots of each screen."""

from __future__ import annotations

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


def assert_no_violations(page, *, also=()):
    violations = run_axe(page, also=also)
    assert violations == [], violations


def test_citizen_pages_have_no_serious_violations(new_page, base_url):
    # axe is injected as an inline script, which the page's CSP rightly forbids.
    page = new_page(bypass_csp=True, locale="en-GB")
    for language in ("en", "pl", "uk"):
        page.goto(f"{base_url}/?lang={language}")
        assert_no_violations(page)
    start_chat(page, base_url)
    # This module runs first on a fresh server: nobody is on duty yet, so the page says so and
    # offers self-help and the helplines.
    nobody = page.locator("#nobody-on-duty:not([hidden])")
    nobody.wait_for()
    assert "116 006" in nobody.inner_text()
    assert nobody.locator("a[href='/help/']").count() == 1
    assert "number 1 in the queue" in page.inner_text("#queue-position")
    save_screenshot(page, "citizen-waiting")
    page.fill("#message-input", "Accessibility check")
    page.press("#message-input", "Enter")
    page.wait_for_selector(".message.mine[data-state=sent]")
    assert_no_violations(page)
    page.goto(base_url + "/weather/")
    assert_no_violations(page)


def test_staff_pages_have_no_serious_violations(new_page, base_url):
    page = new_page(bypass_csp=True, viewport={"width": 1366, "height": 900}, locale="en-GB")
    page.goto(base_url + "/console/login/")
    assert_no_violations(page)
    login(page, base_url, "marek")
    go_on_duty(page)
    assert_no_violations(page)
    page.goto(base_url + "/supervisor/")
    page.wait_for_selector("#connection[data-state=open]")
    page.wait_for_timeout(500)
    assert_no_violations(page)


def test_help_page_screenshot(new_page, base_url):
    page = new_page(viewport={"width": 390, "height": 844}, locale="en-GB")
    response = page.goto(base_url + "/help/")
    assert response.ok
    save_screenshot(page, "help")


def test_console_with_a_chat_open_and_its_case_page_have_no_serious_violations(new_page, base_url):
    officer = new_page(bypass_csp=True, viewport={"width": 1366, "height": 768}, locale="en-GB")
    citizen = new_page(locale="en-GB")
    login(officer, base_url, "anna")
    go_on_duty(officer)
    wait_for_empty_queue(officer)
    start_chat(citizen, base_url)
    send_citizen(citizen, "Someone wants money for my photos, axe check")
    officer.locator(".queue-card", has_text="axe check").get_by_role("button").click()
    panel = officer.locator(".chat-panel:not([hidden])")
    panel.locator(".messages", has_text="axe check").wait_for()
    # Enough messages that the list scrolls: a scrollable region must be reachable by keyboard.
    for number in range(14):
        send_citizen(citizen, f"Detail number {number} of what happened")
    panel.locator(".messages li", has_text="Detail number 13").wait_for()
    assert officer.evaluate(
        "() => { const l = document.querySelector('.chat-panel:not([hidden]) .messages');"
        " return l.scrollHeight > l.clientHeight; }"
    )
    assert_no_violations(officer)

    panel.get_by_role("tab", name="Case").click()
    panel.get_by_role("button", name="Escalate to case").click()
    link = panel.locator(".chat-case a")
    link.wait_for()
    officer.goto(base_url + link.get_attribute("href"))
    officer.locator(".case-head h1").wait_for()
    assert_no_violations(officer, also=("empty-table-header",))
    losses = officer.locator("form[action$='/losses/']")
    losses.locator("input[name=amount]").fill("300")
    with officer.expect_navigation():
        losses.get_by_role("button", name="Add loss").click()
    officer.locator("section[aria-labelledby=h-losses] tbody tr").wait_for()
    assert_no_violations(officer, also=("empty-table-header",))
    save_screenshot(officer, "case")
