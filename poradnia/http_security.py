"""Cross-cutting HTTP protections: no caching of staff pages, and CSP violation counts.

* :class:`NoStoreMiddleware` marks every response under the staff prefixes (console, cases,
  supervisor, admin) as never to be stored by a browser or proxy cache: a shared computer's
  back button or disk cache must not give a transcript to the next person.
* :func:`csp_report` is the policy's ``report-uri``. A browser reports each blocked load
  there; only one counter per violated directive and UTC day is kept (in the cache, for
  ``CSP_COUNT_DAYS``), never the page, the blocked address or anything else in the report.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

NO_STORE_PREFIXES = ("/console/", "/supervisor/", "/admin/")
CSP_REPORT_MAX_BYTES = 16 * 1024
CSP_COUNT_DAYS = 14
# The directives of our policy (a report naming anything else is counted as "other").
CSP_DIRECTIVES = frozenset(
    {
        "default-src",
        "script-src",
        "script-src-elem",
        "script-src-attr",
        "style-src",
        "style-src-elem",
        "style-src-attr",
        "img-src",
        "connect-src",
        "font-src",
        "object-src",
        "base-uri",
        "frame-ancestors",
        "form-action",
        "frame-src",
        "media-src",
        "worker-src",
        "manifest-src",
    }
)


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(NO_STORE_PREFIXES):
            add_never_cache_headers(response)
        return response


def _directive(report: Any) -> str:
    """The violated directive of one report (``report-uri`` or Reporting API format)."""
    body: Any = {}
    if isinstance(report, dict):
        body = report.get("csp-report") or report.get("body") or {}
    if not isinstance(body, dict):
        return "other"
    name = body.get("effective-directive") or body.get("effectiveDirective")
    name = name or body.get("violated-directive") or ""
    name = str(name).split(" ", 1)[0].strip().lower()
    return name if name in CSP_DIRECTIVES else "other"


def _counter_key(directive: str, day: str) -> str:
    return f"csp-violations:{day}:{directive}"


def csp_violation_count(directive: str, *, day: str | None = None) -> int:
    """How many violations of ``directive`` were reported on ``day`` (ISO date, UTC)."""
    day = day or timezone.now().date().isoformat()
    return int(cache.get(_counter_key(directive, day), 0))


@csrf_exempt  # browsers send reports without a token; nothing but a counter changes
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    if len(request.body) > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return HttpResponse(status=400)
    reports = payload if isinstance(payload, list) else [payload]
    day = timezone.now().date().isoformat()
    for report in reports[:20]:
        key = _counter_key(_directive(report), day)
        cache.add(key, 0, timeout=CSP_COUNT_DAYS * 86400)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=CSP_COUNT_DAYS * 86400)
    return HttpResponse(status=204)
