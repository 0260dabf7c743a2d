"""Node.js for the tests that run the browser's modules outside a browser."""

from __future__ import annotations

import os
import shutil

import pytest


def node_or_skip() -> str:
    """The ``node`` executable; without it the test skips, or fails where CI requires it."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail("node is required (REQUIRE_SERVICES is set) but not installed.")
        pytest.skip("node is not installed")
    return node
