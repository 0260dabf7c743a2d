"""A Lithuanian visitor is served in Lithuanian from the start form to the waiting screen."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import start_chat

pytestmark = pytest.mark.browser

ENGLISH_WAITING = (
    "Waiting for an adviser",
    "in the queue",
    "Estimated wait",
    "Advisers on duty",
    "describe what happened",
    "Nobody is on duty",
    "Your message",
    "Send",
)


def test_a_lithuanian_visitor_starts_a_chat_and_waits_in_lithuanian(new_page, base_url):
    citizen = new_page(viewport={"width": 390, "height": 844}, locale="lt-LT")
    citizen.goto(base_url + "/")
    assert citizen.locator("html").get_attribute("lang") == "lt"
    assert citizen.locator("#start-chat").inner_text() == "Pradėti pokalbį"
    assert citizen.locator("#language-select").input_value() == "lt"
    assert "Start chat" not in citizen.inner_text("body")

    start_chat(citizen, base_url, prechat={"what_happened": "phishing", "happening_now": True})
    citizen.wait_for_selector("#waiting-panel:not([hidden])")
    citizen.wait_for_selector("#queue-position:text-matches('Jūsų vieta eilėje: \\\\d+\\\\.')")
    waiting = citizen.inner_text("#waiting-panel")
    assert "Laukiama konsultanto" in waiting
    assert "Jau dabar galite žemiau aprašyti, kas nutiko" in waiting
    assert re.search(r"Budinčių konsultantų: \d+\.", waiting)
    assert citizen.inner_text("#composer label") == "Jūsų žinutė"
    # The interface is Lithuanian; the suggested articles are not written in Lithuanian
    # and go out in the fallback language, marked with it.
    visible = "\n".join(
        citizen.inner_text(selector)
        for selector in ("#chat-heading", "#waiting-panel", "#composer", ".chat-actions")
    )
    assert [text for text in ENGLISH_WAITING if text in visible] == []
    citizen.wait_for_selector("#suggestions:not([hidden])")
    assert citizen.inner_text("#suggestions-heading") == "Kol laukiate, tai gali padėti"
    languages = citizen.locator("#suggestion-list details").evaluate_all(
        "nodes => nodes.map(n => n.lang)"
    )
    assert languages
    assert set(languages) <= {"lt", "en", "pl"}
