"""A goodbye at the end of a crime story, written by a relative, is a critical conversation:
the officers' queue shows it as P1 with the reason in their own language and the relative's
words quoted."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    consoles_on_duty,
    login,
    save_screenshot,
    send_citizen,
    start_chat,
)

pytestmark = pytest.mark.browser

OFFICERS = {
    # locale: (username, words of the farewell reason)
    "pl-PL": ("anna", "pożegnanie albo zniknięcie osoby po stracie pieniędzy"),
    "cs-CZ": ("petr", "loučení nebo zmizení člověka po ztrátě peněz"),
}


def test_a_relatives_account_of_a_goodbye_after_a_fraud_is_p1_with_its_reason(new_page, base_url):
    consoles = consoles_on_duty(
        new_page, base_url, {locale: user for locale, (user, _) in OFFICERS.items()}
    )
    citizen = new_page(locale="pl-PL")
    start_chat(citizen, base_url)
    send_citizen(citizen, "Mój mąż stracił 80 tysięcy na platformie inwestycyjnej.")
    send_citizen(
        citizen, "Rano zostawił kartkę: przepraszam was za wszystko. Telefon ma wyłączony."
    )

    for locale, (_username, words) in OFFICERS.items():
        console = consoles[locale]
        banner = console.locator("#p1-alerts[role=alert] .p1-banner")
        banner.wait_for()
        card = console.locator(".queue-card[data-urgency=P1]")
        card.wait_for()
        console.wait_for_function(
            "words => [...document.querySelectorAll('.queue-card[data-urgency=P1] .reasons li')]"
            ".some(li => li.textContent.includes(words))",
            arg=words,
        )
        reasons = card.locator(".reasons li").all_inner_texts()
        farewell = next(text for text in reasons if words in text)
        assert "przepraszam was za wszystko" in farewell, (locale, farewell)
        assert farewell.endswith("→ P1"), (locale, farewell)
        assert "rule_farewell_after_loss" not in " ".join(reasons)
    save_screenshot(consoles["cs-CZ"], "console-farewell-p1")


def test_on_a_phone_the_alert_names_why_and_its_buttons_stay_on_screen(new_page, base_url):
    phone = {"width": 360, "height": 740}
    officer = new_page(viewport=phone, locale="cs-CZ", is_mobile=True, has_touch=True)
    login(officer, base_url, "petr")
    officer.wait_for_selector("#connection[data-state=open]")
    officer.locator("#menu-button").tap()
    toggle = officer.locator("#duty-toggle")
    if toggle.get_attribute("aria-pressed") == "true":
        officer.locator("#menu-button").tap()
    else:
        toggle.tap()
        officer.wait_for_selector("#duty-toggle[aria-pressed=true]", state="attached")
    citizen = new_page(locale="pl-PL")
    start_chat(citizen, base_url)
    send_citizen(citizen, "Mój mąż stracił 80 tysięcy na platformie inwestycyjnej.")
    send_citizen(
        citizen, "Rano zostawił kartkę: przepraszam was za wszystko. Telefon ma wyłączony."
    )

    banner = officer.locator("#p1-alerts[role=alert] .p1-banner")
    banner.wait_for()
    assert OFFICERS["cs-CZ"][1] in banner.inner_text()
    for button in banner.get_by_role("button").all():
        found = button.bounding_box()
        assert found is not None
        assert found["x"] >= 0
        assert found["x"] + found["width"] <= phone["width"]
        assert found["y"] + found["height"] <= phone["height"]
    assert officer.evaluate("document.documentElement.scrollWidth") <= phone["width"]
