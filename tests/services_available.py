"""Exit 0 if PostgreSQL and Redis answer; 1 if not (and REQUIRE_SERVICES is unset); 2 to fail.

Used by ``make test`` to decide whether to run the suite a second time on real services.
"""

from __future__ import annotations

import os
import socket
import sys


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def main() -> int:
    missing = [
        name
        for name, port in (("PostgreSQL", 5432), ("Redis", 6379))
        if not reachable("127.0.0.1", port)
    ]
    if not missing:
        return 0
    if os.environ.get("REQUIRE_SERVICES"):
        sys.stderr.write(f"REQUIRE_SERVICES is set but {', '.join(missing)} not reachable.\n")
        return 2
    sys.stderr.write(f"Skipping the PostgreSQL + Redis pass: {', '.join(missing)} not running.\n")
    return 1


if __name__ == "__main__":
    sys.exit(main())
