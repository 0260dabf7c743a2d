"""Views of the browser pages: each renders a template; the pages talk over websockets."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from advice.selectors import is_staff_member, is_supervisor, officer_profile


def citizen_page(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/citizen.html")


@login_required
def console_page(request: HttpRequest) -> HttpResponse:
    if not is_staff_member(request.user):  # type: ignore[arg-type]
        raise PermissionDenied("Officers only.")
    profile = officer_profile(user=request.user)  # type: ignore[arg-type]
    return render(request, "frontend/console.html", {"profile": profile})


@login_required
def supervisor_page(request: HttpRequest) -> HttpResponse:
    if not is_supervisor(request.user):  # type: ignore[arg-type]
        raise PermissionDenied("Supervisors only.")
    return render(request, "frontend/supervisor.html")
