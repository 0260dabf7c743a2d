"""Run the daily jobs — retention, then the statistics roll-up — at a fixed UTC time, for ever.

The ``scheduler`` service of ``compose.yaml`` runs this in the application image (``python
deploy/scheduler.py`` from ``/app``): one process, no cron daemon, nothing fetched at run
time. The jobs also run once at start, so a night missed while the container was down is
caught up; both are safe to repeat. ``JOBS_AT_UTC`` (``HH:MM``, default ``02:30``) sets the
time: late enough that the previous day is over in every European time zone.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

JOBS = (["apply_retention"], ["rollup_statistics"])

logger = logging.getLogger("scheduler")


def next_run(now: datetime, at: str) -> datetime:
    """The first moment after ``now`` (aware, UTC) whose clock time is ``at`` (``HH:MM``)."""
    hour, minute = (int(part) for part in at.split(":"))
    due = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return due if due > now else due + timedelta(days=1)


def run_jobs() -> None:
    for job in JOBS:
        # A fixed argument list of our own management commands: no input reaches it.
        result = subprocess.run([sys.executable, "manage.py", *job], check=False)  # noqa: S603
        if result.returncode:
            logger.error("%s failed with exit status %s", job[0], result.returncode)
        else:
            logger.info("%s done", job[0])


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s scheduler %(message)s")
    at = os.environ.get("JOBS_AT_UTC", "02:30")
    next_run(datetime.now(UTC), at)  # refuse a malformed time at start, not at night
    run_jobs()
    while True:
        now = datetime.now(UTC)
        due = next_run(now, at)
        logger.info("next run at %s", due.isoformat(timespec="minutes"))
        time.sleep((due - now).total_seconds())
        run_jobs()


if __name__ == "__main__":
    main()
