"""A citizen whose opening message suggests a possible risk is asked, in their language,
whether they are safe; "not safe" raises the conversation to P1 on the officer's console,
with the reason in the officer's language."""

from __future__ import annotations

import pytest

from tests.advice.services.test_conversation_safety_answer import POSSIBLE_RISK_PL
from tests.browser.conftest import (
    go_on_duty,
    login,
    run_axe,
    save_screenshot,
    send_citizen,
    start_chat,
)
from triage.engine import assess

pytestmark = pytest.mark.browser
MARKER = "(Ola K.)"
OPENING = f"{POSSIBLE_RISK_PL} {MARKER}"


def test_not_safe_raises_p1_and_the_ukrainian_officer_reads_why(new_page, base_url):
    marked = assess(texts=[OPENING], browser_language="pl")
    assert marked.possible_risk, marked
    assert marked.urgency != "P1", marked
    # The console is checked with axe (an injected script: CSP bypassed there only; the
    # citizen's page runs under the strict policy).
    officer = new_page(bypass_csp=True, viewport={"width": 1366, "height": 900}, locale="uk-UA")
    login(officer, base_url, "olena")
    go_on_duty(officer)
    citizen = new_page(locale="pl-PL")
    start_chat(citizen, base_url)
    send_citizen(citizen, OPENING)

    question = citizen.locator("#safety-ask")
    question.wait_for()
    assert "Czy coś ci teraz grozi?" in question.inner_text()
    # Other tests of the session may leave cards waiting: this citizen's card by its words.
    mine = officer.locator(".queue-card", has_text=MARKER)
    mark = mine.locator(".possible-risk")
    mark.wait_for()
    assert "Можлива загроза – запитайте, чи в безпеці" in mark.inner_text()
    save_screenshot(citizen, "citizen-safety-question")
    assert run_axe(officer) == []

    citizen.get_by_role("button", name="Grozi mi niebezpieczeństwo").click()
    answered = citizen.locator("#safety-answered")
    answered.wait_for()
    assert "112" in answered.inner_text()
    assert question.is_hidden()

    banner = officer.locator("#p1-alerts[role=alert] .p1-banner")
    banner.wait_for()
    assert "людина відповіла, що зараз не в безпеці → P1" in banner.inner_text()
    card = officer.locator(".queue-card[data-urgency=P1]", has_text=MARKER)
    card.wait_for()
    assert "людина відповіла, що зараз не в безпеці → P1" in card.inner_text()
    assert card.locator(".possible-risk").count() == 0
    assert "можлива загроза" not in card.inner_text()

    # The question is not asked again when the citizen's page is reloaded (resume).
    citizen.reload()
    citizen.wait_for_selector("#chat-view:not([hidden])")
    citizen.wait_for_timeout(1000)
    assert citizen.locator("#safety-ask").is_hidden()


def test_the_safety_question_fits_a_phone_and_passes_axe_in_ukrainian(new_page, base_url):
    citizen = new_page(bypass_csp=True, viewport={"width": 360, "height": 740}, locale="uk-UA")
    start_chat(citizen, base_url)
    send_citizen(citizen, POSSIBLE_RISK_PL)
    question = citizen.locator("#safety-ask")
    question.wait_for()
    assert "Ви зараз у безпеці?" in question.inner_text()
    for name in ("Я в безпеці", "Я не в безпеці", "Волію не казати"):
        button = citizen.get_by_role("button", name=name)
        assert button.is_visible()
        box = button.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 360
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 360
    assert run_axe(citizen) == []
    citizen.get_by_role("button", name="Я в безпеці").click()
    citizen.locator("#safety-answered").wait_for()
    assert "Дякуємо" in citizen.locator("#safety-answered").inner_text()


LONE_MARKER = "(Marek B.)"
LONE_OPENING = (
    "ten nowy abonament mnie zabije, 200 zł miesięcznie, da się to gdzieś reklamować? "
    + LONE_MARKER
)


def test_a_lone_threat_rule_the_model_does_not_confirm_is_marked_not_p1(new_page, base_url):
    """A bill that "will kill me": the threat rule alone, not corroborated, is a marked card
    below P1; the officer reads the rule's words without "→ P1"."""
    result = assess(texts=[LONE_OPENING], browser_language="pl")
    assert (result.urgency != "P1", result.possible_risk) == (True, True), result
    officer = new_page(bypass_csp=True, viewport={"width": 1366, "height": 768}, locale="uk-UA")
    login(officer, base_url, "olena")
    go_on_duty(officer)
    citizen = new_page(locale="pl-PL")
    start_chat(citizen, base_url)
    send_citizen(citizen, LONE_OPENING)
    citizen.locator("#safety-ask").wait_for()

    mine = officer.locator(".queue-card", has_text=LONE_MARKER)
    mine.locator(".possible-risk").wait_for()
    assert mine.get_attribute("data-urgency") != "P1"
    text = mine.inner_text()
    threat = [line for line in text.splitlines() if "загроза життю або насильства" in line]
    assert threat, text
    assert all("mnie zabije" in line and "→ P1" not in line for line in threat), threat
    save_screenshot(officer, "console-lone-rule-possible-risk")
    assert run_axe(officer) == []
