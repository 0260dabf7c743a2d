"""Across a border in Chromium: an accepted referral lands in the receiving unit's queue (not
the sender's), the sender sees the decision live, a P1 referral alerts the receiving console;
a transfer after a lost claim shows the history; a supervisor watches and whispers."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import (
    go_on_duty,
    login,
    run_axe,
    save_screenshot,
    seed,
    send_citizen,
    start_chat,
)

pytestmark = pytest.mark.browser
DESK = {"viewport": {"width": 1366, "height": 900}, "locale": "en-GB"}


@pytest.fixture(scope="module")
def staff(base_url: str, server_env: dict[str, str]) -> dict[str, Any]:
    return seed("referral_data", server_env)


def console(new_page: Any, base_url: str, username: str, **options: Any) -> Any:
    page = new_page(**{**DESK, **options})
    login(page, base_url, username)
    if not page.url.rstrip("/").endswith("/console"):
        page.goto(base_url + "/console/")
    go_on_duty(page)
    return page


def take(page: Any, text: str) -> Any:
    """Take the queue card showing ``text``; returns the open chat panel."""
    card = page.locator(".queue-card", has_text=text)
    card.get_by_role("button", name=re.compile("Take")).click()
    panel = page.locator(".chat-panel:not([hidden])")
    panel.locator(".messages", has_text=text).wait_for()
    return panel


def refer_to_ova(page: Any, summary: str) -> None:
    page.keyboard.press("Alt+Shift+R")
    page.select_option("#refer-unit", "OVA")
    page.select_option("#refer-reason", "language")
    page.fill("#refer-summary", summary)
    page.get_by_role("button", name="Send referral").click()
    page.locator("#console-status", has_text="Referral sent.").wait_for()


def test_accepted_referral_goes_to_the_receiving_queue_and_the_sender_sees_it_live(
    new_page, base_url, staff
):
    sender = console(new_page, base_url, staff["sender"]["username"])
    # Axe is injected as a script: only these pages bypass the CSP.
    receiver = console(new_page, base_url, staff["receiver"]["username"], bypass_csp=True)
    citizen = new_page(locale="cs-CZ")
    start_chat(
        citizen,
        base_url,
        query="?lang=cs",
        prechat={"what_happened": "sextortion", "under_18": True},
    )
    send_citizen(citizen, "Vydírá mě někdo fotkami, referral alpha")
    take(sender, "referral alpha")
    refer_to_ova(sender, "Czech-speaking minor from Ostrava, alpha summary")

    inbox = receiver.context.new_page()
    inbox.goto(base_url + "/console/cases/inbox/")
    item = inbox.locator("article.referral", has_text="alpha summary")
    facts = item.locator(".referral-facts").inner_text()
    for words in ("Sextortion", "Czech", "Under 18", "yes", "Waiting for your decision"):
        assert words in facts, (words, facts)
    assert "sextortion" not in facts
    assert re.search(r"Urgency\s+P[1-4] (critical|urgent|standard|information)", facts)
    assert staff["sender"]["name"] in facts
    save_screenshot(inbox, "referral-inbox")
    assert run_axe(inbox) == []
    with inbox.expect_navigation():
        item.get_by_role("button", name=re.compile("Accept")).click()

    card = receiver.locator(".queue-card", has_text="referral alpha")
    card.wait_for()
    assert "Referred to your unit" in card.inner_text()
    notice = sender.locator("#referral-notices li[data-decision=accepted]")
    notice.wait_for()
    assert "OVA accepted your referral" in notice.inner_text()
    sender.locator(".ended-note", has_text="partner unit accepted").wait_for()
    save_screenshot(sender, "console-referral-decided")
    sender.wait_for_timeout(500)
    assert sender.locator(".queue-card", has_text="referral alpha").count() == 0

    take(receiver, "referral alpha")
    citizen.locator("#message-list").wait_for()


def test_declined_referral_reaches_the_sender_live_with_the_reason(new_page, base_url, staff):
    sender = console(new_page, base_url, staff["sender"]["username"])
    citizen = new_page(locale="pl-PL")
    start_chat(citizen, base_url)
    send_citizen(citizen, "Oszukano mnie na OLX, referral beta")
    take(sender, "referral beta")
    refer_to_ova(sender, "beta summary")
    receiver = new_page(**DESK)
    login(receiver, base_url, staff["receiver"]["username"])
    receiver.goto(base_url + "/console/cases/inbox/")
    item = receiver.locator("article.referral", has_text="beta summary")
    item.locator("input[name=reason]").fill("Nie nasza właściwość")
    with receiver.expect_navigation():
        item.get_by_role("button", name="Decline").click()
    notice = sender.locator("#referral-notices li[data-decision=declined]")
    notice.wait_for()
    assert "OVA declined your referral" in notice.inner_text()
    assert "Nie nasza właściwość" in notice.inner_text()
    # The sender keeps the conversation.
    assert sender.locator(".chat-panel:not([hidden]) .ended-note:not([hidden])").count() == 0


def test_a_p1_referral_alerts_the_receiving_console(new_page, base_url, staff):
    sender = console(new_page, base_url, staff["colleague"]["username"])
    receiver = console(new_page, base_url, staff["receiver"]["username"])
    citizen = new_page(locale="en-GB")
    start_chat(citizen, base_url, prechat={"in_danger": True})
    send_citizen(citizen, "He says he will hurt me tonight, referral gamma")
    take(sender, "referral gamma")
    # Taking it cleared the shared P1 banner everywhere.
    receiver.locator("#p1-alerts .p1-banner").wait_for(state="detached")
    refer_to_ova(sender, "gamma summary")
    banner = receiver.locator("#p1-alerts[role=alert] .p1-banner")
    banner.wait_for()
    assert "Critical conversation waiting" in banner.inner_text()
    with receiver.expect_navigation():
        banner.get_by_role("button", name="Open the queue entry").click()
    receiver.locator("article.referral[data-urgency=P1]", has_text="gamma summary").wait_for()


def test_transfer_to_an_officer_who_lost_the_claim_shows_the_history(new_page, base_url, staff):
    winner = console(new_page, base_url, staff["sender"]["username"])
    loser = new_page(**DESK)

    def hold_back_removals(ws: Any) -> None:
        """The loser's console does not hear that the card was taken: it claims too late."""
        server = ws.connect_to_server()
        server.on_message(
            lambda message: None if '"queue.removed"' in str(message) else ws.send(message)
        )

    loser.route_web_socket(re.compile(r".*/ws/officer/"), hold_back_removals)
    login(loser, base_url, staff["colleague"]["username"])
    go_on_duty(loser)
    citizen = new_page(locale="en-GB")
    start_chat(citizen, base_url)
    send_citizen(citizen, "Somebody hacked my account, lost race delta")

    take(winner, "lost race delta")
    card = loser.locator(".queue-card", has_text="lost race delta")
    card.get_by_role("button", name=re.compile("Take")).click()
    loser.locator("#console-status", has_text="Another officer took").wait_for()

    tab_id = winner.locator(".chat-tab[aria-selected=true]").get_attribute("id")
    panel = winner.locator(".chat-panel:not([hidden])")
    panel.get_by_role("button", name="Transfer…").click()
    dialog = winner.locator("#transfer-dialog")
    dialog.locator("select[name=officer]").select_option(str(staff["colleague"]["id"]))
    dialog.get_by_role("button", name="Transfer", exact=True).click()

    loser.locator(f"#{tab_id}").click()
    received = loser.locator(".chat-panel:not([hidden]) .messages", has_text="lost race delta")
    received.wait_for()
    assert loser.locator("#console-status").inner_text() == ""
    loser.locator(".chat-panel:not([hidden]) .reply").fill("I am taking over now.")
    loser.keyboard.press("Enter")
    citizen.locator("#message-list", has_text="I am taking over now.").wait_for()


def test_supervisor_watches_and_whispers_and_the_officer_sees_both(new_page, base_url, staff):
    officer = console(new_page, base_url, staff["sender"]["username"], bypass_csp=True)
    citizen = new_page(locale="pl-PL")
    start_chat(citizen, base_url)
    send_citizen(citizen, "Ktoś przejął moje konto na Facebooku, watch epsilon")
    panel = take(officer, "watch epsilon")
    tab_id = officer.locator(".chat-tab").last.get_attribute("id") or ""
    conversation_id = tab_id.removeprefix("tab-c")

    chief = new_page(**DESK, bypass_csp=True)
    login(chief, base_url, staff["chief"]["username"])
    chief.goto(base_url + "/supervisor/")
    with chief.expect_navigation():
        chief.locator(f".watch-list tr[data-conversation-id='{conversation_id}'] a").click()
    chief.locator("#watch-messages", has_text="watch epsilon").wait_for()
    assert staff["sender"]["name"] in chief.inner_text("#watch-officer")

    watching = panel.locator(".watching")
    watching.wait_for()
    assert staff["chief"]["name"] in watching.inner_text()
    assert "is watching" in watching.inner_text()

    send_citizen(citizen, "Czy ktoś tam jest?")
    chief.locator("#watch-messages", has_text="Czy ktoś tam jest?").wait_for()

    chief.fill("#whisper-input", "Ask for the account number, zeta whisper")
    chief.get_by_role("button", name="Send to the officer").click()
    # The whisper marks the Notes tab until the officer opens it.
    notes_tab = panel.get_by_role("tab", name="Notes")
    notes_tab.locator(".unread", has_text="1 unread").wait_for()
    notes_tab.click()
    whisper = panel.locator(".note-list li.whisper", has_text="zeta whisper")
    whisper.wait_for()
    assert notes_tab.locator(".unread").is_hidden()
    assert "Private note from" in whisper.inner_text()
    chief.locator("#watch-notes li.whisper", has_text="zeta whisper").wait_for()
    save_screenshot(officer, "console-watched")
    save_screenshot(chief, "supervisor-watch")
    assert run_axe(chief) == []
    assert run_axe(officer) == []
    assert "zeta whisper" not in citizen.inner_text("body")

    chief.close()
    watching.wait_for(state="detached")
