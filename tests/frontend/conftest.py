"""Fixtures of the page tests: compiled catalogues and logged-in clients."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues() -> None:
    call_command("compile_catalogues")


@pytest.fixture
def client_for(make_officer) -> Callable[..., Client]:
    """A test client logged in as a new staff user (``supervisor=True`` for a supervisor)."""

    def make(username: str = "anna", **options: object) -> Client:
        user = make_officer(username, **options)
        client = Client()
        client.force_login(user)
        return client

    return make
