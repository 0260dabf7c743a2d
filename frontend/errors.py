"""The page a refused form leads to (``CSRF_FAILURE_VIEW``); Django's own handlers render the
other error pages from ``400.html``, ``403.html``, ``404.html`` and ``500.html``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A translated "reload and try again" instead of Django's technical explanation; the
    reason is for the log (Django logs it as ``django.security.csrf``), not for the person."""
    return render(request, "403.html", {"csrf_failed": True}, status=403)
