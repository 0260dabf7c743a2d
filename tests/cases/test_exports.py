"""Exports: the JSON document, the printable report and the STIX 2.1 bundle for CERTs."""

from __future__ import annotations

import json

import pytest
import stix2

from cases.services.cases import LossInput, case_loss_add, case_note_add
from cases.services.indicators import indicator_decide
from tests.cases.conftest import client_for

pytestmark = pytest.mark.django_db

VICTIM_TEXT = (
    "Nazywam się Jan Kowalski, PESEL 44051401458. Oszust dzwonił z +48 512 345 678, "
    "kazał przelać na PL61 1090 1014 0000 0712 1981 2874 i wejść na "
    "https://bank-pko-weryfikacja.com/login. Zapłaciłem kartą 4111 1111 1111 1111."
)


@pytest.fixture
def case(make_case, officer):
    case = make_case([VICTIM_TEXT])
    for indicator in case.indicators.all():
        party = "victim" if indicator.kind in ("national_id", "card") else "suspect"
        indicator_decide(
            case_id=case.pk,
            user=officer,
            indicator_id=indicator.pk,
            status="confirmed",
            party=party,
        )
    case_loss_add(case_id=case.pk, user=officer, loss=LossInput(amount="4999.99", currency="PLN"))
    case_note_add(case_id=case.pk, user=officer, text="Wewnętrzna uwaga: oddzwonić")
    return case


def test_json_export_follows_the_documented_schema(case, officer):
    response = client_for(officer).get(f"/console/cases/{case.pk}/export.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{case.reference}.json"'
    assert "no-store" in response["Cache-Control"]
    document = json.loads(response.content)
    assert document["schema"] == "poradnia.case/1"
    assert set(document) == {
        "schema",
        "exported_at",
        "case",
        "conversations",
        "financial_losses",
        "loss_totals",
        "evidence_checklist",
        "indicators",
        "notes",
        "referrals",
        "transcript",
    }
    assert document["case"]["reference"] == case.reference
    assert document["case"]["unit"] == {"code": "KAT", "name": "KWP Katowice", "country": "PL"}
    assert document["financial_losses"][0]["amount"] == "4999.99"
    assert document["loss_totals"] == {"PLN": "4999.99"}
    kinds = {i["kind"]: i for i in document["indicators"]}
    assert kinds["card"]["value"] == "411111******1111"
    assert "4111111111111111" not in response.content.decode()
    assert "4111 1111 1111 1111" not in response.content.decode()
    transcript = document["transcript"]
    assert transcript["verified"] is True
    assert transcript["head"] == transcript["entries"][-1]["hash"]
    assert transcript["entries"][0]["prev_hash"] == "0" * 64
    assert document["notes"][0]["text"] == "Wewnętrzna uwaga: oddzwonić"


def test_stix_bundle_parses_and_carries_no_victim_data(case, officer):
    response = client_for(officer).get(f"/console/cases/{case.pk}/stix.json")
    assert response.status_code == 200
    bundle = stix2.parse(response.content.decode(), allow_custom=True)
    indicators = [o for o in bundle.objects if o.type == "indicator"]
    patterns = sorted(i.pattern for i in indicators)
    assert patterns == [
        "[domain-name:value = 'bank-pko-weryfikacja.com']",
        "[url:value = 'https://bank-pko-weryfikacja.com/login']",
        "[x-bank-account:iban = 'PL61109010140000071219812874']",
        "[x-phone-number:value = '+48512345678']",
    ]
    assert all(i.object_marking_refs == [stix2.TLP_AMBER.id] for i in indicators)
    assert {i.external_references[0].external_id for i in indicators} == {case.reference}
    text = response.content.decode()
    for personal in ("44051401458", "411111", "Kowalski", "Nazywam", "oddzwonić"):
        assert personal not in text


def test_stix_ids_are_stable_between_exports(case, officer):
    client = client_for(officer)

    def ids():
        bundle = stix2.parse(client.get(f"/console/cases/{case.pk}/stix.json").content.decode())
        return sorted(o.id for o in bundle.objects if o.type == "indicator")

    assert ids() == ids()


def test_unconfirmed_or_unknown_party_indicators_are_not_sent_to_certs(make_case, officer):
    case = make_case(["Dzwonili z +48 512 345 678, strona https://oszustwo.example.com"])
    phone = case.indicators.get(kind="phone")
    indicator_decide(
        case_id=case.pk, user=officer, indicator_id=phone.pk, status="confirmed", party="unknown"
    )
    bundle = stix2.parse(
        client_for(officer).get(f"/console/cases/{case.pk}/stix.json").content.decode()
    )
    assert [o for o in bundle.objects if o.type == "indicator"] == []


def test_printable_report_uses_the_print_stylesheet_and_leaves_out_notes(case, officer):
    response = client_for(officer).get(f"/console/cases/{case.pk}/print/")
    page = response.content.decode()
    assert '<link rel="stylesheet" href="/static/cases/print.css">' in page
    assert "<script" not in page
    assert "<style" not in page
    assert " style=" not in page
    assert case.reference in page
    assert "hxxps://bank-pko-weryfikacja[.]com/login" in page
    assert "Hash chain (SHA-256) verified" in page
    assert case.transcript_head in page
    assert "oddzwonić" not in page  # internal notes stay internal
    assert "4111 1111 1111 1111" not in page
