"""Polish, Czech and Ukrainian officers read the same conversation's triage reasons in their
own language, with the citizen's words quoted as they were written."""

from __future__ import annotations

import pytest

from tests.browser.conftest import consoles_on_duty, send_citizen, start_chat

pytestmark = pytest.mark.browser

OFFICERS = {
    # locale: (username, words of the money-moving reason, the quoted word in local quotes)
    "pl-PL": ("anna", "bank może jeszcze wstrzymać przelew", "„przelałem”"),
    "cs-CZ": ("petr", "banka je ještě může zastavit", "„przelałem“"),
    "uk-UA": ("olena", "банк ще може зупинити переказ", "«przelałem»"),
}


def test_each_officer_reads_the_reasons_of_one_conversation_in_their_language(new_page, base_url):
    consoles = consoles_on_duty(
        new_page, base_url, {locale: user for locale, (user, _, _) in OFFICERS.items()}
    )
    citizen = new_page(locale="pl-PL")
    start_chat(citizen, base_url)
    send_citizen(citizen, "Przed chwilą przelałem 5000 zł na bezpieczne konto <b>pilne</b>")

    for locale, (_username, words, quote) in OFFICERS.items():
        reasons = consoles[locale].locator(".queue-card[data-urgency=P2] .reasons li").first
        reasons.wait_for()
        consoles[locale].wait_for_function(
            "words => document.querySelector('.queue-card[data-urgency=P2] .reasons li')"
            ".textContent.includes(words)",
            arg=words,
        )
        text = reasons.inner_text()
        assert words in text, (locale, text)
        assert quote in text, (locale, text)
        assert text.endswith("→ P2")
        assert "money moved" not in text
        assert "rule_money_moving" not in text
