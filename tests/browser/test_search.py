"""An officer searches their unit's cases in Chromium: by reference, by IBAN and by a word,
and finds their unit's case, never the other unit's with the same account and word."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login, save_screenshot, seed

pytestmark = pytest.mark.browser

IBAN = "PL61109010140000071219812874"


@pytest.fixture(scope="module")
def search_data(base_url: str, server_env: dict[str, str]) -> dict[str, Any]:
    return seed("search_data", server_env)


def search(page: Any, query: str) -> None:
    page.fill("input[name=q]", query)
    with page.expect_navigation():
        page.get_by_role("button", name="Szukaj").click()


def hit_ids(page: Any, kind: str) -> set[str]:
    rows = page.locator(f"tr.search-hit[data-kind={kind}]")
    return {rows.nth(i).get_attribute("data-id") or "" for i in range(rows.count())}


def test_an_officer_finds_their_units_case_by_reference_iban_and_word(
    new_page: Any, base_url: str, search_data: dict[str, Any]
) -> None:
    page = new_page(viewport={"width": 1366, "height": 900}, locale="pl-PL")
    login(page, base_url, search_data["officer"])
    page.goto(base_url + "/console/")
    page.click("#search-link")
    page.wait_for_selector("input[name=q]")
    ours = str(search_data["case_id"])
    theirs = str(search_data["foreign_case_id"])

    search(page, search_data["case_reference"])
    assert hit_ids(page, "case") == {ours}
    assert page.locator("#search-kind").inner_text() == "Wyszukano po numerze sprawy."

    search(page, search_data["foreign_reference"])
    assert hit_ids(page, "case") == set()
    page.locator("#search-none").wait_for()

    search(page, IBAN)
    assert ours in hit_ids(page, "case")
    assert theirs not in hit_ids(page, "case")
    row = page.locator(f"tr.search-hit[data-kind=case][data-id='{ours}']")
    assert row.locator("mark").inner_text() == "PL61 1090 1014 0000 0712 1981 2874"
    save_screenshot(page, "search")

    search(page, "olx")
    assert ours in hit_ids(page, "case")
    assert theirs not in hit_ids(page, "case")
    assert search_data["foreign_reference"] not in page.locator("table.search-results").inner_text()

    # The reference opens the case (the officer's own: no justification asked).
    with page.expect_navigation():
        page.locator(f"tr.search-hit[data-id='{ours}'] a").click()
    assert page.url.endswith(f"/console/cases/{ours}/")
    page.get_by_role("heading", name=search_data["case_reference"]).wait_for()
