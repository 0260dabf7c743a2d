"""Filters of the historical statistics and what each role may see."""

from __future__ import annotations

import pytest

from core.errors import DomainError, ErrorCode
from stats.access import stats_scope_for
from stats.metrics import stats_compute
from stats.params import stats_query_parse

pytestmark = pytest.mark.django_db

RANGE = {"from": "2025-03-01", "to": "2025-03-05"}


@pytest.fixture
def mixed(make_conversation, unit, other_unit, officer):
    make_conversation(unit=unit, officer=officer, language="pl", category="phishing", join=10)
    make_conversation(
        unit=unit, officer=officer, language="en", category="sextortion", join=20, urgency="P1"
    )
    make_conversation(status="abandoned", language="uk", category="phishing", close=30)
    make_conversation(unit=other_unit, language="cs", category="phishing", join=40)


def started(user, **params):
    scope = stats_scope_for(user)
    result = stats_compute(stats_query_parse({**RANGE, **params}, scope), scope)
    return result["totals"]["started"]


def test_supervisor_sees_own_unit_and_shared_queue_only(mixed, supervisor):
    assert started(supervisor) == 3


def test_admin_sees_every_unit(mixed, admin_user):
    assert started(admin_user) == 4
    assert started(admin_user, unit="OVA") == 1


def test_filters_by_language_category_urgency_and_shared_queue(mixed, supervisor):
    assert started(supervisor, language="pl") == 1
    assert started(supervisor, language="pl,uk") == 2
    assert started(supervisor, category="phishing") == 2
    assert started(supervisor, urgency="P1") == 1
    assert started(supervisor, unit="shared") == 1
    assert started(supervisor, unit="KAT") == 2
    assert started(supervisor, unit="KAT,shared", category="phishing") == 2


def test_supervisor_asking_for_another_unit_is_refused(mixed, supervisor):
    scope = stats_scope_for(supervisor)
    with pytest.raises(DomainError) as raised:
        stats_query_parse({**RANGE, "unit": "OVA"}, scope)
    assert raised.value.code == ErrorCode.NOT_ALLOWED


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2025-13-01"},
        {"from": "2025-03-06", "to": "2025-03-01"},
        {"from": "2020-01-01", "to": "2025-01-01"},
        {"tz": "Mars/Olympus"},
        {"granularity": "year"},
        {"breakdowns": "everything"},
        {"urgency": "P9"},
        {"unit": "NOPE"},
    ],
)
def test_malformed_parameters_are_rejected(supervisor, params):
    with pytest.raises(DomainError) as raised:
        stats_query_parse(params, stats_scope_for(supervisor))
    assert raised.value.code == ErrorCode.INVALID_FIELD


def test_officers_and_anonymous_users_have_no_scope(officer):
    from django.contrib.auth.models import AnonymousUser

    assert stats_scope_for(officer) is None
    assert stats_scope_for(AnonymousUser()) is None
