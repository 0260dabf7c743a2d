"""No staff page shows a raw code or an English catalogue string to a reader of another
language.

Officer, supervisor and admin open every staff page in Polish, Czech and Ukrainian with real
data present (a live conversation with messages and triage, a closed one with an outcome, a
case with indicators, a loss and a note, referrals both ways, statistics history). A page
fails on

- a vocabulary code shown as a word: a category (``sextortion``), outcome, status, referral
  reason, indicator kind, status or party, payment method, sender, message kind, access
  reason or language code (``uk``) as a text node or a part of one between separators
  (``sextortion · P1``). ``P1``–``P4`` alone are accepted: the priority scale is written so
  in every language the service runs in, and the full label (``P1 critical``) is translated;
- an English message of the catalogue shown verbatim (a text node, a label read by screen
  readers, or a string given to the page's scripts) where the reader's catalogue translates
  it differently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advice.access_reasons import AccessReason
from advice.models import Unit
from advice.services.conversations import conversation_close
from advice.services.notes import note_add
from cases.models import (
    IndicatorParty,
    IndicatorStatus,
    PaymentMethod,
    ReferralReason,
)
from cases.services.cases import LossInput, case_loss_add, case_note_add
from cases.services.escalation import case_escalate
from cases.services.indicators import indicator_decide
from cases.services.referrals import referral_case_create
from core.vocabulary import Outcome
from stats.demo.history import HistoryPlan, history_generate
from tests.cases.conftest import chat
from tests.frontend.page_text import read_page, untranslated

pytestmark = pytest.mark.django_db

LANGUAGES = ("pl", "cs", "uk")
IBAN = "PL61 1090 1014 0000 0712 1981 2874"


def problems(html: str, language: str) -> list[str]:
    # Canned replies come in every language: an officer answers in the citizen's.
    texts, script_strings = read_page(html, skip_keys=frozenset({"canned"}))
    return untranslated(texts, language, script_strings=script_strings)


@pytest.fixture
def world(
    make_officer: Callable[..., AbstractUser], unit: Unit, other_unit: Unit
) -> dict[str, Any]:
    """Staff of KAT (officer, supervisor, admin) and OVA, and data on every staff page."""
    officer = make_officer("anna", max_chats=10)
    supervisor = make_officer("marek", supervisor=True)
    admin = make_officer("root", supervisor=True)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    foreign = make_officer("petr", languages=["cs", "pl"], in_unit=other_unit)
    live = chat(
        officer,
        ["Хтось погрожує опублікувати мої інтимні фото, вимагає 500 євро", "Що мені робити?"],
        language="uk",
    )
    note_add(conversation_id=live.pk, officer=officer, client_id="n1", text="Sprawdzić konto.")
    closed = chat(officer, ["Pytanie o zabezpieczenie konta."])
    conversation_close(
        conversation_id=closed.pk, by="officer", officer=officer, outcome=Outcome.ADVICE_GIVEN
    )
    escalated = chat(officer, [f"Przelałem 2000 zł na konto {IBAN}, dzwonili z +48 600 123 456."])
    case = case_escalate(conversation_id=escalated.pk, officer=officer)
    first = case.indicators.order_by("pk").first()
    assert first is not None
    indicator_decide(
        case_id=case.pk,
        user=officer,
        indicator_id=first.pk,
        status=IndicatorStatus.CONFIRMED,
        party=IndicatorParty.SUSPECT,
    )
    case_loss_add(
        case_id=case.pk,
        user=officer,
        loss=LossInput(amount=Decimal("2000"), currency="PLN", method=PaymentMethod.BLIK),
    )
    case_note_add(case_id=case.pk, user=officer, text="Ofiara przesłała zrzuty ekranu.")
    referral_case_create(
        case_id=case.pk,
        user=officer,
        unit_code=other_unit.code,
        reason=ReferralReason.SUSPECT_LOCATION,
        summary="Konto podejrzanego w czeskim banku.",
    )
    incoming_chat = chat(foreign, ["Někdo mi ukradl účet na Facebooku."], language="cs")
    incoming = case_escalate(conversation_id=incoming_chat.pk, officer=foreign)
    referral_case_create(
        case_id=incoming.pk,
        user=foreign,
        unit_code=unit.code,
        reason=ReferralReason.LANGUAGE,
        summary="Oběť mluví polsky.",
    )
    history_generate(
        HistoryPlan(conversations=300, days=30, end=timezone.localdate(), officers_per_unit=2)
    )
    return {
        "roles": {"officer": officer, "supervisor": supervisor, "admin": admin},
        "case": case,
        "incoming": incoming,
        "live": live,
    }


def staff_urls(world: dict[str, Any], supervisor: bool) -> list[str]:
    case = world["case"]
    urls = [
        reverse("frontend:console"),
        reverse("cases:list"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:print", args=[case.pk]),
        reverse("cases:detail", args=[world["incoming"].pk]),
        reverse("cases:inbox"),
        reverse("cases:search") + "?q=konto",
        reverse("cases:search") + "?q=" + IBAN.replace(" ", ""),
        reverse("cases:search") + "?q=nic-takiego-nie-ma",
    ]
    if supervisor:
        urls += [reverse("frontend:supervisor"), reverse("frontend:watch", args=[world["live"].pk])]
    return urls


CHART_SRC = re.compile(r'src="(/supervisor/stats/chart\.svg\?[^"]+)"')


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_staff_page_shows_a_raw_code_or_an_untranslated_string(
    world: dict[str, Any], language: str
) -> None:
    failures: list[str] = []
    for role, user in world["roles"].items():
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(user)
        for case_id in (world["case"].pk, world["incoming"].pk):
            client.post(
                reverse("cases:detail", args=[case_id]),
                {"reason": AccessReason.SUPERVISION, "text": ""},
            )
        urls = staff_urls(world, supervisor=role != "officer")
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (role, url, response.status_code)
            html = response.content.decode()
            assert f'lang="{language}"' in html, (role, url)
            failures += [f"{role} {url}: {p}" for p in problems(html, language)]
            if url == reverse("frontend:supervisor"):
                for chart in sorted(set(CHART_SRC.findall(html))):
                    svg = client.get(chart.replace("&amp;", "&")).content.decode()
                    failures += [f"{role} chart {chart}: {p}" for p in problems(svg, language)]
    assert not failures, "\n".join(failures)
