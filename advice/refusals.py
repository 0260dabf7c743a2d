"""Audit of refused websocket handshakes, rate-limited so that a flood cannot fill the table.

One ``socket.refused`` audit event is written per (reason, client address) per minute at most;
the rest of that minute's refusals of the same kind from the same address are only counted
in the cache. Client addresses never reach the table: only a keyed hash that changes every
day (HMAC-SHA-256 with ``SECRET_KEY`` and the date), enough to tell one source from another
within a day.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from enum import StrEnum

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone

from advice.audit import audit_record
from core.vocabulary import AuditAction

logger = logging.getLogger(__name__)

# At most one audit event per (reason, hashed address) in this many seconds.
REFUSAL_AUDIT_WINDOW = 60
ORIGIN_MAX_CHARS = 200


class RefusalReason(StrEnum):
    ORIGIN = "origin"  # the Origin header is not exactly on the allow-list
    NO_SESSION = "no_session"  # a staff socket without a logged-in session (close 4401)
    WRONG_ROLE = "wrong_role"  # logged in, but not allowed here (close 4403)


def client_address_hash(address: str | None) -> str:
    """A keyed hash of a client address, stable for one UTC day (16 hex digits)."""
    day = timezone.now().date().isoformat()
    message = f"{day}|{address or 'unknown'}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:16]


def handshake_refusal_record(
    *, reason: RefusalReason, path: str, client_address: str | None, origin: str = ""
) -> bool:
    """Write one ``socket.refused`` audit event unless one with the same reason and client
    was written in the last ``REFUSAL_AUDIT_WINDOW`` seconds; True if written.

    Never raises for a database failure: the refusal itself must not depend on the audit
    (the failure is logged).
    """
    client = client_address_hash(client_address)
    key = f"ws-refused:{settings.LIMITS_NAMESPACE}:{reason}:{client}"
    if not cache.add(key, 1, timeout=REFUSAL_AUDIT_WINDOW):
        return False
    params = {"reason": str(reason), "path": path[:200], "client": client}
    if origin:
        params["origin"] = origin[:ORIGIN_MAX_CHARS]
    try:
        with transaction.atomic():
            audit_record(
                action=AuditAction.SOCKET_REFUSED,
                actor_kind="anonymous",
                object_type="socket",
                params=params,
            )
    except DatabaseError:
        logger.exception("Could not audit a refused handshake (%s).", reason)
        return False
    return True
