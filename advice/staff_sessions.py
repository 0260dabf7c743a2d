"""Whether the login behind an open staff socket still holds, read for many sockets at once.

A staff socket is bound at connect to its session key, the session's password hash, its
second-factor device and the role it needs (:class:`SessionBinding`). :func:`revoked_sessions`
checks any number of bindings in four queries (sessions, users, group memberships, devices),
so one periodic read per server process covers every staff socket of the process. A logout
is also pushed at once (:func:`on_logged_out`, connected to ``user_logged_out``): the session
row is deleted only after that signal, so the push carries the session's digest.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django_otp import DEVICE_ID_SESSION_KEY

from advice.events import frames
from advice.events.groups import staff_group
from advice.events.outbox import publish
from core.vocabulary import SessionEndReason, StaffGroup


class SocketRole(StrEnum):
    """What a staff socket needs: the officers' console or the supervisors' live view."""

    OFFICER = "officer"
    SUPERVISOR = "supervisor"


@dataclass(frozen=True)
class SessionBinding:
    user_id: int
    session_key: str
    auth_hash: str
    device_id: str  # "" when staff log in without a second factor
    role: SocketRole


def session_digest(session_key: str) -> str:
    """The name a session goes by between server processes (never the key itself)."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:32]


def session_binding(
    *, user: AbstractBaseUser, session: Any, role: SocketRole
) -> SessionBinding | None:
    """The binding of a socket opened with ``session`` by ``user``, or None without a session.

    Reads the session (a database query on first access): call from the database thread.
    """
    key = getattr(session, "session_key", None)
    if not key:
        return None
    return SessionBinding(
        user_id=int(user.pk),
        session_key=key,
        auth_hash=str(session.get(HASH_SESSION_KEY, "")),
        device_id=str(session.get(DEVICE_ID_SESSION_KEY, "") or ""),
        role=role,
    )


def _role_holds(role: SocketRole, *, superuser: bool, groups: set[str]) -> bool:
    if superuser:
        return True
    if role is SocketRole.SUPERVISOR:
        return StaffGroup.SUPERVISORS in groups
    return StaffGroup.OFFICERS in groups


def _live_devices(device_ids: Iterable[str]) -> set[str]:
    """The confirmed devices among ``device_ids`` (``app_label.model/pk``), one query per model."""
    by_model: dict[str, dict[str, str]] = defaultdict(dict)
    for device_id in device_ids:
        label, _, pk = device_id.rpartition("/")
        if label and pk.isdigit():
            by_model[label][pk] = device_id
    live: set[str] = set()
    for label, wanted in by_model.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        found = model._default_manager.filter(pk__in=list(wanted), confirmed=True).values_list(
            "pk", flat=True
        )
        live.update(wanted[str(pk)] for pk in found)
    return live


def revoked_sessions(
    bindings: Sequence[SessionBinding],
) -> dict[SessionBinding, SessionEndReason]:
    """The bindings whose login no longer holds, each with the first reason found.

    Checked, in this order: the session still exists (else ``logged_out``) and has not
    expired (``expired``); the account exists and is active (``account_disabled``); it
    still has the socket's role (``role_removed``); its password is unchanged
    (``password_changed``); the second-factor device of the login is still confirmed
    (``device_revoked``, only where staff need one).
    """
    if not bindings:
        return {}
    now = timezone.now()
    sessions = dict(
        Session.objects.filter(session_key__in={b.session_key for b in bindings}).values_list(
            "session_key", "expire_date"
        )
    )
    user_ids = {b.user_id for b in bindings}
    users = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(pk__in=user_ids)
        .only("pk", "password", "is_active", "is_superuser")
    }
    groups: dict[int, set[str]] = defaultdict(set)
    for user_id, name in (
        get_user_model()
        .groups.through.objects.filter(user_id__in=user_ids)
        .values_list("user_id", "group__name")
    ):
        groups[user_id].add(name)
    devices = (
        _live_devices({b.device_id for b in bindings if b.device_id})
        if settings.STAFF_TWO_FACTOR
        else set()
    )
    revoked: dict[SessionBinding, SessionEndReason] = {}
    for binding in bindings:
        reason = _reason(binding, sessions, users, groups, devices, now)
        if reason is not None:
            revoked[binding] = reason
    return revoked


def _reason(
    binding: SessionBinding,
    sessions: dict[str, Any],
    users: dict[Any, Any],
    groups: dict[int, set[str]],
    devices: set[str],
    now: Any,
) -> SessionEndReason | None:
    expires = sessions.get(binding.session_key)
    if expires is None:
        return SessionEndReason.LOGGED_OUT
    if expires <= now:
        return SessionEndReason.EXPIRED
    user = users.get(binding.user_id)
    if user is None or not user.is_active:
        return SessionEndReason.ACCOUNT_DISABLED
    superuser = bool(user.is_superuser)
    if not _role_holds(binding.role, superuser=superuser, groups=groups[binding.user_id]):
        return SessionEndReason.ROLE_REMOVED
    if not constant_time_compare(binding.auth_hash, user.get_session_auth_hash()):
        return SessionEndReason.PASSWORD_CHANGED
    if settings.STAFF_TWO_FACTOR and binding.device_id not in devices:
        return SessionEndReason.DEVICE_REVOKED
    return None


def on_logged_out(sender: Any, request: Any, user: AbstractBaseUser | None, **kwargs: Any) -> None:
    """``user_logged_out``: close the sockets of the session that is ending (after commit)."""
    key = getattr(getattr(request, "session", None), "session_key", None)
    if user is None or not key:
        return
    publish(
        staff_group(int(user.pk)),
        frames.session_ended(session=session_digest(key), reason=SessionEndReason.LOGGED_OUT),
    )
