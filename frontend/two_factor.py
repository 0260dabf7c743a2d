"""Staff login with a second factor, and enrolment of an authenticator app."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from advice.services import two_factor
from core.error_messages import error_message
from core.errors import DomainError
from frontend.login_limits import second_factor_failed


class StaffLoginForm(AuthenticationForm):
    """User name and password, plus the authenticator code for accounts that enrolled one."""

    otp_token = forms.CharField(
        label=_("Code from your authenticator app"), required=False, max_length=8
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        self.otp_device = None
        if user is not None and two_factor.has_second_factor(user):
            token = (cleaned.get("otp_token") or "").strip()
            device = two_factor.second_factor_check(user=user, token=token) if token else None
            if device is None:
                second_factor_failed(request=self.request, user=user)
                raise forms.ValidationError(
                    _("Enter the current code from your authenticator app."), code="otp_required"
                )
            self.otp_device = device
        return cleaned


class StaffLoginView(auth_views.LoginView):
    form_class = StaffLoginForm
    template_name = "frontend/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: StaffLoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        if form.otp_device is not None:
            django_otp.login(self.request, form.otp_device)
        return response


def is_verified(request: HttpRequest) -> bool:
    """Whether the session passed the second factor (always true where it is not required)."""
    if not settings.STAFF_TWO_FACTOR:
        return True
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


STAFF_PREFIXES = ("/console/", "/supervisor/", "/admin/")
OPEN_PATHS = ("/console/login/", "/console/logout/", "/console/two-factor/")


class SecondFactorMiddleware:
    """With ``STAFF_TWO_FACTOR``, a signed-in session without a second factor reaches no staff
    page (console, cases, supervisor, admin) until it has enrolled and confirmed one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if (
            settings.STAFF_TWO_FACTOR
            and request.user.is_authenticated
            and path.startswith(STAFF_PREFIXES)
            and not path.startswith(OPEN_PATHS)
            and not is_verified(request)
        ):
            return redirect("frontend:two_factor")
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(label=_("Code from your authenticator app"), max_length=8)


@never_cache
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Show the secret (QR code and text) of a new authenticator and confirm it with a code."""
    if two_factor.has_second_factor(request.user) and not is_verified(request):  # type: ignore[arg-type]
        # Enrolled already: the code is asked at login, not here.
        logout(request)
        return redirect("frontend:login")
    device = two_factor.totp_device_pending(user=request.user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = two_factor.totp_device_confirm(
                user=request.user,  # type: ignore[arg-type]
                token=form.cleaned_data["token"],
            )
        except DomainError as error:
            form.add_error("token", error_message(error.code))
        else:
            django_otp.login(request, confirmed)
            return redirect("frontend:console")
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request,
        "frontend/two_factor.html",
        {"form": form, "secret": secret, "required": settings.STAFF_TWO_FACTOR},
    )


@never_cache
@login_required
def enrol_qr(request: HttpRequest) -> HttpResponse:
    """The pending authenticator's ``otpauth://`` URL as an SVG QR code."""
    device = two_factor.totp_device_pending(user=request.user)  # type: ignore[arg-type]
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
