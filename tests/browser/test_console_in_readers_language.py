"""The console a Czech officer works in, as the scripts render it with a live chat open
(queue card, badges, triage form, the citizen's messages, tools), shows no raw vocabulary
code and no English catalogue string (``tests.frontend.page_text.untranslated``) in any
visible text node, the triage reasons included (rendered from reason codes in Czech, with the
citizen's words quoted)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from core.vocabulary import Category
from tests.browser.conftest import go_on_duty, login, send_citizen, start_chat
from tests.frontend.page_text import untranslated

pytestmark = pytest.mark.browser

# Every visible text node of the page.
VISIBLE_TEXTS = """() => {
  const skip = "script, style";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip) || !parent.checkVisibility()) continue;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (text) texts.push(text);
  }
  return texts;
}"""


def test_a_czech_officer_reads_a_live_chat_without_codes_or_english(
    new_page: Any, base_url: str
) -> None:
    officer = new_page(viewport={"width": 1366, "height": 900}, locale="cs-CZ")
    citizen = new_page(locale="pl-PL")
    login(officer, base_url, "petr")
    go_on_duty(officer)
    assert officer.locator("html").get_attribute("lang") == "cs"
    assert officer.locator("html").get_attribute("data-time-zone") == "Europe/Prague"

    start_chat(citizen, base_url, prechat={"what_happened": "sextortion", "under_18": False})
    send_citizen(citizen, "Ktoś grozi, że opublikuje moje nagie zdjęcia, chce 500 euro. znak-cs")
    officer.locator(".queue-card", has_text="znak-cs").wait_for()
    queue_texts = officer.evaluate(VISIBLE_TEXTS)
    officer.locator(".queue-card", has_text="znak-cs").get_by_role("button").first.click()
    officer.get_by_text("znak-cs").last.wait_for()
    officer.wait_for_timeout(500)  # suggestions and triage arrive right after the history
    texts = [*queue_texts, *officer.evaluate(VISIBLE_TEXTS)]
    with translation.override("cs"):
        category = str(Category.SEXTORTION.label)
    assert any(category in text for text in texts), texts
    problems = untranslated(texts, "cs")
    assert not problems, "\n".join(problems)
