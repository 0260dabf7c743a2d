"""Every staff role opens every staff page and submits every form on it in Chromium.

Each submission must end in what a person sees on success (the flash message, the new row,
the changed status) and no response may be refused (400/403) or fail (5xx): a form that
only works in the test client, not in a browser, fails here.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django_otp.oath import totp

from tests.browser.conftest import login, seed

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def staff_data(base_url: str, server_env: dict[str, str]) -> dict[str, Any]:
    """Accounts of KAT and OVA, a case and a case referred to OVA, in the server's database."""
    return seed("staff_data", server_env)


class Refusals:
    """Responses a person would see as an error page: 400, 403 and every 5xx."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def watch(self, page: Any) -> Any:
        def on_response(response: Any) -> None:
            if response.status in (400, 403) or response.status >= 500:
                self.seen.append(f"{response.status} {response.request.method} {response.url}")

        page.on("response", on_response)
        return page


@pytest.fixture
def staff_page(new_page: Any) -> Iterator[Any]:
    refusals = Refusals()
    page = refusals.watch(
        new_page(viewport={"width": 1366, "height": 900}, locale="en-GB", bypass_csp=False)
    )
    yield page
    assert refusals.seen == [], f"refused or failed responses: {refusals.seen}"


def flash(page: Any, text: str) -> None:
    page.locator("ul.flash li.flash-success", has_text=text).wait_for()
    assert page.locator("ul.flash li.flash-error").count() == 0, page.inner_text("ul.flash")


def submit(page: Any, form: Any, button: str | re.Pattern[str]) -> None:
    with page.expect_navigation():
        form.get_by_role("button", name=button).click()


def open_console(page: Any, base_url: str) -> None:
    page.goto(base_url + "/console/")
    page.wait_for_selector("#connection[data-state=open]")


def visit_lists(page: Any, base_url: str) -> None:
    page.goto(base_url + "/console/cases/")
    page.get_by_role("heading", name="Cases", level=1).wait_for()
    filters = page.locator("form.filters")
    filters.locator("select[name=status]").select_option("open")
    submit(page, filters, "Filter")
    assert page.locator("select[name=status]").input_value() == "open"
    page.goto(base_url + "/console/cases/inbox/")
    page.get_by_role("heading", name="Referral inbox", level=1).wait_for()


def log_out(page: Any, base_url: str) -> None:
    open_console(page, base_url)
    submit(page, page.locator("form.logout"), "Log out")
    assert page.url.endswith("/console/login/")


def add_note(page: Any, text: str) -> None:
    form = page.locator("form[action$='/notes/']")
    form.locator("textarea").fill(text)
    submit(page, form, "Add note")
    flash(page, "Note added.")
    page.locator("ol.notes li", has_text=text).wait_for()


def justify_access(page: Any) -> None:
    """Staff not assigned to a case first say why they open it; the case page follows."""
    form = page.locator("form.justify")
    form.locator("input[type=radio]").first.check()
    form.locator("textarea, input[type=text]").first.fill("Supervision of the unit's cases.")
    submit(page, form, "Open the case")
    page.locator("form[action$='/notes/']").wait_for()


def work_the_case(page: Any, base_url: str, case_id: int) -> None:
    """Submit every form of the case page as its assigned officer."""
    detail = f"{base_url}/console/cases/{case_id}/"
    page.goto(detail)

    fields = page.locator("form.fields")
    fields.locator("select[name=urgency]").select_option("P2")
    fields.locator("textarea[name=summary]").fill("Paid 1250 PLN to a fake OLX buyer.")
    submit(page, fields, "Save details")
    flash(page, "Case updated.")
    assert page.locator("form.fields textarea[name=summary]").input_value().startswith("Paid 1250")

    losses = page.locator("form[action$='/losses/']")
    losses.locator("input[name=amount]").fill("1250.50")
    losses.locator("select[name=currency]").select_option("PLN")
    losses.locator("input[name=note]").fill("BLIK transfer")
    submit(page, losses, "Add loss")
    flash(page, "Loss recorded.")
    row = page.locator("section[aria-labelledby=h-losses] tbody tr", has_text="BLIK transfer")
    row.wait_for()
    submit(page, row, "Remove")
    flash(page, "Loss entry removed.")
    page.locator("section[aria-labelledby=h-losses]", has_text="No loss recorded.").wait_for()

    checklist = page.locator("form[action$='/checklist/']")
    first_item = checklist.locator("input[name=have]").first
    item_value = first_item.get_attribute("value")
    first_item.check()
    submit(page, checklist, "Save checklist")
    flash(page, "Checklist saved.")
    assert page.locator(f"input[name=have][value='{item_value}']").is_checked()

    add_note(page, "Citizen will bring the bank statement.")

    indicators = page.locator("section[aria-labelledby=h-indicators]")
    submit(page, indicators.locator("form[action$='/extract/']"), re.compile("Extract again"))
    flash(page, "Indicators extracted")
    suggested = indicators.locator("table").first.locator("tbody tr").first
    value = suggested.locator("td.value").inner_text()
    submit(page, suggested.locator("form").first, "Confirm")
    flash(page, "Indicator updated.")
    confirmed = indicators.locator("tr", has=page.locator("td.value", has_text=value))
    confirmed.locator("form").wait_for()
    submit(page, confirmed.locator("form"), "Remove")
    flash(page, "Indicator updated.")
    indicators.locator("details summary", has_text="removed indicator").wait_for()
    manual = indicators.locator("form[action$='/indicators/add/']")
    manual.locator("input[name=text]").fill("+420 777 123 456")
    submit(page, manual, "Add indicator")
    flash(page, "Indicator added.")
    indicators.locator("td.value", has_text="777").first.wait_for()

    transcript = page.locator("form[action$='/transcript/append/']")
    submit(page, transcript, re.compile("Add messages written"))
    flash(page, "New messages added to the transcript.")

    status = page.locator("section[aria-labelledby=h-status]")
    submit(page, status.locator("form", has_text="Closed"), re.compile("Closed"))
    flash(page, "Status changed.")
    page.locator(".case-head .status", has_text="Closed").wait_for()
    reopen = page.locator("section[aria-labelledby=h-status] form", has_text="Open")
    reopen.locator("input[name=reason]").fill("The citizen sent new evidence.")
    submit(page, reopen, re.compile("Open"))
    flash(page, "Status changed.")
    page.locator(".case-head .status", has_text="Open").wait_for()

    refer = page.locator("form[action$='/refer/']")
    refer.locator("select[name=unit]").select_option("OVA")
    refer.locator("select[name=reason]").select_option("language")
    refer.locator("textarea[name=summary]").fill("Citizen prefers Czech; suspect in Ostrava.")
    submit(page, refer, "Refer")
    flash(page, "Referral sent.")
    referral = page.locator("section[aria-labelledby=h-referral] tbody tr", has_text="KAT → OVA")
    assert "Pending" in referral.inner_text()

    page.goto(detail + "print/")
    page.locator("h1", has_text="Case report").wait_for()


def test_officer_submits_every_form_of_the_case_pages(staff_page, base_url, staff_data):
    page = staff_page
    login(page, base_url, staff_data["officer"])
    open_console(page, base_url)
    visit_lists(page, base_url)
    work_the_case(page, base_url, staff_data["case_id"])
    page.goto(base_url + "/console/cases/inbox/")
    page.locator("tr", has_text=staff_data["case_reference"]).first.wait_for()
    log_out(page, base_url)


def test_receiving_unit_accepts_and_declines_referrals_in_its_inbox(
    staff_page, base_url, staff_data
):
    page = staff_page
    login(page, base_url, staff_data["receiver"])
    open_console(page, base_url)
    visit_lists(page, base_url)

    seeded = page.locator("article.referral", has_text=staff_data["referred_reference"])
    seeded.locator("input[name=reason]").fill("Not our area: the victim lives in Katowice.")
    submit(page, seeded, "Decline")
    flash(page, "Referral declined.")
    history = page.locator("section[aria-labelledby=h-history]")
    declined = history.locator("tr", has_text=staff_data["referred_reference"])
    declined.wait_for()
    assert "Declined" in declined.inner_text()

    # The referral the officer sent from the case page in the test before.
    sent = page.locator("article.referral", has_text=staff_data["case_reference"])
    submit(page, sent, re.compile("Accept"))
    flash(page, "Referral accepted: your unit owns it now.")
    page.locator("h1", has_text=staff_data["case_reference"]).wait_for()
    assert "OVA" in page.inner_text(".case-head")
    add_note(page, "Převzato OVA.")
    log_out(page, base_url)


def test_supervisor_reaches_every_page_and_submits_its_forms(staff_page, base_url, staff_data):
    page = staff_page
    login(page, base_url, staff_data["supervisor"])
    open_console(page, base_url)
    visit_lists(page, base_url)
    page.goto(f"{base_url}/console/cases/{staff_data['referred_case_id']}/")
    justify_access(page)
    add_note(page, "Supervisor: keep in KAT after the decline.")
    page.goto(f"{base_url}/console/cases/{staff_data['referred_case_id']}/print/")
    page.locator("h1", has_text="Case report").wait_for()

    page.goto(base_url + "/supervisor/")
    page.wait_for_selector("#connection[data-state=open]")
    period = page.locator("form.period-form")
    submit(page, period, "Show")
    page.get_by_role("heading", name="Supervisor dashboard").wait_for()
    log_out(page, base_url)


def test_admin_reaches_every_page_and_enrols_a_second_factor(staff_page, base_url, staff_data):
    page = staff_page
    login(page, base_url, staff_data["admin"])
    open_console(page, base_url)
    visit_lists(page, base_url)
    page.goto(f"{base_url}/console/cases/{staff_data['referred_case_id']}/")
    justify_access(page)
    add_note(page, "Admin looked at the case.")
    page.goto(base_url + "/supervisor/")
    page.wait_for_selector("#connection[data-state=open]")
    page.goto(base_url + "/admin/")
    page.locator("#site-name").wait_for()

    page.goto(base_url + "/console/two-factor/")
    secret = page.locator("main code").inner_text().strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("input[name=token]", f"{totp(key):06d}")
    submit(page, page.locator("main form"), "Confirm")
    assert page.url.endswith("/console/")
    log_out(page, base_url)
