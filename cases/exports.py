"""Building the case exports: the JSON document (schema in ``docs/cases.md``) and the STIX 2.1
bundle of confirmed indicators for CERTs. Pure builders: the services audit the access."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import stix2
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone, translation

from advice.models import OfficerProfile
from cases.checklist import item_label
from cases.models import (
    Case,
    Indicator,
    IndicatorKind,
    IndicatorParty,
    IndicatorStatus,
    Referral,
)
from cases.money import money_text
from cases.selectors import indicator_matches, loss_totals
from cases.services.transcript import GENESIS, transcript_verify

SCHEMA = "poradnia.case/1"
# Stable ids: re-exporting a case gives the same STIX ids, so a CERT can de-duplicate.
STIX_NAMESPACE = uuid.UUID("6f1c53c4-3e0e-4d55-9a43-6a7f3f6c2b10")
# Kinds that identify a person (the victim, mostly) or their card: never sent to CERTs.
STIX_EXCLUDED_KINDS = frozenset({IndicatorKind.NATIONAL_ID, IndicatorKind.CARD})


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def _officer_names(case: Case) -> dict[int, str]:
    ids = {case.assigned_officer_id, case.created_by_id}
    ids |= set(case.notes.values_list("author_id", flat=True))
    return dict(
        OfficerProfile.objects.filter(user_id__in={i for i in ids if i}).values_list(
            "user_id", "display_name"
        )
    )


def _referral(referral: Referral) -> dict[str, Any]:
    return {
        "kind": "case" if referral.case_id else "conversation",
        "from_unit": referral.from_unit.code,
        "to_unit": referral.to_unit.code,
        "reason": referral.reason,
        "summary": referral.summary,
        "status": referral.status,
        "created_at": iso(referral.created_at),
        "decided_at": iso(referral.decided_at),
        "decision_reason": referral.decision_reason,
    }


def case_document(case: Case, *, viewer: AbstractBaseUser, language: str = "en") -> dict[str, Any]:
    """The whole case as a JSON-ready dict (schema ``poradnia.case/1``)."""
    names = _officer_names(case)
    check = transcript_verify(case)
    matches = indicator_matches(case, viewer)
    indicators = list(case.indicators.exclude(status=IndicatorStatus.REMOVED))
    return {
        "schema": SCHEMA,
        "exported_at": iso(timezone.now()),
        "case": {
            "reference": case.reference,
            "unit": {"code": case.unit.code, "name": case.unit.name, "country": case.unit.country},
            "status": case.status,
            "category": case.category,
            "urgency": case.urgency,
            "language": case.language,
            "summary": case.summary,
            "incident_at": iso(case.incident_at),
            "assigned_officer": names.get(case.assigned_officer_id or 0),
            "created_by": names.get(case.created_by_id),
            "created_at": iso(case.created_at),
            "updated_at": iso(case.updated_at),
            "closed_at": iso(case.closed_at),
        },
        "conversations": [
            {"id": link.conversation_id, "linked_at": iso(link.linked_at)}
            for link in case.conversation_links.all()
        ],
        "financial_losses": [
            {
                "amount": money_text(loss.amount, loss.currency),
                "currency": loss.currency,
                "method": loss.method,
                "occurred_at": iso(loss.occurred_at),
                "note": loss.note,
            }
            for loss in case.losses.all()
        ],
        "loss_totals": {k: money_text(v, k) for k, v in loss_totals(case).items()},
        "evidence_checklist": [
            {
                "code": item.code,
                "label": item_label(item.code, language, stored=item.label),
                "have": item.have,
            }
            for item in case.evidence_items.all()
        ],
        "indicators": [
            {
                "kind": i.kind,
                "value": i.value,
                "display": i.display,
                "status": i.status,
                "party": i.party,
                "details": i.details,
                "manual": i.manual,
                "decided_at": iso(i.decided_at),
                "matches": [
                    {
                        "reference": m.reference,
                        "unit": m.unit_code,
                        "category": m.category,
                        "created_at": iso(m.created_at),
                    }
                    for m in matches.get(i.pk, [])
                ],
            }
            for i in indicators
        ],
        "notes": [
            {"author": n.author_name, "created_at": iso(n.created_at), "text": n.text}
            for n in case.notes.all()
        ],
        "referrals": [_referral(r) for r in case.referrals.select_related("from_unit", "to_unit")],
        "transcript": {
            "algorithm": "sha256-chain/1",
            "genesis": GENESIS,
            "head": case.transcript_head,
            "length": case.transcript_length,
            "verified": check.valid,
            "first_broken": check.first_broken,
            "problem": check.problem,
            "entries": [
                {
                    "position": e.position,
                    "conversation": e.conversation_ref,
                    "seq": e.seq,
                    "sender": e.sender,
                    "author_name": e.author_name,
                    "kind": e.kind,
                    "text": e.text,
                    "created_at": iso(e.message_created_at),
                    "prev_hash": e.prev_hash,
                    "hash": e.hash,
                }
                for e in case.transcript.order_by("position")
            ],
        },
    }


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def stix_pattern(indicator: Indicator) -> str | None:
    """The STIX 2.1 pattern of an indicator, or None for kinds never exported."""
    value = _quote(indicator.value)
    patterns = {
        IndicatorKind.URL: f"[url:value = {value}]",
        IndicatorKind.DOMAIN: f"[domain-name:value = {value}]",
        IndicatorKind.EMAIL: f"[email-addr:value = {value}]",
        IndicatorKind.HANDLE: f"[user-account:account_login = {_quote(indicator.value[1:])}]",
        # No STIX 2.1 cyber-observable exists for these: custom ``x-`` object types.
        IndicatorKind.PHONE: f"[x-phone-number:value = {value}]",
        IndicatorKind.IBAN: f"[x-bank-account:iban = {value}]",
        IndicatorKind.CRYPTO: f"[x-cryptocurrency-wallet:address = {value}]",
    }
    return patterns.get(indicator.kind)  # type: ignore[call-overload]


def _english_kind(kind: str) -> str:
    with translation.override("en"):
        return str(IndicatorKind(kind).label)


def stix_indicators(case: Case) -> list[Indicator]:
    """Confirmed indicators the officer marked as the suspect's, minus personal-data kinds."""
    return [
        i
        for i in case.indicators.filter(
            status=IndicatorStatus.CONFIRMED, party=IndicatorParty.SUSPECT
        )
        if i.kind not in STIX_EXCLUDED_KINDS
    ]


def stix_bundle(case: Case) -> stix2.Bundle:
    """A TLP:AMBER bundle of the case's exportable indicators, attributed to its unit.

    Carries no victim data: no message text, no names, no victim-marked values; only the
    value, its kind, the crime category and the case reference (for follow-up questions).
    """
    unit = case.unit
    identity = stix2.Identity(
        id=f"identity--{uuid.uuid5(STIX_NAMESPACE, 'unit:' + unit.code)}",
        name=unit.name,
        identity_class="organization",
        sectors=["government-public-services"],
        contact_information=f"Poradnia unit {unit.code}",
    )
    objects: list[Any] = [identity, stix2.TLP_AMBER]
    for indicator in stix_indicators(case):
        pattern = stix_pattern(indicator)
        if pattern is None:
            continue
        key = f"{case.reference}:{indicator.kind}:{indicator.value}"
        objects.append(
            stix2.Indicator(
                id=f"indicator--{uuid.uuid5(STIX_NAMESPACE, key)}",
                created_by_ref=identity.id,
                name=f"{_english_kind(indicator.kind)} reported in a {case.category} case",
                indicator_types=["malicious-activity"],
                pattern=pattern,
                pattern_type="stix",
                valid_from=indicator.decided_at or indicator.created_at,
                labels=[case.category],
                external_references=[
                    {"source_name": f"poradnia-{unit.code}", "external_id": case.reference}
                ],
                object_marking_refs=[stix2.TLP_AMBER],
            )
        )
    return stix2.Bundle(objects=objects)
