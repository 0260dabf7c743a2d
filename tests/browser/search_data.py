"""Data of the search test, written into the browser server's database.

Run as ``python -m tests.browser.search_data <suffix>``: the staff and cases of
``tests.browser.staff_data`` (a KAT case whose citizen wrote an IBAN and "OLX"), plus a case
of OVA whose citizen wrote the same IBAN and word, which KAT's officer must never find.
Prints the names, ids and references as JSON.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

OTHER_UNIT_TEXT = "Kupoval jsem na OLX, poslal jsem peníze na PL61 1090 1014 0000 0712 1981 2874."


def build(suffix: str, password: str) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from advice.models import SenderKind
    from advice.services.conversations import (
        conversation_claim,
        conversation_close,
        conversation_start,
    )
    from advice.services.messages import message_post
    from advice.services.presence import officer_set_duty
    from cases.services.escalation import case_escalate
    from tests.browser.staff_data import build as staff_build

    data = staff_build(suffix, password)
    receiver = get_user_model().objects.get(username=data["receiver"])
    officer_set_duty(officer=receiver, on_duty=True)
    started = conversation_start(language="cs")
    conversation_id = started.conversation.pk
    message_post(
        conversation_id=conversation_id,
        sender=SenderKind.CITIZEN,
        client_id="c0",
        text=OTHER_UNIT_TEXT,
    )
    conversation_claim(conversation_id=conversation_id, officer=receiver)
    foreign = case_escalate(conversation_id=conversation_id, officer=receiver)
    conversation_close(conversation_id=conversation_id, by="officer", officer=receiver)
    officer_set_duty(officer=receiver, on_duty=False)
    return {**data, "foreign_case_id": foreign.pk, "foreign_reference": foreign.reference}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poradnia.settings")
    import django

    django.setup()
    data = build(sys.argv[1], os.environ["DEMO_PASSWORD"])
    sys.stdout.write(json.dumps(data) + "\n")


if __name__ == "__main__":
    main()
