"""The time zone a unit's staff read times in: the unit's own, else its country's.

Staff pages, prints, exports and the console show every time in it (``poradnia.middleware``
activates it per request; the browser formats with ``Intl.DateTimeFormat`` and the zone
passed in ``<html data-time-zone>``).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The zone of each country the service runs in (ISO 3166-1 alpha-2).
COUNTRY_ZONES = {
    "PL": "Europe/Warsaw",
    "CZ": "Europe/Prague",
    "SK": "Europe/Bratislava",
    "DE": "Europe/Berlin",
    "AT": "Europe/Vienna",
    "LT": "Europe/Vilnius",
    "LV": "Europe/Riga",
    "EE": "Europe/Tallinn",
    "NO": "Europe/Oslo",
    "UA": "Europe/Kyiv",
}
FALLBACK_ZONE = "UTC"


def country_zone(country: str) -> str:
    """The zone of ``country``, or UTC for a country not in ``COUNTRY_ZONES``."""
    return COUNTRY_ZONES.get(country.upper(), FALLBACK_ZONE)


def zone_name(*, timezone: str, country: str) -> str:
    """A unit's zone: ``timezone`` when set and known, else its country's."""
    if timezone:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return country_zone(country)
        return timezone
    return country_zone(country)


def validate_zone(value: str) -> None:
    """Model field validator: empty (the country's zone) or an IANA zone name."""
    if value and value not in available_timezones():
        raise ValidationError(_("Unknown time zone: %(zone)s"), params={"zone": value})
