"""One ``Referrer-Policy`` per kind of page, set on every response (templates set none).

Staff pages (console, cases, supervisor dashboard, admin) send ``same-origin``: under
``no-referrer`` Chromium posts forms with ``Origin: null`` and Django's CSRF check refuses
every one of them. Everything else — the citizen page, the quick-exit page, self-help, error
pages for other paths — sends ``no-referrer``, so a link a citizen follows tells the next site
nothing about where they came from.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

STAFF_POLICY = "same-origin"
CITIZEN_POLICY = "no-referrer"


@cache
def staff_prefixes() -> tuple[str, ...]:
    """URL prefixes under which every page is a staff page (cases live under the console,
    statistics under the supervisor dashboard)."""
    return (
        reverse("frontend:console"),
        reverse("frontend:supervisor"),
        reverse("admin:index"),
    )


def referrer_policy(path: str) -> str:
    return STAFF_POLICY if path.startswith(staff_prefixes()) else CITIZEN_POLICY


class ReferrerPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers["Referrer-Policy"] = referrer_policy(request.path)
        return response
