"""HTTP for staff: who may open a page or call an endpoint, and how domain errors answer.

One place maps a ``DomainError`` to an HTTP response (status from ``core.errors``); views
of every app wrap themselves in these decorators instead of checking roles inline.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from advice.selectors import is_staff_member, is_supervisor
from core.error_messages import NOT_AUTHENTICATED, error_message
from core.errors import DomainError, ErrorCode, http_status

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponse]


def staff_user(request: HttpRequest) -> AbstractBaseUser:
    """The logged-in staff member (the decorators below guarantee one)."""
    return cast(AbstractBaseUser, request.user)


def error_response(error: DomainError) -> JsonResponse:
    """A domain refusal as ``{"code", "message", "detail"}`` JSON with the code's HTTP status:
    ``message`` in the reader's language (by code), ``detail`` the English explanation."""
    return JsonResponse(
        {"code": error.code.value, "message": error_message(error.code), "detail": error.message},
        status=http_status(error.code),
    )


def _role_page(
    allowed: Callable[[AbstractBaseUser], bool], refusal: str
) -> Callable[[View[P]], View[P]]:
    def decorator(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if not allowed(staff_user(request)):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return never_cache(login_required(wrapper))

    return decorator


def _role_api(
    allowed: Callable[[AbstractBaseUser], bool], refusal: str, *, login_redirect: bool
) -> Callable[[View[P]], View[P]]:
    def decorator(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                if login_redirect:
                    return redirect_to_login(request.get_full_path())
                return JsonResponse(
                    {"code": NOT_AUTHENTICATED, "message": error_message(NOT_AUTHENTICATED)},
                    status=401,
                )
            if not allowed(staff_user(request)):
                return error_response(DomainError(ErrorCode.NOT_ALLOWED, refusal))
            try:
                return view(request, *args, **kwargs)
            except DomainError as error:
                return error_response(error)

        return never_cache(wrapper)

    return decorator


# Pages: anonymous users go to the login page, others without the role get 403.
staff_page = _role_page(is_staff_member, "Officers only.")
supervisor_page = _role_page(is_supervisor, "Supervisors only.")
# JSON endpoints: 401 (or the login page), 403 and domain errors as JSON.
staff_api = _role_api(is_staff_member, "Officers only.", login_redirect=False)
