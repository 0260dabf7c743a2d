"""Staff-side data for the browser tests, written into the browser server's database.

Run as ``python -m tests.browser.staff_data <suffix>`` with the server's environment: it
creates, through the same services the pages use, an officer, a supervisor and an admin of
KAT, an officer of OVA, a conversation escalated to a case and a case referred to OVA, and
prints their names and ids as JSON. ``suffix`` keeps the accounts apart from other tests'.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

CITIZEN_TEXTS = [
    "Oszukano mnie na OLX, zapłaciłem przelewem.",
    "Numer konta PL61109010140000071219812874, dzwonili z +48 600 123 456.",
]


def build(suffix: str, password: str) -> dict[str, Any]:
    from advice.models import SenderKind, Unit
    from advice.services.conversations import (
        conversation_claim,
        conversation_close,
        conversation_start,
    )
    from advice.services.messages import message_post
    from advice.services.presence import officer_set_duty
    from advice.services.staff import staff_create
    from cases.services.escalation import case_escalate
    from cases.services.referrals import referral_case_create

    kat = Unit.objects.get(code="KAT")
    ova = Unit.objects.get(code="OVA")

    def staff(role: str, unit: Unit, languages: list[str], *, supervisor: bool = False) -> Any:
        return staff_create(
            username=f"{role}{suffix}",
            password=password,
            display_name=f"{role.capitalize()} {suffix}",
            unit=unit,
            languages=languages,
            supervisor=supervisor,
        )

    officer = staff("officer", kat, ["pl", "en"])
    supervisor = staff("supervisor", kat, ["pl", "en"], supervisor=True)
    admin = staff("admin", kat, ["pl", "en"])
    admin.is_staff = True
    admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    receiver = staff("receiver", ova, ["cs", "pl", "en"])

    def escalated_case(texts: list[str]) -> Any:
        started = conversation_start(language="pl")
        conversation_id = started.conversation.pk
        for index, text in enumerate(texts):
            message_post(
                conversation_id=conversation_id,
                sender=SenderKind.CITIZEN,
                client_id=f"c{index}",
                text=text,
            )
        conversation_claim(conversation_id=conversation_id, officer=officer)
        case = case_escalate(conversation_id=conversation_id, officer=officer)
        # The conversation ends here; the case lives on (and no console shows it as open).
        conversation_close(conversation_id=conversation_id, by="officer", officer=officer)
        return case

    # On duty only while taking the two conversations, so that no other test counts on them.
    officer_set_duty(officer=officer, on_duty=True)
    case = escalated_case(CITIZEN_TEXTS)
    referred = escalated_case(["Someone took over my Facebook account."])
    officer_set_duty(officer=officer, on_duty=False)
    referral = referral_case_create(
        case_id=referred.pk,
        user=officer,
        unit_code=ova.code,
        reason="capacity",
        summary=f"Seeded referral {suffix}",
    )
    return {
        "officer": officer.username,
        "supervisor": supervisor.username,
        "admin": admin.username,
        "receiver": receiver.username,
        "case_id": case.pk,
        "case_reference": case.reference,
        "referred_case_id": referred.pk,
        "referred_reference": referred.reference,
        "referral_id": referral.pk,
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poradnia.settings")
    import django

    django.setup()
    data = build(sys.argv[1], os.environ["DEMO_PASSWORD"])
    sys.stdout.write(json.dumps(data) + "\n")


if __name__ == "__main__":
    main()
