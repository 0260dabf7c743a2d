"""What every case view shares: staff-only access, the unit's time zone, error mapping."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from advice.models import Unit
from advice.selectors import is_staff_member
from cases.errors import CaseErrorCode
from core.errors import DomainError, ErrorCode

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponse]

_STATUS = {
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.NOT_ALLOWED: 403,
    ErrorCode.NOT_ASSIGNED: 403,
    ErrorCode.INVALID_TRANSITION: 409,
    ErrorCode.CONVERSATION_ENDED: 409,
    CaseErrorCode.ALREADY_ESCALATED: 409,
    CaseErrorCode.CASE_CLOSED: 409,
    CaseErrorCode.REFERRAL_PENDING: 409,
    CaseErrorCode.REFERRAL_NOT_PENDING: 409,
}


def staff_user(request: HttpRequest) -> AbstractBaseUser:
    """The logged-in staff member (the decorators below guarantee one)."""
    return cast(AbstractBaseUser, request.user)


def staff_page(view: View[P]) -> View[P]:
    """Officers and supervisors only: others are sent to log in or get 403. Never cached."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not is_staff_member(request.user):  # type: ignore[arg-type]
            raise PermissionDenied("Officers only.")
        return view(request, *args, **kwargs)

    return never_cache(login_required(wrapper))


def error_response(error: DomainError) -> JsonResponse:
    return JsonResponse(
        {"code": error.code.value, "message": error.message},
        status=_STATUS.get(error.code, 400),
    )


def staff_api(view: View[P]) -> View[P]:
    """JSON endpoint for staff: 401/403 as JSON, domain errors as 4xx JSON."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse({"code": "not_authenticated", "message": "Log in."}, status=401)
        if not is_staff_member(request.user):
            return JsonResponse({"code": "not_allowed", "message": "Officers only."}, status=403)
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            return error_response(error)

    return never_cache(wrapper)


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
    try:
        zone = ZoneInfo(unit.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    with timezone.override(zone):
        yield
