"""In Chromium: a supervisor puts a case on legal hold and moves its review date from the
case page; the page shows both, and the assigned officer sees them read only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import login
from tests.browser.test_staff_forms import (
    flash,
    justify_access,
    log_out,
    staff_data,
    staff_page,
    submit,
)

pytestmark = pytest.mark.browser
__all__ = ["staff_data", "staff_page"]  # fixtures shared with the staff forms' test


def test_a_supervisor_holds_a_case_and_moves_its_review_date(
    staff_page: Any, base_url: str, staff_data: dict[str, Any], tmp_path: Path
) -> None:
    page = staff_page
    detail = f"{base_url}/console/cases/{staff_data['case_id']}/"
    login(page, base_url, staff_data["supervisor"])
    page.goto(detail)
    justify_access(page)
    retention = page.locator("section.retention")
    assert "None: the case is erased at its review date." in retention.inner_text()

    hold = retention.locator("form.legal-hold-form")
    hold.get_by_label("Reason").fill("Prosecutor's preservation order PR 1 Ds 12/26")
    submit(page, hold, "Put on legal hold")
    flash(page, "The case is on legal hold.")
    held = page.locator("section.retention dd.legal-hold").inner_text()
    assert "On legal hold since" in held
    assert "Prosecutor's preservation order PR 1 Ds 12/26" in held

    later = (datetime.now(UTC).date() + timedelta(days=3 * 365)).isoformat()
    review = page.locator("section.retention form.review-date-form")
    review.get_by_label("Review date").fill(later)
    review.get_by_label("Reason").fill("Trial expected in three years")
    submit(page, review, "Change the review date")
    flash(page, "Review date changed.")
    assert page.locator("section.retention dd.review-date").inner_text() == later
    page.screenshot(path=tmp_path / "supervisor.png", full_page=True)
    log_out(page, base_url)

    login(page, base_url, staff_data["officer"])
    page.goto(detail)
    retention = page.locator("section.retention")
    shown = retention.inner_text()
    assert "Prosecutor's preservation order PR 1 Ds 12/26" in shown
    assert later in shown
    assert "Only a supervisor of the case's unit can change these." in shown
    assert retention.locator("form").count() == 0
    page.screenshot(path=tmp_path / "officer.png", full_page=True)
    log_out(page, base_url)
