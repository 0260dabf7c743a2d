"""Bench accounts: officers created through the staff service in the server's own database.

Run as ``python -m bench.load_setup --officers N --max-chats 50`` with the same database
environment as the server (``SQLITE_PATH`` or ``DATABASE_URL``). It prints one JSON object on
stdout: ``{"password": ..., "officers": [usernames], "otp_keys": {username: hex key},
"sessions": {username: key}?}``.

Every run gives the bench officers a fresh random password and a fresh authenticator (the
second factor production requires; they never keep a known secret),
puts them off duty and closes any conversation a previous, interrupted run left assigned to
them, so that their concurrent-chat limits start empty.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from typing import Any

BENCH_UNIT_CODE = "BENCH"
OFFICER_PREFIX = "bench-officer-"


def officer_username(index: int) -> str:
    return f"{OFFICER_PREFIX}{index}"


def _second_factor(user: Any) -> Any:
    """Enrol a fresh authenticator for ``user`` through the product's own service."""
    from django_otp.oath import TOTP

    from advice.services import two_factor

    device = two_factor.totp_device_pending(user=user)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    two_factor.totp_device_confirm(user=user, token=f"{code:0{device.digits}d}")
    return device


def _setup(officers: int, max_chats: int, *, direct_sessions: bool) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poradnia.settings")
    django.setup()

    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from advice.models import Conversation, ConversationStatus, OfficerProfile, Unit
    from advice.services.conversations import conversation_close
    from advice.services.staff import staff_create

    unit, _ = Unit.objects.get_or_create(
        code=BENCH_UNIT_CODE,
        defaults={"name": "Bench unit", "country": "PL", "languages": ["pl", "en"]},
    )
    password = secrets.token_urlsafe(18)
    usernames: list[str] = []
    sessions: dict[str, str] = {}
    otp_keys: dict[str, str] = {}
    for index in range(officers):
        username = officer_username(index)
        user = staff_create(
            username=username,
            password=password,
            display_name=f"Bench {index}",
            unit=unit,
            languages=["pl", "en", "cs", "uk", "de"],
            max_concurrent_chats=max_chats,
        )
        OfficerProfile.objects.filter(user_id=user.pk).update(on_duty=False)
        leftovers = Conversation.objects.filter(
            assigned_officer_id=user.pk,
            status__in=[ConversationStatus.WAITING, ConversationStatus.ACTIVE],
        ).values_list("pk", flat=True)
        for conversation_id in list(leftovers):
            conversation_close(
                conversation_id=conversation_id, by="officer", officer=user, outcome="other"
            )
        device = _second_factor(user)
        otp_keys[username] = device.key
        if direct_sessions:
            client = Client()
            client.force_login(user)  # type: ignore[arg-type]
            key = client.cookies[settings.SESSION_COOKIE_NAME].value
            session = SessionStore(session_key=key)
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
            sessions[username] = key
        usernames.append(username)
    result: dict[str, Any] = {"password": password, "officers": usernames, "otp_keys": otp_keys}
    if direct_sessions:
        result["sessions"] = sessions
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, required=True)
    parser.add_argument("--max-chats", type=int, default=50)
    parser.add_argument(
        "--direct-sessions",
        action="store_true",
        help="also create a session per officer in the database (no HTTP login)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.officers <= 200:
        parser.error("--officers must be between 1 and 200")
    result = _setup(args.officers, args.max_chats, direct_sessions=args.direct_sessions)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
