"""Confirming indicators and seeing the other cases (any unit) that share them."""

from __future__ import annotations

import pytest

from advice.models import SenderKind
from advice.services.messages import message_post
from cases.selectors import indicator_matches
from cases.services.indicators import (
    indicator_decide,
    indicators_add_manual,
    indicators_refresh,
)
from core.errors import DomainError
from tests.cases.conftest import client_for

pytestmark = pytest.mark.django_db

SCAM_ACCOUNT = "PL61 1090 1014 0000 0712 1981 2874"


def confirm_all(case, user, party="suspect"):
    for indicator in case.indicators.all():
        indicator_decide(
            case_id=case.pk, user=user, indicator_id=indicator.pk, status="confirmed", party=party
        )


def test_a_confirmed_indicator_links_cases_across_units(make_case, officer, foreign_officer):
    polish = make_case([f"Przelałam pieniądze na {SCAM_ACCOUNT}"])
    czech = make_case(
        ["Poslala jsem peníze na PL61109010140000071219812874, volal +420 731 123 456"],
        by=foreign_officer,
        language="cs",
    )
    confirm_all(polish, officer)
    # Not linked while the Czech officer has not confirmed it yet.
    assert indicator_matches(polish, officer) == {}
    confirm_all(czech, foreign_officer)

    matches = indicator_matches(polish, officer)
    [(indicator_id, [match])] = matches.items()
    assert polish.indicators.get(pk=indicator_id).kind == "iban"
    assert (match.reference, match.unit_code, match.can_open) == (czech.reference, "OVA", False)

    page = client_for(officer).get(f"/console/cases/{polish.pk}/").content.decode()
    assert czech.reference in page
    assert f'href="/console/cases/{czech.pk}/"' not in page  # may not open it
    assert "Poslala jsem" not in page  # never the other victim's words
    # The Czech officer sees the Polish case the same way.
    page = client_for(foreign_officer).get(f"/console/cases/{czech.pk}/").content.decode()
    assert polish.reference in page


def test_a_match_the_viewer_may_open_is_a_link(make_case, officer):
    first = make_case(["Dzwonili z 601 234 567"])
    second = make_case(["Mnie też dzwonili z +48 601 234 567"])
    confirm_all(first, officer)
    confirm_all(second, officer)
    page = client_for(officer).get(f"/console/cases/{first.pk}/").content.decode()
    assert f'href="/console/cases/{second.pk}/"' in page


def test_removed_and_suggested_indicators_do_not_match(make_case, officer):
    first = make_case(["Dzwonili z 601 234 567"])
    second = make_case(["Dzwonili z 601 234 567"])
    confirm_all(first, officer)
    [indicator] = second.indicators.all()
    indicator_decide(case_id=second.pk, user=officer, indicator_id=indicator.pk, status="removed")
    assert indicator_matches(first, officer) == {}


def test_a_removed_indicator_is_not_suggested_again(make_case, officer):
    case = make_case(["Dzwonili z 601 234 567"])
    [indicator] = case.indicators.all()
    indicator_decide(case_id=case.pk, user=officer, indicator_id=indicator.pk, status="removed")
    message_post(
        conversation_id=case.conversation_links.get().conversation_id,
        sender=SenderKind.CITIZEN,
        client_id="more",
        text="I jeszcze z 601 234 567 oraz z oszust@example.com",
    )
    assert indicators_refresh(case_id=case.pk, user=officer) == 1
    states = dict(case.indicators.values_list("kind", "status"))
    assert states == {"phone": "removed", "email": "suggested"}


def test_officers_add_indicators_by_hand_only_when_valid(make_case, officer):
    case = make_case(["Nic konkretnego"])
    added = indicators_add_manual(
        case_id=case.pk,
        user=officer,
        text="bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        party="suspect",
    )
    assert [(i.kind, i.status, i.manual) for i in added] == [("crypto", "confirmed", True)]
    with pytest.raises(DomainError) as refused:
        indicators_add_manual(case_id=case.pk, user=officer, text="PL00 1234", party="suspect")
    assert refused.value.code.value == "no_indicator"


def test_indicator_decisions_through_the_page(make_case, officer):
    case = make_case(["Pisał z oszust@example.com"])
    [indicator] = case.indicators.all()
    client = client_for(officer)
    client.post(
        f"/console/cases/{case.pk}/indicators/{indicator.pk}/",
        {"status": "confirmed", "party": "victim"},
    )
    indicator.refresh_from_db()
    assert (indicator.status, indicator.party, indicator.decided_by_id) == (
        "confirmed",
        "victim",
        officer.pk,
    )
    client.post(f"/console/cases/{case.pk}/indicators/{indicator.pk}/", {"status": "removed"})
    indicator.refresh_from_db()
    assert indicator.status == "removed"


def test_a_very_long_url_is_stored_and_matched(make_case, officer):
    url = "https://phish.example.com/login?" + "&".join(f"p{i}=value{i}" for i in range(60))
    first = make_case([f"link: {url}"])
    second = make_case([f"ten sam link {url}"])
    confirm_all(first, officer)
    confirm_all(second, officer)
    kinds = {first.indicators.get(pk=i).kind for i in indicator_matches(first, officer)}
    assert kinds == {"url", "domain"}
