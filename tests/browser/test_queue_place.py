"""Far back in the queue a citizen reads an approximate place, said to be approximate."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    go_on_duty,
    login,
    save_screenshot,
    start_chat,
    wait_for_empty_queue,
)

pytestmark = pytest.mark.browser


def test_the_fourth_citizen_waiting_is_told_about_where_they_are(new_page, base_url):
    # The browser server shows the first three places exactly (QUEUE_EXACT_POSITIONS=3).
    officer = new_page(locale="en-GB")
    login(officer, base_url, "anna")
    go_on_duty(officer)
    wait_for_empty_queue(officer)
    # Off duty again: nobody takes a conversation while the places are read.
    officer.locator("#duty-toggle").click()
    officer.wait_for_selector("#duty-toggle[aria-pressed=false]")

    citizens = [new_page(viewport={"width": 390, "height": 844}, locale="en-GB") for _ in range(4)]
    for citizen in citizens:
        start_chat(citizen, base_url)
        citizen.wait_for_selector("#queue-position:text-matches('in the queue')")
    third = citizens[2].locator("#queue-position")
    fourth = citizens[3].locator("#queue-position")
    citizens[3].wait_for_selector("#queue-position:has-text('about number')")
    assert third.inner_text() == "You are number 3 in the queue."
    assert fourth.inner_text() == "You are about number 10 in the queue."
    save_screenshot(citizens[3], "citizen-queue-approximate")
