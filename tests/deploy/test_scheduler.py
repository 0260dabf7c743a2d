"""The scheduler container: when the daily jobs run and what it runs."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest

from deploy import scheduler


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "due"),
    [
        ("2026-03-01T01:00:00", "2026-03-01T02:30:00"),
        ("2026-03-01T02:30:00", "2026-03-02T02:30:00"),
        ("2026-03-01T23:59:59", "2026-03-02T02:30:00"),
        ("2026-12-31T03:00:00", "2027-01-01T02:30:00"),
    ],
)
def test_the_jobs_run_at_the_next_occurrence_of_their_time(now, due):
    assert scheduler.next_run(at(now), "02:30") == at(due)


@pytest.mark.parametrize("malformed", ["2.30", "25:00", "02:61", ""])
def test_a_malformed_time_is_refused(malformed):
    with pytest.raises(ValueError):
        scheduler.next_run(at("2026-03-01T00:00:00"), malformed)


def test_each_job_runs_as_a_management_command_and_a_failure_does_not_stop_the_next(
    monkeypatch, caplog
):
    ran = []

    def run(args, check):
        ran.append(args)
        return subprocess.CompletedProcess(args, returncode=1 if len(ran) == 1 else 0)

    monkeypatch.setattr(scheduler.subprocess, "run", run)
    with caplog.at_level("INFO", logger="scheduler"):
        scheduler.run_jobs()
    assert ran == [
        [sys.executable, "manage.py", "apply_retention"],
        [sys.executable, "manage.py", "rollup_statistics"],
    ]
    assert "apply_retention failed with exit status 1" in caplog.text
    assert "rollup_statistics done" in caplog.text
