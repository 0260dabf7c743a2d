"""Articles reach the citizen in their language; escalation gives the citizen a case reference."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import go_on_duty, login, send_citizen, start_chat

pytestmark = pytest.mark.browser


def take(officer, text):
    officer.locator(".queue-card", has_text=text).get_by_role(
        "button", name=re.compile("Take|Взяти")
    ).click()
    panel = officer.locator(".chat-panel:not([hidden])")
    panel.locator(".messages", has_text=text).wait_for()
    return panel


def test_suggested_and_inserted_articles_arrive_in_the_citizens_language(new_page, base_url):
    officer = new_page(viewport={"width": 1366, "height": 900}, locale="en-GB")
    citizen = new_page(viewport={"width": 390, "height": 844}, locale="uk-UA")
    login(officer, base_url, "olena")
    go_on_duty(officer)

    start_chat(citizen, base_url, query="?lang=uk", prechat={"what_happened": "phishing"})
    suggestion = citizen.locator("#suggestions:not([hidden]) details").first
    suggestion.wait_for()
    assert suggestion.get_attribute("lang") == "uk"
    suggestion.locator("summary").click()
    assert suggestion.locator(".article-body").inner_text().strip() != ""
    send_citizen(citizen, "Я натиснула посилання в SMS і ввела дані картки, статті")

    panel = take(officer, "статті")
    search = panel.locator(".search-input")
    search.fill("phishing")
    search.press("Enter")
    first = panel.locator(".article-list li[data-slug]").first
    first.wait_for()
    first.get_by_role("button", name="Insert").click()

    article = citizen.locator("#message-list .message article.article")
    article.wait_for()
    assert article.get_attribute("lang") == "uk"
    assert article.locator("h3").inner_text().strip() != ""
    # Article HTML is shown as formatted text, and nothing in it can run or load anything.
    assert article.locator("script, img, iframe, [onclick]").count() == 0
    panel.locator(".messages article.article").wait_for()


def test_escalation_shows_the_case_reference_to_both_sides(new_page, base_url):
    officer = new_page(viewport={"width": 1366, "height": 900}, locale="en-GB")
    citizen = new_page(locale="en-GB")
    login(officer, base_url, "anna")
    go_on_duty(officer)
    start_chat(citizen, base_url)
    send_citizen(citizen, "A fake bank employee made me install an app, escalate me")

    panel = take(officer, "escalate me")
    panel.get_by_role("tab", name="Case").click()
    panel.get_by_role("button", name="Escalate to case").click()
    link = panel.locator(".chat-case a")
    link.wait_for()
    reference = link.inner_text().replace("Case", "").strip()
    assert reference
    assert link.get_attribute("href").startswith("/console/cases/")

    notice = citizen.locator("#message-list .message.system .reference")
    notice.wait_for()
    assert reference in notice.inner_text()
