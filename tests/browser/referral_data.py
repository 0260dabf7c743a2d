"""Staff of two units for the referral and supervision browser tests, in the server's database.

Run as ``python -m tests.browser.referral_data <suffix>`` with the server's environment:
creates (through ``staff_create``) an officer and a colleague of KAT, a supervisor of KAT and
an officer of OVA, and prints their usernames and ids as JSON.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def build(suffix: str, password: str) -> dict[str, Any]:
    from advice.models import Unit
    from advice.services.staff import staff_create

    kat = Unit.objects.get(code="KAT")
    ova = Unit.objects.get(code="OVA")
    made: dict[str, Any] = {}
    for role, unit, languages, supervisor in (
        ("sender", kat, ["pl", "en"], False),
        ("colleague", kat, ["pl", "en"], False),
        ("chief", kat, ["pl", "en"], True),
        ("receiver", ova, ["cs", "pl", "en"], False),
    ):
        user = staff_create(
            username=f"{role}{suffix}",
            password=password,
            display_name=f"{role.capitalize()} {suffix}",
            unit=unit,
            languages=languages,
            supervisor=supervisor,
        )
        name = f"{role.capitalize()} {suffix}"
        made[role] = {"username": user.username, "id": user.pk, "name": name}
    return made


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poradnia.settings")
    import django

    django.setup()
    sys.stdout.write(json.dumps(build(sys.argv[1], os.environ["DEMO_PASSWORD"])) + "\n")


if __name__ == "__main__":
    main()
