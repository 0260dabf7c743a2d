"""What every case view shares: request bodies and the unit's time zone (access and error
mapping come from ``advice.http``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils import timezone

from advice.http import error_response, staff_api, staff_page, staff_user
from advice.models import Unit

__all__ = [
    "error_response",
    "request_data",
    "staff_api",
    "staff_page",
    "staff_user",
    "unit_time",
]
from core.errors import DomainError, ErrorCode


def request_data(request: HttpRequest) -> dict[str, Any]:
    """The POST body as a dict, from a JSON body or a form."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise DomainError(ErrorCode.INVALID_JSON, "The body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise DomainError(ErrorCode.INVALID_JSON, "The body must be a JSON object.")
        return data
    return {key: request.POST.get(key) for key in request.POST}


@contextmanager
def unit_time(unit: Unit) -> Iterator[None]:
    """Show and read datetimes in the unit's local time zone."""
    with timezone.override(ZoneInfo(unit.zone_name)):
        yield
