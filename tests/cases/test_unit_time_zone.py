"""Staff read times in their unit's time zone: pages, prints, the console's scripts, CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AbstractUser
from django.urls import reverse

from advice.models import Unit
from cases.models import Case
from tests.cases.conftest import client_for

pytestmark = pytest.mark.django_db

# 10:00 UTC on a summer day: 12:00 in Oslo and Prague (CEST), 13:00 in Vilnius.
INSTANT = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def norwegian_unit() -> Unit:
    return Unit.objects.create(code="OSL", name="Oslo politidistrikt", country="NO")


def officer_of(make_officer: Callable[..., AbstractUser], unit: Unit, name: str) -> AbstractUser:
    return make_officer(name, in_unit=unit, languages=["nb", "en"])


@pytest.mark.parametrize(("country", "zone"), [("NO", "Europe/Oslo"), ("CZ", "Europe/Prague")])
def test_a_unit_without_a_zone_reads_its_countrys(country: str, zone: str) -> None:
    unit = Unit.objects.create(code=f"X{country}", name="Unit", country=country)
    assert unit.zone_name == zone


@pytest.mark.parametrize(
    ("code", "country", "page"),
    [
        ("OSL", "NO", "cases:detail"),
        ("OVA", "CZ", "cases:detail"),
        ("OSL", "NO", "cases:print"),
        ("OVA", "CZ", "cases:list"),
    ],
)
def test_a_case_page_shows_the_local_time_of_a_known_instant(
    make_officer, make_case: Callable[..., Case], code: str, country: str, page: str
) -> None:
    unit = Unit.objects.create(code=code, name=code, country=country)
    officer = officer_of(make_officer, unit, "local")
    case = make_case(["Noen har tatt over kontoen min."], by=officer, language="nb")
    Case.objects.filter(pk=case.pk).update(created_at=INSTANT)
    args = [] if page == "cases:list" else [case.pk]
    html = client_for(officer).get(reverse(page, args=args)).content.decode()
    assert "2026-07-01 12:00" in html
    assert "2026-07-01 10:00" not in html


def test_the_search_page_names_the_zone_of_its_times(make_officer, make_case) -> None:
    unit = Unit.objects.create(code="VLN", name="Vilnius", country="LT")
    officer = officer_of(make_officer, unit, "ona")
    case = make_case(["Sukčiai paėmė pinigus."], by=officer, language="lt")
    Case.objects.filter(pk=case.pk).update(created_at=INSTANT)
    html = client_for(officer).get(reverse("cases:search"), {"q": case.reference}).content
    assert "(Europe/Vilnius)" in html.decode()
    assert "2026-07-01 13:00" in html.decode()


def test_the_console_passes_the_zone_to_its_scripts_the_citizen_page_does_not(
    make_officer, norwegian_unit: Unit, client
) -> None:
    officer = officer_of(make_officer, norwegian_unit, "ola")
    html = client_for(officer).get(reverse("frontend:console")).content.decode()
    assert 'data-time-zone="Europe/Oslo"' in html
    assert "data-time-zone" not in client.get(reverse("frontend:citizen")).content.decode()


def test_the_statistics_csv_says_the_zone_it_counts_in(make_officer, norwegian_unit: Unit) -> None:
    supervisor = make_officer("kari", in_unit=norwegian_unit, supervisor=True)
    response = client_for(supervisor).get(reverse("statistics:export"))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["time_zone"] == "Europe/Oslo"
