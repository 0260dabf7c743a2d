"""Staff read every time in their unit's time zone: activated per request for staff.

For a request with a session of a staff member (an officer profile), the unit's zone
(``Unit.zone_name``) is active while the view runs, so templates, prints and exports show
local times; ``request.staff_time_zone`` names it and ``<html data-time-zone>`` passes it to
the browser, which formats the times it shows with ``Intl.DateTimeFormat`` in that zone.
Citizens' pages (no session cookie) are not touched: their browser shows its own local time.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from advice.models import Unit
from advice.unit_zones import zone_name


def staff_zone(request: HttpRequest) -> str | None:
    """The zone of the logged-in staff member's unit, or None for anyone else."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    row = Unit.objects.filter(officers__user_id=user.pk).values_list("timezone", "country").first()
    if row is None:
        return None
    return zone_name(timezone=row[0], country=row[1])


class StaffTimeZoneMiddleware:
    """Place after ``AuthenticationMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = staff_zone(request)
        if zone is None:
            return self.get_response(request)
        request.staff_time_zone = zone  # type: ignore[attr-defined]
        with timezone.override(ZoneInfo(zone)):
            return self.get_response(request)
